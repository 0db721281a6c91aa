import { registry } from "@web/core/registry";

// the team's supervisor opens the agent's form after a customer answered
registry.category("web_tour.tours").add("contact_center_survey_supervisor_tour", {
    steps: () => [
        {
            content: "The satisfaction block of the agent",
            trigger: ".o_form_view .o_horizontal_separator:contains('Satisfaction')",
        },
        {
            content: "The agent's last score: CSAT",
            trigger: ".o_form_view .o_field_widget[name=cc_survey_last_score_kind]:contains('CSAT')",
        },
        {
            content: "4",
            trigger: ".o_form_view .o_field_widget[name=cc_survey_last_score]:contains('4')",
        },
    ],
});
