import { registry } from "@web/core/registry";

/**
 * Two calls of one customer: 5 minutes and 1 hour 5 minutes of talk, each
 * after 65 seconds of wait.
 */
registry.category("web_tour.tours").add("contact_center_durations_tour", {
    steps: () => [
        {
            content: "Search the customer's contacts",
            trigger: ".o_searchview_input",
            run: "edit Duration Customer",
        },
        {
            content: "Filter on the customer",
            trigger: ".o_searchview_autocomplete .o_menu_item:first-child:contains('Customer')",
            run: "click",
        },
        {
            content: "Only the customer's two calls remain",
            trigger: ".o_list_table:not(:has(.o_data_row:nth-child(3))) .o_data_row:nth-child(2)",
        },
        {
            content: "Talk time reads as m:ss",
            trigger: ".o_data_row:has(td:contains('Talk 300')) td[name='talk_seconds']:contains('5:00')",
        },
        {
            content: "An hour and more reads as h:mm:ss",
            trigger: ".o_data_row:has(td:contains('Talk 3900')) td[name='talk_seconds']:contains('1:05:00')",
        },
        {
            content: "Wait time reads as m:ss",
            trigger: ".o_data_row:has(td:contains('Talk 300')) td[name='wait_seconds']:contains('1:05')",
        },
        {
            content: "The footer shows the average talk time",
            trigger: ".o_list_footer td:contains('35:00')",
        },
    ],
});
