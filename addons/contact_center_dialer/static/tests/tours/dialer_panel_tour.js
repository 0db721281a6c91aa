import { registry } from "@web/core/registry";

/**
 * An agent works a preview campaign in the dialer panel: picks the
 * campaign, takes the first contact (no answer), takes the next one and
 * schedules a callback for tomorrow 10:00 in that contact's time zone.
 */
const CALLBACK_TZ = "America/New_York";

function tomorrowTenInContactZone() {
    return luxon.DateTime.now()
        .setZone(CALLBACK_TZ)
        .plus({ days: 1 })
        .toFormat("yyyy-MM-dd'T'10:00");
}

registry.category("web_tour.tours").add("contact_center_dialer_panel_tour", {
    steps: () => [
        {
            content: "The dialer opens without a campaign chosen (the agent has two)",
            trigger: ".o_cc_dialer_panel .o_cc_dialer_pick",
        },
        {
            content: "Next contact waits for a campaign",
            trigger: ".o_cc_dialer_next:disabled",
        },
        {
            content: "Pick the Renewals campaign",
            trigger: ".o_cc_dialer_campaign:has(option:contains('Winback'))",
            async run(helpers) {
                const option = [...this.anchor.options].find((o) => o.text === "Renewals");
                await helpers.select(option.value);
            },
        },
        {
            content: "The campaign's mode shows, ready for the next call",
            trigger: ".o_cc_dialer_mode:contains('Preview')",
        },
        {
            content: "Ready for the next call",
            trigger: ".o_cc_dialer_idle",
        },
        {
            content: "The agent is offline: the panel offers to go available",
            trigger: ".o_cc_dialer_presence:contains('offline') .o_cc_dialer_go_available",
            run: "click",
        },
        {
            content: "Available now",
            trigger: ".o_cc_dialer_toolbar:not(:has(.o_cc_dialer_presence))",
        },
        {
            content: "Take the next contact",
            trigger: ".o_cc_dialer_next:enabled",
            run: "click",
        },
        {
            content: "Nina's card, with her number and the softphone link",
            trigger: ".o_cc_dialer_contact_name:contains('Nina Noanswer')",
        },
        {
            content: "The Call link hands the number to the softphone",
            trigger: ".o_cc_dialer_call[href='tel:+3225551201']",
        },
        {
            content: "The script is filled in with her name, markup shown as text",
            trigger: ".o_cc_dialer_script:contains('Good morning Nina Noanswer')",
        },
        {
            content: "Her local time shows in her zone",
            trigger: ".o_cc_dialer_tz:contains('Europe/Brussels')",
        },
        {
            content: "Her earlier call is in the history",
            trigger: ".o_cc_dialer_history_item:contains('Asked for a quote')",
        },
        {
            content: "Write a note",
            trigger: ".o_cc_dialer_note",
            run: "edit Rang ten times",
        },
        {
            content: "Leave the note (shortcuts are off while typing)",
            trigger: ".o_cc_dialer_script",
            run: "click",
        },
        {
            content: "Nobody answers: press 1",
            trigger: ".o_cc_dialer_outcome_no_answer:contains('1')",
            run: "press 1",
        },
        {
            content: "The call is recorded, the panel is ready again",
            trigger: ".o_cc_dialer_idle",
        },
        {
            content: "Take the next contact with the keyboard",
            trigger: ".o_cc_dialer_next:enabled",
            run: "press n",
        },
        {
            content: "Carl's card",
            trigger: ".o_cc_dialer_contact_name:contains('Carl Callback')",
        },
        {
            content: "He is in New York",
            trigger: `.o_cc_dialer_tz:contains('${CALLBACK_TZ}')`,
        },
        {
            content: "He asks to be called back: Callback",
            trigger: ".o_cc_dialer_outcome_callback",
            run: "click",
        },
        {
            content: "The picker reads the contact's time zone",
            trigger: `.o_cc_dialer_callback label:contains('${CALLBACK_TZ}')`,
        },
        {
            content: "Tomorrow 10:00 his time",
            trigger: ".o_cc_dialer_callback_at",
            run() {
                // hoot's edit cannot type into a native date-time input: set
                // the value as the browser's picker does, with its events
                this.anchor.value = tomorrowTenInContactZone();
                this.anchor.dispatchEvent(new Event("input", { bubbles: true }));
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The date is set",
            trigger: ".o_cc_dialer_callback_at",
            run() {
                const value = document.querySelector(".o_cc_dialer_callback_at").value;
                if (value !== tomorrowTenInContactZone()) {
                    throw new Error(`the picker holds ${value}`);
                }
            },
        },
        {
            content: "For me",
            trigger: ".o_cc_dialer_callback_me:checked",
        },
        {
            content: "Schedule it",
            trigger: ".o_cc_dialer_callback_confirm",
            run: "click",
        },
        {
            content: "Recorded: the panel is ready again",
            trigger: ".o_cc_dialer_idle",
        },
        {
            content: "Nobody else is due: the next press says so",
            trigger: ".o_cc_dialer_next:enabled",
            run: "click",
        },
        {
            content: "Nobody to call",
            trigger: ".o_notification:contains('Nobody to call right now')",
        },
    ],
});
