import { registry } from "@web/core/registry";

/**
 * Click-to-dial without a PBX: the browser hands the tel: URI to the
 * softphone and stays on the customer's form; the card shows the outgoing
 * call and the agent says how it went.
 */
const NUMBER = "+16039963829";
let pageBefore = "";

registry.category("web_tour.tours").add("contact_center_click_to_dial_tour", {
    steps: () => [
        {
            content: "The customer's form is open, with the dial button",
            trigger: ".o_form_view:has(.o_field_widget[name=phone]) button[name=action_cc_dial]",
        },
        {
            content: "No card before the call",
            trigger: "body:not(:has(.o_cc_screen_pop))",
            run() {
                pageBefore = window.location.href;
            },
        },
        {
            content: "Click the phone icon next to the number",
            trigger: ".o_form_view button[name=action_cc_dial]",
            run: "click",
        },
        {
            content: "The card shows the outgoing call, ringing, with its timer",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_state_ringing",
        },
        {
            content: "It is an outgoing call",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_direction:contains('Outbound')",
        },
        {
            content: "The timer runs",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_timer",
        },
        {
            content: "The softphone got the tel: URI",
            trigger: `.o_cc_screen_pop a.o_cc_screen_pop_redial[href='tel:${NUMBER}']`,
        },
        {
            content: "No wrap-up while the call rings",
            trigger: ".o_cc_screen_pop:not(:has(.o_cc_screen_pop_wrap_up)) .o_cc_screen_pop_wrap_up_later",
        },
        {
            content: "The browser stayed on the customer's form",
            trigger: ".o_form_view button[name=action_cc_dial]",
            run() {
                if (window.location.href !== pageBefore) {
                    throw new Error(`the page moved from ${pageBefore} to ${window.location.href}`);
                }
                if (window.location.href.includes("tel:")) {
                    throw new Error(`the browser loaded ${window.location.href}`);
                }
            },
        },
        {
            content: "Nobody answers: the agent says so",
            trigger: ".o_cc_screen_pop .o_cc_screen_pop_outcome_no_answer",
            run: "click",
        },
        {
            content: "The card closes",
            trigger: "body:not(:has(.o_cc_screen_pop))",
        },
        {
            content: "Reload the page",
            trigger: ".o_form_view",
            run() {
                window.location.reload();
            },
            expectUnloadPage: true,
        },
        {
            content: "The web client is back",
            trigger: ".o_menu_systray .o_cc_presence_systray",
        },
        {
            content: "The form is back, still without a card",
            trigger: ".o_form_view button[name=action_cc_dial]",
        },
        {
            content: "The call's card does not come back",
            trigger: "body:not(:has(.o_cc_screen_pop))",
        },
    ],
});
