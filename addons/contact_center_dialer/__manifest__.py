{
    "name": "Contact Center Dialer",
    "summary": "Outbound call campaigns, contact lists and the dialer",
    "version": "18.0.0.3.0",
    "category": "Productivity/Contact Center",
    "website": "https://github.com/contact-center-suite/contact-center",
    "author": "Contact Center Suite contributors",
    "license": "LGPL-3",
    "depends": ["contact_center", "crm", "utm", "phone_validation", "sms"],
    "external_dependencies": {"python": ["phonenumbers", "openpyxl"]},
    "data": [
        "security/security.xml",
        "security/ir.model.access.csv",
        "data/contact_center_campaign_cron.xml",
        "wizards/contact_center_campaign_import_views.xml",
        "views/contact_center_campaign_compliance_views.xml",
        "views/contact_center_campaign_views.xml",
        "views/contact_center_agent_views.xml",
        "views/contact_center_dialer_panel_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "contact_center_dialer/static/src/**/*",
        ],
        "web.assets_tests": [
            "contact_center_dialer/static/tests/tours/**/*",
        ],
    },
}
