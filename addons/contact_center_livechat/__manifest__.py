{
    "name": "Contact Center Live Chat",
    "summary": "Live chat sessions as contact-center interactions, routed by "
    "presence and chat capacity; offline messages become tickets and callbacks",
    "version": "18.0.0.1.0",
    "category": "Productivity/Contact Center",
    "website": "https://github.com/contact-center-suite/contact-center",
    "author": "Contact Center Suite contributors",
    "license": "LGPL-3",
    "depends": ["contact_center", "im_livechat"],
    "auto_install": True,
    "data": [
        "security/ir.model.access.csv",
        "data/ir_cron.xml",
        "views/im_livechat_channel_views.xml",
        "views/offline_templates.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "contact_center_livechat/static/tests/tours/**/*",
        ],
    },
}
