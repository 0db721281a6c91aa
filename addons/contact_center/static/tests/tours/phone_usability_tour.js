import { registry } from "@web/core/registry";

const DIAL = "button[name='action_cc_dial']";

registry.category("web_tour.tours").add("contact_center_phone_usability_tour", {
    steps: () => [
        {
            content: "Open the search options",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Filter the contacts whose phone needs fixing",
            trigger: ".o_filter_menu .o-dropdown-item:contains(Phone Needs Fixing)",
            run: "click",
        },
        {
            content: "The contact with an unusable phone is listed, the others are not",
            trigger:
                ".o_kanban_renderer:has(.o_kanban_record:contains(Maybe Caller))" +
                ":not(:has(.o_kanban_record:contains(Fine Caller)))",
        },
        {
            content: "Open it",
            trigger: ".o_kanban_record:contains(Maybe Caller)",
            run: "click",
        },
        {
            content: "The form warns that the phone cannot be used",
            trigger: ".o_form_view .o_cc_phone_issue:contains(call me maybe 123)",
        },
        {
            content: "Only the valid mobile offers a dial icon",
            trigger:
                `.o_form_view:has(${DIAL}[data-tooltip='Call this mobile number'])` +
                `:not(:has(${DIAL}[data-tooltip='Call this phone number']))`,
        },
        {
            content: "Correct the phone",
            trigger: ".o_form_view div[name='phone'] input",
            run: "edit +32 2 200 11 01 && click .o_form_view .oe_title",
        },
        {
            content: "The warning goes and the phone can be dialled",
            trigger:
                `.o_form_view:has(${DIAL}[data-tooltip='Call this phone number'])` +
                ":not(:has(.o_cc_phone_issue))",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view:not(:has(.o_form_button_save:visible))",
        },
    ],
});
