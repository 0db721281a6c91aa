import { registry } from "@web/core/registry";

const LIST = [
    "name,phone,time zone",
    "Paula Power,+32 2 555 31 01,Europe/Brussels",
    "Quentin Quick,+32 2 555 31 02,Europe/Brussels",
    "Rita Later,+32 2 555 31 03,Europe/Brussels",
    "Broken Row,call me maybe,Europe/Brussels",
].join("\n");

function tomorrowTen() {
    const { DateTime } = luxon;
    return DateTime.now()
        .setZone("Europe/Brussels")
        .plus({ days: 1 })
        .set({ hour: 10, minute: 0, second: 0, millisecond: 0 })
        .toFormat("yyyy-MM-dd'T'HH:mm");
}

registry.category("web_tour.tours").add("contact_center_dialer_power_supervisor_tour", {
    steps: () => [
        {
            content: "The draft power campaign, dialing through the simulated PBX",
            trigger: ".o_form_view .o_field_widget[name=provider_id] input:value('Demo PBX')",
        },
        {
            content: "Import a contact list",
            trigger: ".o_form_view button[name=action_import_contacts]:first",
            run: "click",
        },
        {
            content: "Give the wizard a CSV file",
            trigger: ".modal .o_field_widget[name=file]",
            async run() {
                // the browser's file picker, filled as a user's choice would
                const input = this.anchor.querySelector("input[type=file]");
                const file = new File([LIST], "spring.csv", { type: "text/csv" });
                const transfer = new DataTransfer();
                transfer.items.add(file);
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The file is loaded",
            trigger: ".modal .o_field_widget[name=file] input:value('spring.csv')",
        },
        {
            content: "Next: check the columns",
            trigger: ".modal button[name=action_read_columns]",
            run: "click",
        },
        {
            content: "The time zone column is recognised",
            trigger: ".modal .o_field_widget[name=column_ids] td:contains('time zone')",
        },
        {
            content: "Import",
            trigger: ".modal button[name=action_import]",
            run: "click",
        },
        {
            content: "Three contacts imported",
            trigger: ".modal .o_field_widget[name=imported]:contains('3')",
        },
        {
            content: "The broken row is listed with its line number",
            trigger: ".modal .o_field_widget[name=error_text]:contains('5')",
        },
        {
            content: "Close the report",
            trigger: ".modal .modal-footer button:contains('Close')",
            run: "click",
        },
        {
            content: "Start the campaign",
            trigger: ".o_form_view button[name=action_start]",
            run: "click",
        },
        {
            content: "It runs",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Running')",
        },
    ],
});

registry.category("web_tour.tours").add("contact_center_dialer_power_agent_tour", {
    steps: () => [
        {
            content: "A power campaign: join it",
            trigger: ".o_cc_dialer_mode:contains('Power')",
        },
        {
            content: "Join the campaign",
            trigger: ".o_cc_dialer_join",
            run: "click",
        },
        {
            content: "The dialer calls; Paula answers and is connected",
            trigger: ".o_cc_dialer_contact:has(.o_cc_dialer_contact_name:contains('Paula Power')):has(.o_cc_dialer_call_state .text-bg-success)",
            timeout: 30000,
        },
        {
            content: "She buys: press 5 (Sale)",
            trigger: ".o_cc_dialer_contact_name:contains('Paula Power')",
            run: "press 5",
        },
        {
            content: "Quentin is connected next",
            trigger: ".o_cc_dialer_contact:has(.o_cc_dialer_contact_name:contains('Quentin Quick')):has(.o_cc_dialer_call_state .text-bg-success)",
            timeout: 30000,
        },
        {
            content: "He wants to be called back",
            trigger: ".o_cc_dialer_outcome_callback",
            run: "click",
        },
        {
            content: "Tomorrow 10:00 their time",
            trigger: ".o_cc_dialer_callback_at",
            run() {
                this.anchor.value = tomorrowTen();
                this.anchor.dispatchEvent(new Event("input", { bubbles: true }));
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Schedule it",
            trigger: ".o_cc_dialer_callback_confirm",
            run: "click",
        },
        {
            content: "Rita is connected",
            trigger: ".o_cc_dialer_contact:has(.o_cc_dialer_contact_name:contains('Rita Later')):has(.o_cc_dialer_call_state .text-bg-success)",
            timeout: 30000,
        },
        {
            content: "Not interested",
            trigger: ".o_cc_dialer_outcome_not_interested",
            run: "click",
        },
        {
            content: "Nobody left to call: waiting",
            trigger: ".o_cc_dialer_waiting",
        },
        {
            content: "Leave the campaign",
            trigger: ".o_cc_dialer_leave:enabled",
            run: "click",
        },
        {
            content: "Out of the campaign",
            trigger: ".o_cc_dialer_join",
        },
    ],
});

registry.category("web_tour.tours").add("contact_center_dialer_power_report_tour", {
    steps: () => [
        {
            content: "Two of three reached people answered (sale, not interested)",
            trigger: ".o_form_view .o_field_widget[name=reached_count]:contains('2')",
        },
        {
            content: "One converted",
            trigger: ".o_form_view .o_field_widget[name=converted_count]:contains('1')",
        },
        {
            content: "Open the calls",
            trigger: ".o_form_view button[name=action_open_dialer_calls]",
            run: "click",
        },
        {
            content: "The calls by outcome: one sale",
            trigger: ".o_list_view .o_group_name:contains('Sale (1)')",
        },
        {
            content: "one not interested",
            trigger: ".o_list_view .o_group_name:contains('Not Interested (1)')",
        },
        {
            content: "and one callback",
            trigger: ".o_list_view .o_group_name:contains('Callback Requested (1)')",
        },
    ],
});
