import { registry } from "@web/core/registry";

/**
 * The customer has two calls with a recording: "Secure recording" links to an
 * https:// address, "Legacy recording" carries a javascript: link stored before
 * the server checked links. Only the first may become a link.
 */
registry.category("web_tour.tours").add("contact_center_timeline_links_tour", {
    steps: () => [
        {
            content: "Open the customer timeline tab",
            trigger: ".o_notebook_headers a[name='cc_timeline']",
            run: "click",
        },
        {
            content: "Both calls are listed",
            trigger: ".o_cc_timeline_entry .o_cc_timeline_title:contains('Legacy recording')",
        },
        {
            content: "The safe call links to its recording",
            trigger:
                ".o_cc_timeline_entry:has(.o_cc_timeline_title:contains('Secure recording')) a.o_cc_timeline_recording[href^='https://']",
        },
        {
            content: "The unsafe call has no recording link, and no javascript: link exists",
            trigger:
                ".o_cc_timeline:has(.o_cc_timeline_title:contains('Legacy recording')):not(:has(.o_cc_timeline_entry:has(.o_cc_timeline_title:contains('Legacy recording')) a.o_cc_timeline_recording)):not(:has(a[href^='javascript']))",
        },
    ],
});
