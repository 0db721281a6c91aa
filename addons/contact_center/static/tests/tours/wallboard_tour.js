import { registry } from "@web/core/registry";

const HANDLED = ".o_cc_wallboard .o_cc_wb_handled .o_cc_wb_value";

/**
 * A supervisor watches the wallboard of "Wallboard Team": one contact
 * handled today, Tina on a call. The call ends on the server (an RPC, as the
 * PBX's event would end it): the bus pings the wallboard, which fetches its
 * figures again; the page is not reloaded.
 */
registry.category("web_tour.tours").add("contact_center_wallboard_tour", {
    steps: () => [
        {
            content: "The wallboard is up, full screen, with today's figures",
            trigger: `body:not(:has(.o_main_navbar)) ${HANDLED}:contains(/^1$/)`,
            run() {
                // a page reload would lose this marker
                window.ccWallboardMarker = "not reloaded";
            },
        },
        {
            content: "Tina is on a call",
            trigger:
                ".o_cc_wb_agent:contains('Tina Talker') .o_cc_wb_agent_presence:contains('Busy')",
        },
        {
            content: "The call ends on the server side",
            trigger: ".o_cc_wb_updated_at",
            async run() {
                const { orm, bus_service } = odoo.__WOWL_DEBUG__.root.env.services;
                const ids = await orm.search("contact_center.interaction", [
                    ["name", "=", "Wallboard tour call"],
                ]);
                if (ids.length !== 1) {
                    throw new Error(`expected the tour's call, found ${ids}`);
                }
                await orm.call("contact_center.interaction", "action_end", [ids]);
                // In production the commit NOTIFYs the bus. A test cursor drops
                // post-commit hooks: ask the websocket to subscribe again, which
                // delivers the pending ping.
                bus_service.forceUpdateChannels();
            },
        },
        {
            content: "The handled figure changes without a reload",
            trigger: `${HANDLED}:contains(/^2$/)`,
            run() {
                if (window.ccWallboardMarker !== "not reloaded") {
                    throw new Error("the page was reloaded");
                }
            },
        },
    ],
});
