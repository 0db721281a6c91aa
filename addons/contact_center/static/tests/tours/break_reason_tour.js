import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("contact_center_break_reason_tour", {
    steps: () => [
        {
            content: "The agent starts available",
            trigger: ".o_cc_presence_systray .o_cc_presence_state[data-presence='available']",
        },
        {
            content: "Open the presence menu",
            trigger: ".o_cc_presence_toggler",
            run: "click",
        },
        {
            content: "Break offers its reasons",
            trigger:
                ".o_cc_presence_menu .o_cc_presence_choice[data-presence='break'] + .o_cc_presence_break_reason[data-break-reason='lunch']",
        },
        {
            content: "Pick Break > Lunch",
            trigger: ".o_cc_presence_menu .o_cc_presence_break_reason[data-break-reason='lunch']",
            run: "click",
        },
        {
            content: "The top bar shows Break · Lunch",
            trigger:
                ".o_cc_presence_systray .o_cc_presence_state[data-presence='break'] .o_cc_presence_break_label:contains(Lunch)",
        },
        {
            content: "Open the presence menu again",
            trigger: ".o_cc_presence_toggler",
            run: "click",
        },
        {
            content: "Lunch is the checked choice",
            trigger: ".o_cc_presence_menu .o_cc_presence_break_reason[data-break-reason='lunch'] .fa-check",
        },
    ],
});

registry.category("web_tour.tours").add("contact_center_board_break_reason_tour", {
    steps: () => [
        {
            content: "The supervisor puts the agent on break from the board",
            trigger: ".o_kanban_record:contains(Break Reason Agent) button.o_cc_board_break",
            run: "click",
        },
        {
            content: "Pick the Coaching reason",
            trigger: ".modal .o_field_widget[name='break_reason_id'] input",
            run: "edit Coaching",
        },
        {
            content: "Coaching is offered",
            trigger: ".o-autocomplete--dropdown-item a:contains(Coaching)",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The card says why the agent is on break",
            trigger:
                ".o_kanban_record:contains(Break Reason Agent) .o_cc_board_break_reason:contains(Coaching)",
        },
    ],
});
