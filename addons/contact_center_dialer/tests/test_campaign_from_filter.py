"""A contact list from a saved filter on customers or leads."""

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCampaignFromFilter(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.be")
        team = cls.env["contact_center.team"].create({"name": "Filter"})
        cls.campaign = cls.env["contact_center.campaign"].create(
            {"name": "Win-back", "team_id": team.id}
        )
        Partner = cls.env["res.partner"]
        cls.gold = Partner.create(
            [
                {
                    "name": "Gina Gold",
                    "phone": "02 555 41 41",
                    "mobile": "0475 41 41 41",
                    "ref": "WINBACK",
                    "tz": "Europe/Brussels",
                },
                {
                    "name": "Hugo Ny",
                    "phone": "(212) 555-0141",
                    "country_id": cls.env.ref("base.us").id,
                    "ref": "WINBACK",
                },
                {"name": "Ivo Nophone", "ref": "WINBACK"},
                {"name": "Jan Blocked", "phone": "02 555 41 99", "ref": "WINBACK"},
            ]
        )
        cls.env["phone.blacklist"].sudo().add("+3225554199")

    def _filter(self, model, domain):
        return self.env["ir.filters"].create(
            {
                "name": "Win-back",
                "model_id": model,
                "domain": repr(domain),
                "user_id": False,
            }
        )

    def test_customers_of_a_saved_filter_are_added(self):
        self.campaign.write(
            {
                "list_model": "res.partner",
                "list_filter_id": self._filter(
                    "res.partner", [("ref", "=", "WINBACK")]
                ).id,
            }
        )
        action = self.campaign.action_add_from_filter()
        self.assertIn("2 added", action["params"]["message"])
        self.assertIn("1 without a valid number", action["params"]["message"])
        contacts = self.campaign.contact_ids
        gina = contacts.filtered(lambda c: c.partner_id.name == "Gina Gold")
        self.assertEqual(
            gina.number_ids.mapped("phone_e164"), ["+32475414141", "+3225554141"]
        )
        self.assertEqual(gina.tz, "Europe/Brussels")
        hugo = contacts.filtered(lambda c: c.partner_id.name == "Hugo Ny")
        self.assertEqual(hugo.number_ids.phone_e164, "+12125550141")
        self.assertEqual(hugo.tz, "America/New_York")
        # the same filter again adds nobody twice
        report = self.campaign._add_records(self.gold)
        self.assertEqual((report["imported"], report["merged"]), (0, 2))
        self.assertEqual(len(self.campaign.contact_ids), 2)

    def test_leads_are_added_with_their_lead(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "Renewal",
                "contact_name": "Karl Lead",
                "phone": "+32 2 555 42 42",
                "partner_id": self.gold[0].id,
            }
        )
        report = self.campaign._add_records(lead)
        self.assertEqual(report["imported"], 1)
        contact = self.campaign.contact_ids
        self.assertEqual(contact.lead_id, lead)
        self.assertEqual(contact.partner_id, self.gold[0])
        self.assertEqual(contact.name, "Karl Lead")

    def test_no_filter_chosen_is_a_clear_error(self):
        with self.assertRaisesRegex(UserError, "saved filter"):
            self.campaign.action_add_from_filter()
