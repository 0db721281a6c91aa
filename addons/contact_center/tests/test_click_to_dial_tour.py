"""Click-to-dial without a PBX, in a real browser."""

from odoo.tests import tagged

from .common import TourCase


@tagged("post_install", "-at_install")
class TestClickToDialTour(TourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.user, _team, cls.agent = cls._create_desk(
            "cc_dial_agent", "Dan Dialer", "Dial Desk", extension="302"
        )
        cls.agent._set_presence("available")
        cls.customer = env["res.partner"].create(
            {"name": "Dora Dialled", "phone": "+1 603-996-3829"}
        )

    def test_click_to_dial_stays_on_the_page_and_the_call_ends(self):
        self.start_tour(
            f"/odoo/action-base.action_partner_form/{self.customer.id}",
            "contact_center_click_to_dial_tour",
            login="cc_dial_agent",
        )
        call = self.env["contact_center.interaction"].search(
            [("agent_id", "=", self.agent.id), ("direction", "=", "outbound")]
        )
        self.assertEqual(len(call), 1)
        self.assertEqual(call.partner_id, self.customer)
        self.assertEqual(call.phone, "+16039963829")
        self.assertEqual(call.state, "missed")
        self.assertEqual(call.disposition_id.code, "no_answer")
        self.assertTrue(call.ended_at)
        Interaction = self.env["contact_center.interaction"].with_user(self.user)
        self.assertFalse(Interaction.cc_my_ringing_call(), "no card after a reload")
