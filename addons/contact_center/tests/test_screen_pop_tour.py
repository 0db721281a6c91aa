"""The screen pop in a real browser: the PBX rings, the card pops up."""

from datetime import datetime, timedelta

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import TourCase


@tagged("post_install", "-at_install")
class TestScreenPopTour(TourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.user, cls.team, cls.agent = cls._create_desk(
            "cc_pop_agent", "Paula Pop", "Pop Desk", extension="301"
        )
        cls.agent._set_presence("available")
        env["contact_center.telephony.provider"].create(
            {
                "name": "Tour PBX",
                "code": "tour-pbx",
                "secret": "tour-secret-of-the-pbx",
                "default_team_id": cls.team.id,
                "did_ids": [
                    Command.create({"number": "+3222009900", "team_id": cls.team.id})
                ],
            }
        )
        colleague = env["contact_center.agent"].create(
            {
                "user_id": new_test_user(
                    env,
                    "cc_pop_colleague",
                    name="Alan Agent",
                    groups="contact_center.group_contact_center_agent",
                ).id
            }
        )
        cls.vip = env["res.partner"].create(
            {
                "name": "Vera Important",
                "phone": "+32470555111",
                "cc_tier_id": env.ref("contact_center.customer_tier_vip").id,
            }
        )
        env["contact_center.ticket"].create(
            {
                "name": "Router keeps rebooting",
                "partner_id": cls.vip.id,
                "team_id": cls.team.id,
            }
        )
        env["contact_center.interaction"].create(
            {
                "channel": "phone",
                "direction": "inbound",
                "partner_id": cls.vip.id,
                "agent_id": colleague.id,
                "team_id": cls.team.id,
                "queued_at": datetime(2026, 3, 2, 9, 0),
            }
        )

    def _call(self, call_id):
        return self.env["contact_center.interaction"].search(
            [("provider", "=", "tour-pbx"), ("external_id", "=", call_id)]
        )

    def test_card_pops_for_a_vip_and_wrap_up_closes_the_call(self):
        self.start_tour("/odoo", "contact_center_screen_pop_tour", login="cc_pop_agent")
        call = self._call("tour-call-1")
        self.assertEqual(call.partner_id, self.vip)
        self.assertEqual(call.agent_id, self.agent)
        self.assertEqual(call.disposition_id.code, "resolved")
        self.assertEqual(
            call.reason_id,
            self.env.ref("contact_center.contact_reason_billing_invoice"),
        )
        self.assertEqual(call.note, "Customer asked for a duplicate invoice")
        self.assertTrue(call.is_resolved)
        self.assertEqual(call.state, "done")
        self.assertTrue(call.wrap_up_ended_at)
        self.assertEqual(self.agent.presence, "available")

    def test_unknown_caller_becomes_a_contact_from_the_card(self):
        self.start_tour(
            "/odoo", "contact_center_screen_pop_unknown_tour", login="cc_pop_agent"
        )
        call = self._call("tour-call-2")
        self.assertEqual(call.partner_id.name, "Nina Newcomer")
        self.assertEqual(call.partner_id.phone, "+32470555999")

    def test_unknown_caller_is_linked_to_an_existing_contact(self):
        self.start_tour(
            "/odoo", "contact_center_screen_pop_link_tour", login="cc_pop_agent"
        )
        call = self._call("tour-call-3")
        self.assertEqual(call.partner_id, self.vip)
        self.assertEqual(call.phone, "+32470555777", "the number it came from stays")

    def test_reopened_card_shows_the_stored_wrap_up(self):
        now = datetime.now().replace(microsecond=0)
        call = self.env["contact_center.interaction"].create(
            {
                "channel": "phone",
                "partner_id": self.vip.id,
                "agent_id": self.agent.id,
                "team_id": self.team.id,
                "state": "ringing",
                "queued_at": now - timedelta(minutes=3),
                "provider": "tour-pbx",
                "external_id": "tour-call-4",
            }
        )
        call.write(
            {
                "state": "in_progress",
                "answered_at": now - timedelta(minutes=2),
                "disposition_id": self.env.ref(
                    "contact_center.disposition_callback"
                ).id,
                "note": "Call back after 5 pm",
            }
        )
        call.write({"state": "wrap_up", "ended_at": now})
        self.start_tour(
            "/odoo", "contact_center_screen_pop_reopen_tour", login="cc_pop_agent"
        )
        self.assertEqual(call.state, "done")
        self.assertEqual(call.disposition_id.code, "callback")
        self.assertEqual(call.note, "Call back after 5 pm")
