import { rpc } from "@web/core/network/rpc";
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

registry.category("web_tour.tours").add("contact_center_presence_live_tour", {
    steps: () => [
        {
            content: "The agent is offline",
            trigger: ".o_cc_presence_systray .o_cc_presence_state[data-presence='offline']",
        },
        {
            content: "Change the presence behind the widget's back, as a supervisor would",
            trigger: ".o_cc_presence_systray",
            async run() {
                await rpc("/web/dataset/call_kw/contact_center.agent/set_my_presence", {
                    model: "contact_center.agent",
                    method: "set_my_presence",
                    args: ["break"],
                    kwargs: {},
                });
            },
        },
        {
            content: "The bus brings the new presence to the top bar",
            trigger: ".o_cc_presence_systray .o_cc_presence_state[data-presence='break']",
        },
    ],
});
