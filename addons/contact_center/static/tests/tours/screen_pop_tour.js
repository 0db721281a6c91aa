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
            content: "The card shows the VIP tier",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_vip",
        },
        {
            content: "The card lists the open ticket",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_ticket:contains('Router keeps rebooting')",
        },
        {
            content: "The card lists the last contact",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_last:contains('Alan Agent')",
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
                await pbxSends("tour-call-1", "+32470555111", ["answered", "ended"]);
            },
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
