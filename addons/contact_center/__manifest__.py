{
    "name": "Contact Center",
    "summary": "Interactions, customer timeline and 360° view, teams, skills "
    "and agent presence for support and sales contact centers",
    "version": "18.0.0.1.0",
    "category": "Productivity/Contact Center",
    "website": "https://github.com/contact-center-suite/contact-center",
    "author": "Contact Center Suite contributors",
    "license": "LGPL-3",
    "depends": ["mail", "resource", "phone_validation", "portal", "crm", "bus"],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/security.xml",
        "security/ir.model.access.csv",
        "data/contact_center_customer_tier_data.xml",
        "data/contact_center_disposition_data.xml",
        "data/contact_center_contact_reason_data.xml",
        "data/contact_center_ticket_data.xml",
        "views/contact_center_interaction_views.xml",
        "views/contact_center_ticket_views.xml",
        "views/contact_center_team_views.xml",
        "views/contact_center_agent_views.xml",
        "views/contact_center_agent_presence_views.xml",
        "views/contact_center_skill_views.xml",
        "views/contact_center_disposition_views.xml",
        "views/contact_center_contact_reason_views.xml",
        "views/contact_center_customer_tier_views.xml",
        "views/res_partner_views.xml",
        "views/crm_lead_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/contact_center_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "contact_center/static/src/**/*",
        ],
        "web.assets_tests": [
            "contact_center/static/tests/tours/**/*",
        ],
    },
    "application": True,
}
