{
    "name": "Contact Center Surveys",
    "summary": "Post-interaction CSAT, NPS and CES surveys by email and SMS",
    "version": "18.0.0.3.0",
    "category": "Productivity/Contact Center",
    "website": "https://github.com/contact-center-suite/contact-center",
    "author": "Contact Center Suite contributors",
    "license": "LGPL-3",
    "depends": ["contact_center", "survey", "sms"],
    "data": [
        "security/security.xml",
        "security/ir.model.access.csv",
        "data/survey_templates.xml",
        "data/mail_templates.xml",
        "views/survey_survey_views.xml",
        "views/contact_center_survey_rule_views.xml",
        "views/survey_user_input_views.xml",
    ],
}
