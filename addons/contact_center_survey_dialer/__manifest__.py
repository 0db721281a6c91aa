{
    "name": "Contact Center Surveys for Campaigns",
    "summary": "Surveys after campaign call outcomes; CSAT, NPS, CES per campaign",
    "version": "18.0.0.1.0",
    "category": "Productivity/Contact Center",
    "website": "https://github.com/contact-center-suite/contact-center",
    "author": "Contact Center Suite contributors",
    "license": "LGPL-3",
    "depends": ["contact_center_survey", "contact_center_dialer"],
    "auto_install": True,
    "data": [
        "views/contact_center_survey_rule_views.xml",
        "views/contact_center_campaign_views.xml",
        "views/survey_user_input_views.xml",
        "views/contact_center_report_survey_views.xml",
    ],
    "post_init_hook": "post_init_hook",
}
