from odoo.tests import new_test_user, tagged

from .common import TourCase


@tagged("post_install", "-at_install")
class TestPhoneUsabilityTour(TourCase):
    def test_unusable_phone_is_flagged_listed_and_not_dialled(self):
        env = self.env
        env.company.country_id = env.ref("base.be")
        user = new_test_user(
            env,
            "cc_tour_phone_agent",
            groups="contact_center.group_contact_center_agent,"
            "base.group_partner_manager",
        )
        env["contact_center.agent"].create({"user_id": user.id})
        Partner = env["res.partner"]
        maybe, fine = Partner.create(
            [
                {
                    "name": "Maybe Caller",
                    "phone": "call me maybe 123",
                    "mobile": "+32 470 12 34 56",
                },
                {"name": "Fine Caller", "phone": "+32 2 200 11 00"},
            ]
        )
        self.start_tour(
            "/odoo/action-contact_center.res_partner_action_customers",
            "contact_center_phone_usability_tour",
            login=user.login,
        )
        self.assertEqual(maybe.phone, "+32 2 200 11 01")
        self.assertEqual(maybe.cc_phone_e164, "+3222001101")
        self.assertFalse(fine.cc_phone_needs_fix)
