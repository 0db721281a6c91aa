import { registry } from "@web/core/registry";

const DASHBOARD = ".o_cc_supervisor_dashboard";
const HANDLED = `${DASHBOARD} .o_cc_kpi_card[data-kpi=handled] a.o_cc_kpi_figure`;

function checkDate(input) {
    if (input.value !== "03/02/2026") {
        throw new Error(`the period should be 2 March 2026, not ${input.value}`);
    }
}

/**
 * "Perf Team" handled three calls (Perf Call 1 to 3) and lost one on
 * 2 March 2026, and handled another the next day; "Other Team", which the
 * supervisor does not lead, handled one on 2 March.
 */
registry.category("web_tour.tours").add("contact_center_supervisor_dashboard_tour", {
    steps: () => [
        {
            content: "Choose a custom period",
            trigger: `${DASHBOARD} .o_cc_kpi_period[data-period=custom]`,
            run: "click",
        },
        {
            content: "From 2 March 2026",
            trigger: `${DASHBOARD} .o_cc_kpi_date_from input`,
            run: "edit 03/02/2026 && press Enter",
        },
        {
            content: "To 2 March 2026",
            trigger: `${DASHBOARD} .o_cc_kpi_date_to input`,
            run: "edit 03/02/2026 && press Enter",
        },
        {
            content: "The period is that single day",
            trigger: `${DASHBOARD} .o_cc_kpi_date_from input`,
            run: ({ anchor }) => checkDate(anchor),
        },
        {
            content: "Four calls were offered: three answered and one abandoned",
            trigger: `${DASHBOARD} .o_cc_kpi_card[data-kpi=offered] .o_cc_kpi_figure:contains(/^4$/)`,
        },
        {
            content: "The team handled three of them",
            trigger: `${HANDLED}:contains(/^3$/)`,
        },
        {
            content: "The team's row says the same",
            trigger: `${DASHBOARD} .o_cc_kpi_table_card[data-table=teams] .o_cc_kpi_row:contains('Perf Team') td[data-kpi=handled]:contains(/^3$/)`,
        },
        {
            content: "So does the agent's",
            trigger: `${DASHBOARD} .o_cc_kpi_table_card[data-table=agents] .o_cc_kpi_row:contains('Perf Agent') td[data-kpi=handled]:contains(/^3$/)`,
        },
        {
            content: "The team the supervisor does not lead is not shown",
            trigger: `${DASHBOARD} .o_cc_kpi_table_card[data-table=teams]:not(:contains('Other Team'))`,
        },
        {
            content: "Three of the four calls were answered within 20 s: 75.0% service level",
            trigger: `${DASHBOARD} .o_cc_kpi_card[data-kpi=service_level] .o_cc_kpi_figure:contains(/^75\\.0%$/)`,
        },
        {
            content: "Open the calls behind the figure",
            trigger: HANDLED,
            run: "click",
        },
        {
            content: "Exactly three interactions are listed",
            trigger: ".o_list_view .o_list_table:not(:has(.o_data_row:nth-child(4))) .o_data_row:nth-child(3)",
        },
        {
            content: "The first call is one of them",
            trigger: ".o_list_view .o_data_row:contains('Perf Call 1')",
        },
        {
            content: "The second call too",
            trigger: ".o_list_view .o_data_row:contains('Perf Call 2')",
        },
        {
            content: "And the third",
            trigger: ".o_list_view .o_data_row:contains('Perf Call 3')",
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Performance')",
            run: "click",
        },
        {
            content: "The chosen period is kept",
            trigger: `${DASHBOARD} .o_cc_kpi_period.active[data-period=custom]`,
        },
        {
            content: "From the same day",
            trigger: `${DASHBOARD} .o_cc_kpi_date_from input`,
            run: ({ anchor }) => checkDate(anchor),
        },
        {
            content: "To the same day",
            trigger: `${DASHBOARD} .o_cc_kpi_date_to input`,
            run: ({ anchor }) => checkDate(anchor),
        },
        {
            content: "And so are its figures",
            trigger: `${HANDLED}:contains(/^3$/)`,
        },
    ],
});

const TODAY = ".o_cc_my_performance .o_cc_kpi_period_section[data-period=today]";

/**
 * "Perf Agent" handled two calls today; "Perf Mate", in the same team,
 * none.
 */
registry.category("web_tour.tours").add("contact_center_my_performance_tour", {
    steps: () => [
        {
            content: "The agent's name heads the page",
            trigger: ".o_cc_my_performance .o_cc_my_performance_agent:contains('Perf Agent')",
        },
        {
            content: "Two calls handled today",
            trigger: `${TODAY} .o_cc_kpi_card[data-kpi=handled] .o_cc_kpi_value:contains(/^2$/)`,
        },
        {
            content: "Against one on average in the team",
            trigger: `${TODAY} .o_cc_kpi_card[data-kpi=handled] .o_cc_kpi_team_average:contains(/Team average:\\s*1$/)`,
        },
        {
            content: "This week is shown too",
            trigger: ".o_cc_my_performance .o_cc_kpi_period_section[data-period=week] .o_cc_kpi_card[data-kpi=handled]",
        },
    ],
});

registry.category("web_tour.tours").add("contact_center_my_performance_no_agent_tour", {
    steps: () => [
        {
            content: "A user who is no agent reads why the page is empty",
            trigger: ".o_cc_my_performance .o_cc_kpi_no_agent:contains('No figures for you yet')",
        },
    ],
});
