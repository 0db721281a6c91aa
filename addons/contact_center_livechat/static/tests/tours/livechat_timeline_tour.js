import { registry } from "@web/core/registry";

/**
 * An agent opens the form of a customer who chatted on "Shop support": the
 * chat is an entry of the customer timeline, handled by the agent.
 */
registry.category("web_tour.tours").add("contact_center_livechat_timeline_tour", {
    steps: () => [
        {
            content: "Open the customer timeline tab",
            trigger: ".o_notebook_headers a[name='cc_timeline']",
            run: "click",
        },
        {
            content: "The live chat is an entry of the timeline, on the chat channel",
            trigger:
                ".o_cc_timeline_entry[data-channel='chat'] .o_cc_timeline_title:contains('Live chat on Shop support')",
        },
        {
            content: "The agent who answered is named on the entry",
            trigger:
                ".o_cc_timeline_entry:has(.o_cc_timeline_title:contains('Live chat on Shop support')) .o_cc_timeline_handled_by:contains('Ann')",
        },
        {
            content: "Keep chats only: the live chat stays",
            trigger: ".o_cc_timeline_filter_channel[data-channel='chat']",
            run: "click",
        },
        {
            content: "Only chat entries remain, the live chat among them",
            trigger:
                ".o_cc_timeline:has(.o_cc_timeline_filter_channel[data-channel='chat'].active):has(.o_cc_timeline_title:contains('Live chat on Shop support')):not(:has(.o_cc_timeline_entry:not([data-channel='chat'])))",
        },
    ],
});
