import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("contact_center_presence_timeout_tour", {
    steps: () => [
        {
            content: "Set offline by the timeout, the agent sees Offline",
            trigger: ".o_cc_presence_systray .o_cc_presence_state[data-presence='offline']",
        },
        {
            content: "A notice says why",
            trigger: ".o_notification:contains(your web client was disconnected)",
        },
        {
            content: "Open the presence menu",
            trigger: ".o_cc_presence_toggler",
            run: "click",
        },
        {
            content: "The menu says why too",
            trigger: ".o_cc_presence_menu .o_cc_presence_notice",
        },
        {
            content: "Pick Available again",
            trigger: ".o_cc_presence_menu .o_cc_presence_choice[data-presence='available']",
            run: "click",
        },
        {
            content: "The top bar shows Available",
            trigger: ".o_cc_presence_systray .o_cc_presence_state[data-presence='available']",
        },
        {
            content: "Open the presence menu again",
            trigger: ".o_cc_presence_toggler",
            run: "click",
        },
        {
            content: "The notice is gone",
            trigger:
                ".o_cc_presence_menu:has(.o_cc_presence_choice):not(:has(.o_cc_presence_notice))",
        },
    ],
});

registry.category("web_tour.tours").add("contact_center_presence_auto_return_tour", {
    steps: () => [
        {
            content: "Back in the web client, the team brings the agent back to Available",
            trigger: ".o_cc_presence_systray .o_cc_presence_state[data-presence='available']",
        },
    ],
});
