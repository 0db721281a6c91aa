import { registry } from "@web/core/registry";

/**
 * The customer has an escalated call, a resolved call and a ticket created by
 * hand (no interaction): the ticket is an entry of its own, and the badges of
 * the two calls do not share a colour.
 */
registry.category("web_tour.tours").add("contact_center_timeline_tickets_tour", {
    steps: () => [
        {
            content: "Open the customer timeline tab",
            trigger: ".o_notebook_headers a[name='cc_timeline']",
            run: "click",
        },
        {
            content: "The hand-made ticket is an entry, with its reference and stage",
            trigger:
                ".o_cc_timeline_entry[data-source='ticket']:has(.o_cc_timeline_title:contains('Hand-made ticket')):has(.o_cc_timeline_reference:contains('TCK/')):has(.o_cc_timeline_outcome:contains('New'))",
        },
        {
            content: "The escalated call has a danger badge",
            trigger:
                ".o_cc_timeline_entry:has(.o_cc_timeline_title:contains('Escalated call')) .o_cc_timeline_outcome.text-bg-danger:contains('Escalated')",
        },
        {
            content: "The resolved call has a success badge",
            trigger:
                ".o_cc_timeline_entry:has(.o_cc_timeline_title:contains('Fixed call')) .o_cc_timeline_outcome.text-bg-success:contains('Resolved')",
        },
        {
            content: "Open the ticket from the timeline",
            trigger: ".o_cc_timeline_entry[data-source='ticket'] .o_cc_timeline_title",
            run: "click",
        },
        {
            content: "The ticket opens",
            trigger: ".o_form_view .o_breadcrumb .active:contains('Hand-made ticket')",
        },
    ],
});
