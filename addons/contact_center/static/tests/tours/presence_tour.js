import { registry } from "@web/core/registry";

function pick(presence) {
    return [
        {
            content: "Open the presence menu",
            trigger: ".o_cc_presence_toggler",
            run: "click",
        },
        {
            content: `Pick ${presence}`,
            trigger: `.o_cc_presence_menu .o_cc_presence_choice[data-presence='${presence}']`,
            run: "click",
        },
        {
            content: `The top bar shows ${presence}`,
            trigger: `.o_cc_presence_systray .o_cc_presence_state[data-presence='${presence}']`,
        },
    ];
}

registry.category("web_tour.tours").add("contact_center_presence_tour", {
    steps: () => [
        {
            content: "A new agent starts offline",
            trigger: ".o_cc_presence_systray .o_cc_presence_state[data-presence='offline']",
        },
        ...pick("available"),
        ...pick("break"),
    ],
});

registry.category("web_tour.tours").add("contact_center_presence_absent_tour", {
    steps: () => [
        {
            content: "The top bar is complete and has no presence item",
            trigger: ".o_menu_systray:has(.o_user_menu):not(:has(.o_cc_presence_systray))",
        },
    ],
});
