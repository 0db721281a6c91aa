import { registry } from "@web/core/registry";

const SCORE_QUESTION = "div.js_question-wrapper:contains('How satisfied are you')";
const COMMENT_QUESTION = "div.js_question-wrapper:contains('Anything we could have done better')";

function commentAndSubmit(comment) {
    return [
        {
            content: "Say why",
            trigger: `${COMMENT_QUESTION} textarea`,
            run: `edit ${comment}`,
        },
        {
            content: "Submit the survey",
            trigger: "button[type=submit][value=finish]:not(.disabled)",
            run: "click",
        },
        {
            content: "The thank-you page",
            trigger: ".o_survey_finished h1:contains('Thank you!')",
        },
    ];
}

// a customer (not logged in) opens the personal link of the invitation
registry.category("web_tour.tours").add("contact_center_survey_customer_tour", {
    steps: () => [
        {
            content: "The survey's start screen: start",
            trigger: "button[type=submit][value=start]:not(.disabled)",
            run: "click",
        },
        {
            content: "Pick 4 on the scale",
            trigger: `${SCORE_QUESTION} label[for$='_4']`,
            run: "click",
        },
        {
            content: "4 is chosen",
            trigger: `${SCORE_QUESTION} label.o_survey_selected[for$='_4']`,
        },
        ...commentAndSubmit("Quick and kind"),
        {
            content: "What the code gives",
            trigger: ".o_cc_survey_incentive:contains('10% off your next order')",
        },
        {
            content: "The incentive code",
            trigger: ".o_cc_survey_incentive_code:contains('THANKS')",
        },
    ],
});

// a customer clicked 2 in the invitation email: the survey opens with 2 chosen
registry.category("web_tour.tours").add("contact_center_survey_one_click_tour", {
    steps: () => [
        {
            content: "The score clicked in the email is chosen",
            trigger: `${SCORE_QUESTION} label.o_survey_selected[for$='_2']:has(input:checked)`,
        },
        ...commentAndSubmit("Nobody called me back"),
    ],
});
