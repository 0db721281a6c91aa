"""Importing a contact list into a campaign: what the user is told, and
what the queue then holds."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

CSV = """Name;Phone;Mobile;Country;Email
Anna Belga;02 555 12 12;0475 12 34 56;BE;anna@example.com
Bob York;(212) 555-0100;;US;bob@example.com
Anna again;;+32 475 12 34 56;BE;
Carl Blocked;+32 2 555 99 99;;BE;
No Number;abc;;BE;
Dora Known;+32 2 555 77 77;;BE;
"""


@tagged("post_install", "-at_install")
class TestCampaignImport(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.be")
        team = cls.env["contact_center.team"].create({"name": "Import"})
        cls.campaign = cls.env["contact_center.campaign"].create(
            {"name": "List", "team_id": team.id}
        )
        cls.env["phone.blacklist"].sudo().add("+3225559999")
        # a contact of an earlier import, with Dora's number
        cls.dora = cls.env["contact_center.campaign.contact"].create(
            {
                "campaign_id": cls.campaign.id,
                "name": "Dora",
                "number_ids": [Command.create({"phone_e164": "+3225557777"})],
            }
        )

    def test_messy_list_is_imported_and_reported(self):
        report = self.campaign._import_contacts(CSV.encode(), "list.csv")
        # Anna, Bob imported; "Anna again" merged into Anna; Dora's number
        # is already in the campaign: merged into the existing contact;
        # "No Number" invalid; Carl's only number is on the do-not-call
        # list: excluded, and his row set aside
        self.assertEqual(report["imported"], 2)
        self.assertEqual(report["merged"], 2)
        self.assertEqual(report["invalid"], 1)
        self.assertEqual(report["excluded"], 1)
        lines = {error["line"] for error in report["errors"]}
        self.assertEqual(lines, {5, 6})
        contacts = self.campaign.contact_ids
        self.assertEqual(len(contacts), 3)
        anna = contacts.filtered(lambda c: c.name == "Anna Belga")
        # dialled in this order: mobile first
        self.assertEqual(
            anna.number_ids.mapped("phone_e164"), ["+32475123456", "+3225551212"]
        )
        self.assertEqual(anna.number_ids.mapped("kind"), ["mobile", "phone"])
        self.assertEqual(anna.tz, "Europe/Brussels")
        self.assertEqual(anna.email, "anna@example.com")
        bob = contacts.filtered(lambda c: c.name == "Bob York")
        self.assertEqual(bob.number_ids.phone_e164, "+12125550100")
        self.assertEqual(bob.tz, "America/New_York")
        self.assertEqual(self.dora.number_ids.mapped("phone_e164"), ["+3225557777"])

    def test_unreadable_file_is_refused_with_a_clear_error(self):
        with self.assertRaisesRegex(UserError, "cannot be imported"):
            self.campaign._import_contacts(b"\x00\x01binary", "list.pdf")
        self.assertEqual(len(self.campaign.contact_ids), 1)
