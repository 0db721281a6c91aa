import { registry } from "@web/core/registry";

/**
 * Tickets > New: the new ticket is titled "New ticket" (never "[New] False")
 * until it is saved, then by its number and subject.
 */
registry.category("web_tour.tours").add("contact_center_ticket_title_tour", {
    steps: () => [
        {
            content: "Create a ticket",
            trigger: ".o_control_panel_main_buttons button.o-kanban-button-new",
            run: "click",
        },
        {
            content: "The unsaved ticket is titled 'New ticket'",
            trigger: ".o_breadcrumb .o_last_breadcrumb_item:contains('New ticket')",
        },
        {
            content: "Nothing reads 'False'",
            trigger: ".o_control_panel:not(:contains('False'))",
        },
        {
            content: "Type the subject",
            trigger: ".o_field_widget[name='name'] input",
            run: "edit Screen flickers",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The saved ticket is titled by its number and subject",
            trigger:
                ".o_breadcrumb .o_last_breadcrumb_item:contains('TCK/'):contains('Screen flickers')",
        },
        {
            content: "Still no 'False'",
            trigger: ".o_control_panel:not(:contains('False'))",
        },
    ],
});

/**
 * A canned response picked on a ticket waiting on the customer shows in the
 * composer already filled in, "{expected}" in words, before it is sent.
 */
registry.category("web_tour.tours").add("contact_center_canned_preview_tour", {
    steps: () => [
        {
            content: "Answer the customer",
            trigger: ".o-mail-Chatter button:contains(Send message)",
            run: "click",
        },
        {
            content: "Call a canned response",
            trigger: ".o-mail-Composer-input",
            run: "edit :later",
        },
        {
            content: "Pick it",
            trigger: ".o-mail-Composer-suggestion:contains(later)",
            run: "click",
        },
        {
            content: "The composer shows the text the customer will receive",
            trigger:
                ".o-mail-Composer-input:value('Hello Paula Paused, we will get back to you about TCK/'):value('as soon as you reply.')",
        },
        {
            content: "No placeholder is left",
            trigger: ".o-mail-Composer-input:not(:value('{'))",
        },
        {
            content: "Send",
            trigger: ".o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The message is posted as it was shown",
            trigger: ".o-mail-Message-body:contains('as soon as you reply.')",
        },
    ],
});
