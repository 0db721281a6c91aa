import { registry } from "@web/core/registry";

/**
 * The customer has 45 interactions "Contact 01".."Contact 45" (newest last,
 * channels phone / email / chat in turn) and two older internal notes.
 */
registry.category("web_tour.tours").add("contact_center_timeline_tour", {
    steps: () => [
        {
            content: "Open the customer timeline tab",
            trigger: ".o_notebook_headers a[name='cc_timeline']",
            run: "click",
        },
        {
            content: "Newest contact comes first",
            trigger: ".o_cc_timeline_entry:first-child .o_cc_timeline_title:contains('Contact 45')",
        },
        {
            content: "The first page ends with the 40th newest contact",
            trigger: ".o_cc_timeline_entry .o_cc_timeline_title:contains('Contact 06')",
        },
        {
            content: "Scroll to the end of the list",
            trigger: ".o_cc_timeline_sentinel",
            run() {
                document.querySelector(".o_cc_timeline_sentinel").scrollIntoView();
            },
        },
        {
            content: "Older contacts are loaded",
            trigger: ".o_cc_timeline_entry .o_cc_timeline_title:contains('Contact 01')",
        },
        {
            content: "The internal notes come last",
            trigger: ".o_cc_timeline_entry:last-child[data-channel='note']",
        },
        {
            content: "Keep phone calls only",
            trigger: ".o_cc_timeline_filter_channel[data-channel='phone']",
            run: "click",
        },
        {
            content: "Only phone entries remain",
            trigger:
                ".o_cc_timeline:has(.o_cc_timeline_filter_channel[data-channel='phone'].active):not(:has(.o_cc_timeline_entry:not([data-channel='phone'])))",
        },
        {
            content: "Phone calls are listed",
            trigger: ".o_cc_timeline_entry[data-channel='phone'] .o_cc_timeline_title:contains('Contact 42')",
        },
        {
            content: "Open the newest call",
            trigger: ".o_cc_timeline_entry:first-child .o_cc_timeline_title:contains('Contact 45')",
            run: "click",
        },
        {
            content: "The interaction opens",
            trigger: ".o_form_view .o_breadcrumb .active:contains('Contact 45')",
        },
    ],
});
