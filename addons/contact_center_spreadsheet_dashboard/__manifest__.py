{
    "name": "Contact Center Dashboards",
    "summary": "Contact center overview, ticket desk and SLA compliance dashboards "
    "in the Dashboards app",
    "version": "18.0.1.0.0",
    "category": "Productivity/Contact Center",
    "website": "https://github.com/contact-center-suite/contact-center",
    "author": "Contact Center Suite contributors",
    "license": "LGPL-3",
    "depends": ["contact_center", "spreadsheet_dashboard"],
    "data": [
        "data/dashboards.xml",
    ],
    "auto_install": True,
}
