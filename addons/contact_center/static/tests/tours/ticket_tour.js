import { registry } from "@web/core/registry";

/**
 * A ticket has just arrived by email and been routed to the agent: it is on
 * top of "My Tickets" with its SLA countdown; the agent answers with a canned
 * response (only those scoped to the ticket's team and reason are offered)
 * and the first-response target shows as met.
 */
registry.category("web_tour.tours").add("contact_center_ticket_tour", {
    steps: () => [
        {
            content: "The new ticket is first in the queue, with its SLA countdown",
            trigger:
                ".o_list_view .o_data_row:first-child:has(.o_data_cell:contains('Printer on fire')) .o_cc_sla_countdown:contains('left')",
        },
        {
            content: "Open it",
            trigger: ".o_list_view .o_data_row:first-child .o_data_cell:contains('Printer on fire')",
            run: "click",
        },
        {
            content: "Answer the customer",
            trigger: ".o-mail-Chatter button:contains(Send message)",
            run: "click",
        },
        {
            content: "Call a canned response",
            trigger: ".o-mail-Composer-input",
            run: "edit :fixed",
        },
        {
            content:
                "Only the responses of this ticket's team and reason are offered",
            trigger:
                ".o-mail-Composer-suggestionList:has(.o-mail-Composer-suggestion:contains(it is fixed now)):not(:has(.o-mail-Composer-suggestion:contains(fixed-billing))):not(:has(.o-mail-Composer-suggestion:contains(fixed-refund)))",
        },
        {
            content: "Pick it",
            trigger: ".o-mail-Composer-suggestion:contains(it is fixed now)",
            run: "click",
        },
        {
            content: "Send",
            trigger: ".o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The answer is posted with the customer's name filled in",
            trigger: ".o-mail-Message-body:contains('Dear Tour Customer')",
        },
        {
            content: "Open the SLA tab",
            trigger: ".o_notebook_headers a[name='sla']",
            run: "click",
        },
        {
            content: "The first-response target is met",
            trigger:
                ".o_field_widget[name='sla_ids'] .o_data_row:has(.o_data_cell:contains('First Response')) .badge:contains('Met')",
        },
    ],
});
