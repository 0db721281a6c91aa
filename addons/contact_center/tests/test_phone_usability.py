"""Phone numbers a contact center cannot use are said so, and found."""

from odoo.tests import tagged

from .common import ContactCenterCase


@tagged("post_install", "-at_install")
class TestPhoneUsability(ContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.us = cls.env.ref("base.us")
        cls.be = cls.env.ref("base.be")
        cls.company.country_id = cls.be

    def test_us_number_of_a_us_partner_is_recognised_under_a_belgian_company(self):
        # 846 is no area code the phonenumbers metadata knows, but the number
        # has the shape of a US one: the PBX reports it as +18465232111
        partner = self.env["res.partner"].create(
            {"name": "Demo Caller", "country_id": self.us.id, "phone": "(846)-523-2111"}
        )
        self.assertEqual(partner.cc_phone_e164, "+18465232111")
        Partner = self.env["res.partner"].with_user(self.user_agent)
        # (demo databases have another contact with this number)
        self.assertIn(partner, Partner.cc_find_by_phone("+18465232111"))
        self.assertFalse(partner.cc_phone_issue)
        self.assertFalse(partner.cc_phone_needs_fix)

    def test_partner_without_country_reads_numbers_in_the_company_country(self):
        self.company.country_id = self.us
        partner = self.env["res.partner"].create(
            {"name": "No Country", "mobile": "(846)-523-2111"}
        )
        self.assertEqual(partner.cc_mobile_e164, "+18465232111")
        self.assertIn(
            partner, self.env["res.partner"].cc_find_by_phone("+1 846 523 2111")
        )

    def test_invalid_phone_shows_an_issue_naming_the_number(self):
        partner = self.env["res.partner"].create(
            {
                "name": "Maybe",
                "country_id": self.be.id,
                "phone": "call me maybe 123",
                "mobile": "+32 470 12 34 56",
            }
        )
        issue = partner.with_user(self.user_agent).cc_phone_issue
        self.assertIn("Phone \u201ccall me maybe 123\u201d", issue)
        self.assertIn("too few digits", issue)
        self.assertIn("cannot be dialled", issue)
        self.assertNotIn("Mobile", issue)
        self.assertTrue(partner.cc_phone_needs_fix)

    def test_issue_follows_the_number_and_the_country(self):
        partner = self.env["res.partner"].create(
            {"name": "Moving", "country_id": self.be.id, "mobile": "(846)-523-2111"}
        )
        self.assertIn("Mobile \u201c(846)-523-2111\u201d", partner.cc_phone_issue)
        self.assertIn("Belgium", partner.cc_phone_issue)
        partner.country_id = self.us
        self.assertFalse(partner.cc_phone_issue)
        partner.phone = "0470 12 34 56"
        self.assertIn("United States", partner.cc_phone_issue)

    def test_national_number_without_any_country_says_to_add_one(self):
        self.company.country_id = False
        partner = self.env["res.partner"].create(
            {"name": "Nowhere", "phone": "0470 12 34 56"}
        )
        self.assertIn("without its country code", partner.cc_phone_issue)
        partner.phone = "+32 470 12 34 56"
        self.assertFalse(partner.cc_phone_issue)

    def test_filter_lists_contacts_whose_numbers_need_fixing(self):
        Partner = self.env["res.partner"]
        bad_phone, bad_mobile, good, empty = Partner.create(
            [
                {"name": "Bad phone", "phone": "call me maybe 123"},
                {"name": "Bad mobile", "phone": "+32 2 200 11 00", "mobile": "12"},
                {"name": "Good", "phone": "+32 470 12 34 56"},
                {"name": "Empty"},
            ]
        )
        mine = bad_phone | bad_mobile | good | empty
        needing = Partner.with_user(self.user_agent).search(
            [("cc_phone_needs_fix", "=", True), ("id", "in", mine.ids)]
        )
        self.assertEqual(needing, bad_phone | bad_mobile)
        fine = Partner.search(
            [("cc_phone_needs_fix", "=", False), ("id", "in", mine.ids)]
        )
        self.assertEqual(fine, good | empty)
        self.assertEqual(
            Partner.search(
                [("cc_phone_needs_fix", "!=", True), ("id", "in", mine.ids)]
            ),
            good | empty,
        )

    def test_dial_icon_is_hidden_for_a_number_without_e164(self):
        arch = self.env.ref("base.view_partner_form")
        view = self.env["res.partner"].with_user(self.user_agent).get_view(arch.id)
        self.assertIn("not phone or not cc_phone_e164", view["arch"])
        self.assertIn("not mobile or not cc_mobile_e164", view["arch"])
