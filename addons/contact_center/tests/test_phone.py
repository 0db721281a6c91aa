from odoo.addons.contact_center.tools.phone import to_e164

from .common import ContactCenterCase


class TestPhoneNormalisation(ContactCenterCase):
    def test_numbers_of_several_countries(self):
        cases = [
            ("+1 (415) 555-2671", None, "+14155552671"),
            ("(415) 555-2671", "US", "+14155552671"),
            ("020 7946 0958", "GB", "+442079460958"),
            ("06 12 34 56 78", "FR", "+33612345678"),
            ("0030 6912345678", None, "+306912345678"),
            ("0470/12.34.56", "BE", "+32470123456"),
            ("+49 30 901820", None, "+4930901820"),
            ("+91 98765 43210", None, "+919876543210"),
        ]
        for raw, region, expected in cases:
            with self.subTest(raw=raw):
                self.assertEqual(to_e164(raw, region), expected)

    def test_malformed_numbers_give_nothing(self):
        for raw, region in [
            ("", None),
            ("not a phone", "US"),
            ("12", "FR"),
            ("+999 123", None),
            ("0470 12 34 56", None),  # national number without a country
            ("555-CALL-NOW-PLEASE", "US"),
        ]:
            with self.subTest(raw=raw):
                self.assertIsNone(to_e164(raw, region))

    def test_partner_numbers_are_stored_in_e164(self):
        partner = self.env["res.partner"].create(
            {
                "name": "Jean",
                "country_id": self.env.ref("base.fr").id,
                "phone": "01 42 68 53 00",
                "mobile": "+33 6 12 34 56 78",
            }
        )
        self.assertEqual(partner.cc_phone_e164, "+33142685300")
        self.assertEqual(partner.cc_mobile_e164, "+33612345678")
        partner.country_id = self.env.ref("base.be")
        # the national phone is now read as Belgian, and is not a valid one
        self.assertFalse(partner.cc_phone_e164)
        self.assertEqual(partner.cc_mobile_e164, "+33612345678")

    def test_malformed_partner_phone_stays_editable(self):
        partner = self.env["res.partner"].create({"name": "Typo", "phone": "12ab"})
        self.assertFalse(partner.cc_phone_e164)

    def test_caller_id_finds_partner_by_any_format(self):
        us = self.env.ref("base.us")
        partner = self.env["res.partner"].create(
            {"name": "Grace", "country_id": us.id, "mobile": "415.555.2671"}
        )
        self.env["res.partner"].create(
            {"name": "Other", "country_id": us.id, "phone": "415 555 2672"}
        )
        found = self.env["res.partner"].cc_find_by_phone("+1 415-555-2671")
        self.assertEqual(found, partner)
        self.assertEqual(
            self.env["res.partner"].cc_find_by_phone("(415) 555-2671", "US"), partner
        )
        self.assertFalse(self.env["res.partner"].cc_find_by_phone("garbage"))

    def test_caller_id_puts_the_highest_tier_first(self):
        Partner = self.env["res.partner"]
        untiered = Partner.create(
            {"name": "Desk", "phone": "+32470660001", "cc_tier_id": False}
        )
        vip = Partner.create(
            {
                "name": "Boss",
                "mobile": "+32470660001",
                "cc_tier_id": self.env.ref("contact_center.customer_tier_vip").id,
            }
        )
        self.assertEqual(Partner.cc_find_by_phone("+32470660001")[:1], vip)
        self.assertEqual(Partner.cc_find_by_phone("+32470660001")[1:], untiered)
        self.assertEqual(
            Partner._cc_find_by_phones(["+32 470 66 00 01"]),
            {"+32 470 66 00 01": vip},
        )
