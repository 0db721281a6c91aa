import { registry } from "@web/core/registry";

const COUNTER = ".o_kanban_record:has(.o_cc_board_card:contains('Board Agent')) .o_cc_live_duration";

/**
 * A supervisor opens the agents board: "Board Agent" has been busy for a bit
 * more than a minute on a call with "Board Customer"; their team has three
 * waiting tickets and two queued calls.
 */
registry.category("web_tour.tours").add("contact_center_agents_board_tour", {
    steps: () => [
        {
            content: "The agent's time in state is shown as m:ss",
            trigger: `${COUNTER}:contains(/^1:\\d\\d$/)`,
            run({ anchor }) {
                window.ccBoardCounter = anchor.textContent;
            },
        },
        {
            content: "The counter is live: it moves without a reload",
            trigger: COUNTER,
            async run({ anchor }) {
                const start = Date.now();
                while (anchor.textContent === window.ccBoardCounter) {
                    if (Date.now() - start > 5000) {
                        throw new Error(`the counter stayed at ${window.ccBoardCounter}`);
                    }
                    await new Promise((resolve) => setTimeout(resolve, 200));
                }
            },
        },
        {
            content: "The current call says with whom and on which channel",
            trigger:
                ".o_kanban_record:has(.o_cc_board_card:contains('Board Agent')) .o_cc_board_current_call:contains('Board Customer'):contains('Phone')",
        },
        {
            content: "The queue depth of the agent's team is shown",
            trigger:
                ".o_kanban_record:has(.o_cc_board_card:contains('Board Agent')) .o_cc_board_queue:has(.o_cc_board_queue_tickets:contains('3')):has(.o_cc_board_queue_calls:contains('2'))",
        },
    ],
});
