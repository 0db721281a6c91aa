import { registry } from "@web/core/registry";

const NINE = "tr[data-slot='18']";

/**
 * A supervisor opens the staffing forecast of "Tour Desk": 100 calls of 3
 * minutes every Monday 9:00-9:30 for 4 weeks are 10 Erlangs, which need 14
 * agents for 80% in 20 s (REFERENCE.md), 20 to schedule with 30% shrinkage.
 */
registry.category("web_tour.tours").add("contact_center_staffing_tour", {
    steps: () => [
        {
            content: "The forecast method is named on the screen",
            trigger:
                ".o_cc_sf_method:contains('Weighted moving average of the same half hour over the last 4 weeks')",
        },
        {
            content: "Monday 9:00: 100 contacts forecast with a handle time of 3:00",
            trigger: `${NINE} .o_cc_sf_forecast:contains('100.0')`,
        },
        {
            content: "Erlang C requires 14 agents",
            trigger: `${NINE} .o_cc_sf_required:contains(/^14$/)`,
        },
        {
            content: "20 agents to schedule once shrinkage is added, none scheduled",
            trigger: `${NINE} .o_cc_sf_to_schedule:contains(/^20$/)`,
        },
        {
            content: "The gap is shown as understaffing",
            trigger: `${NINE} .o_cc_sf_gap.text-bg-danger:contains('20')`,
        },
        {
            content: "Show Tuesday",
            trigger: ".o_cc_sf_days li:nth-child(2) a",
            run: "click",
        },
        {
            content: "Nothing is expected on Tuesday",
            trigger: ".o_cc_sf_table:contains('No contact expected and nobody scheduled this day.')",
        },
    ],
});
