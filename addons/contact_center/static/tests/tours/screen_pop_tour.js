import { registry } from "@web/core/registry";

/**
 * The PBX of the test ("tour-pbx", secret below) rings the logged-in agent
 * (extension 301): the card must arrive through the bus, without a reload.
 * The request is signed in the browser exactly as a PBX signs it.
 */
const PROVIDER = "tour-pbx";
const SECRET = "tour-secret-of-the-pbx";

async function sign(timestamp, body) {
    const key = await crypto.subtle.importKey(
        "raw",
        new TextEncoder().encode(SECRET),
        { name: "HMAC", hash: "SHA-256" },
        false,
        ["sign"]
    );
    const mac = await crypto.subtle.sign(
        "HMAC",
        key,
        new TextEncoder().encode(`${timestamp}.${body}`)
    );
    const hex = [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0"));
    return `sha256=${hex.join("")}`;
}

async function pbxSends(callId, caller, types) {
    const body = JSON.stringify({
        events: types.map((type) => ({
            id: `${callId}-${type}`,
            call_id: callId,
            type,
            at: new Date().toISOString(),
            caller,
            called: "+3222009900",
            agent: "301",
        })),
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch("/contact_center/telephony/v1/events", {
        method: "POST",
        headers: {
            "Content-Type": "application/json",
            "X-CC-Provider": PROVIDER,
            "X-CC-Timestamp": String(timestamp),
            "X-CC-Signature": await sign(timestamp, body),
        },
        body,
    });
    const text = await response.text();
    const done = types.map((type) => `"id": "${callId}-${type}", "status": "done"`);
    if (response.status !== 200 || !done.every((part) => text.includes(part))) {
        throw new Error(`the PBX's event was refused (${response.status}): ${text.slice(0, 500)}`);
    }
    // In production the commit NOTIFYs the bus, which pushes the call's news
    // to the tab. A test cursor drops post-commit hooks, so nothing wakes the
    // websocket up: ask it to subscribe again, which delivers what is pending.
    odoo.__WOWL_DEBUG__.root.env.services.bus_service.forceUpdateChannels();
}

function ring(callId, caller) {
    return [
        {
            content: "The web client is up, no card yet",
            trigger: ".o_menu_systray .o_cc_presence_systray",
        },
        {
            content: "The web client does not show a card before the call",
            trigger: "body:not(:has(.o_cc_screen_pop))",
        },
        {
            content: `The PBX rings the agent for ${caller}`,
            trigger: "body",
            async run() {
                await pbxSends(callId, caller, ["ringing"]);
            },
        },
    ];
}

registry.category("web_tour.tours").add("contact_center_screen_pop_tour", {
    steps: () => [
        ...ring("tour-call-1", "+32470555111"),
        {
            content: "The card names the caller, with tier and VIP badge",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_customer:contains('Vera Important')",
        },
        {
            content: "The card shows the VIP tier once",
            trigger: ".o_cc_screen_pop:not(:has(.o_cc_screen_pop_tier)) .o_cc_screen_pop_vip:contains('VIP')",
            run() {
                const badges = [...document.querySelectorAll(".o_cc_screen_pop .badge")].filter(
                    (badge) => badge.textContent.includes("VIP")
                );
                if (badges.length !== 1) {
                    throw new Error(`${badges.length} VIP badges on the card`);
                }
            },
        },
        {
            content: "The number is formatted for reading",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_number:contains('+32 470 55 51 11')",
        },
        {
            content: "The counts read as words, not 'ticket(s)'",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_open_count:contains('1 open ticket')",
            run() {
                const text = document.querySelector(".o_cc_screen_pop").textContent;
                if (text.includes("(s)")) {
                    throw new Error(`the card still says "(s)": ${text}`);
                }
            },
        },
        {
            content: "The call rings: state and timer, no wrap-up form yet",
            trigger: ".o_cc_screen_pop:not(:has(.o_cc_screen_pop_wrap_up)) .o_cc_screen_pop_state_ringing",
        },
        {
            content: "The ringing time runs",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_timer",
        },
        {
            content: "Dock the card beside the page",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_dock",
            run: "click",
        },
        {
            content: "The page makes room for the docked card",
            trigger: "body.o_cc_screen_pop_has_dock .o_cc_screen_pop.o_cc_screen_pop_docked",
        },
        {
            content: "Minimise the card",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_minimise",
            run: "click",
        },
        {
            content: "Only the card's bar is left",
            trigger: "body:not(.o_cc_screen_pop_has_dock) .o_cc_screen_pop.o_cc_screen_pop_minimised:not(:has(.card-body))",
        },
        {
            content: "Expand it again",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_minimise",
            run: "click",
        },
        {
            content: "The card lists the open ticket",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_ticket:contains('Router keeps rebooting')",
        },
        {
            content: "The card lists the last contact, dated in the user's format",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_last:contains('Alan Agent') .o_cc_screen_pop_last_date",
            run() {
                const date = document.querySelector(".o_cc_screen_pop_last_date").textContent;
                if (/\d{4}-\d{2}-\d{2}/.test(date) || !date.includes("03/02/2026")) {
                    throw new Error(`last contact dated ${date}`);
                }
            },
        },
        {
            content: "Open the 360° view",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_360",
            run: "click",
        },
        {
            content: "The customer's timeline opens and the card stays",
            trigger: ".o_action_manager .o_cc_timeline .o_cc_timeline_entry",
        },
        {
            content: "The card survived the navigation",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_customer:contains('Vera Important')",
        },
        {
            content: "The agent answers, then the caller hangs up",
            trigger: ".o_cc_screen_pop",
            async run() {
                await pbxSends("tour-call-1", "+32470555111", ["answered"]);
            },
        },
        {
            content: "In progress: still no wrap-up form",
            trigger: ".o_cc_screen_pop:not(:has(.o_cc_screen_pop_wrap_up)) .o_cc_screen_pop_state_in_progress",
        },
        {
            content: "The caller hangs up",
            trigger: ".o_cc_screen_pop",
            async run() {
                await pbxSends("tour-call-1", "+32470555111", ["ended"]);
            },
        },
        {
            content: "The call has ended: the card offers the wrap-up",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_state_wrap_up",
        },
        {
            content: "Pick a disposition",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_disposition",
            run: "selectByLabel Resolved",
        },
        {
            content: "Pick a contact reason",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_reason",
            run: "selectByLabel Billing / Invoice question",
        },
        {
            content: "Write a note",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_note",
            run: "edit Customer asked for a duplicate invoice",
        },
        {
            content: "Save the wrap-up",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_save",
            run: "click",
        },
        {
            content: "The card closes",
            trigger: "body:not(:has(.o_cc_screen_pop))",
        },
    ],
});

registry.category("web_tour.tours").add("contact_center_screen_pop_unknown_tour", {
    steps: () => [
        ...ring("tour-call-2", "+32470555999"),
        {
            content: "An unknown caller's card offers to create the contact",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_unknown",
        },
        {
            content: "Create the contact without a name",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_create_partner",
            run: "click",
        },
        {
            content: "The card says what is missing, next to the field, without a dialog",
            trigger: "body:not(:has(.o_dialog)) .o_cc_screen_pop .o_cc_screen_pop_name.is-invalid ~ .o_cc_screen_pop_name_error",
        },
        {
            content: "Type the caller's name",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_name",
            run: "edit Nina Newcomer",
        },
        {
            content: "Create the contact in one click",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_create_partner",
            run: "click",
        },
        {
            content: "The card now names the new contact",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_customer:contains('Nina Newcomer')",
        },
    ],
});

registry.category("web_tour.tours").add("contact_center_screen_pop_link_tour", {
    steps: () => [
        ...ring("tour-call-3", "+32470555777"),
        {
            content: "The caller is unknown: she calls from another phone",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_unknown",
        },
        {
            content: "Search the contact by name",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_link_query",
            run: "edit Vera Imp",
        },
        {
            content: "Link the contact found",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_link_result:contains('Vera Important')",
            run: "click",
        },
        {
            content: "The card now shows the customer, with her open ticket",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_ticket:contains('Router keeps rebooting')",
        },
    ],
});

registry.category("web_tour.tours").add("contact_center_screen_pop_reopen_tour", {
    steps: () => [
        {
            content: "The page loads during the wrap-up: the card comes back",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_state_wrap_up",
        },
        {
            content: "The card shows the disposition already picked",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_disposition",
            run() {
                const select = document.querySelector(".o_cc_screen_pop_disposition");
                const picked = select.options[select.selectedIndex].textContent;
                if (picked !== "Callback Requested") {
                    throw new Error(`the card shows disposition "${picked}"`);
                }
            },
        },
        {
            content: "... and the note",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_note",
            run() {
                const note = document.querySelector(".o_cc_screen_pop_note").value;
                if (note !== "Call back after 5 pm") {
                    throw new Error(`the card shows the note "${note}"`);
                }
            },
        },
        {
            content: "Save the wrap-up as it is",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_save",
            run: "click",
        },
        {
            content: "The card closes",
            trigger: "body:not(:has(.o_cc_screen_pop))",
        },
    ],
});
