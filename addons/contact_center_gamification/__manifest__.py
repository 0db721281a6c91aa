{
    "name": "Contact Center Challenges",
    "summary": "Gamification goals and challenges on contact center KPIs: "
    "contacts handled, handle time, first-contact resolution, SLA compliance",
    "version": "18.0.1.0.0",
    "category": "Productivity/Contact Center",
    "website": "https://github.com/contact-center-suite/contact-center",
    "author": "Contact Center Suite contributors",
    "license": "LGPL-3",
    "depends": ["contact_center", "gamification"],
    "data": [
        "data/gamification_data.xml",
    ],
    "demo": [
        "demo/gamification_demo.xml",
    ],
    "auto_install": True,
}
