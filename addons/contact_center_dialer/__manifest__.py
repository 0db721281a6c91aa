{
    "name": "Contact Center Dialer",
    "summary": "Outbound call campaigns, contact lists and the dialer",
    "version": "18.0.0.1.0",
    "category": "Productivity/Contact Center",
    "website": "https://github.com/contact-center-suite/contact-center",
    "author": "Contact Center Suite contributors",
    "license": "LGPL-3",
    "depends": ["contact_center", "crm", "utm"],
}
