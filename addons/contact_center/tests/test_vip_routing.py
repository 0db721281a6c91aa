"""VIP customers: senior agents first, anyone after the team's wait, or held.

Reproduces issue 13: a regular agent going from Break to Available was handed
a VIP ticket without a word. The rule is now the team's, and the routing
reason says which part of it applied.
"""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user

from .common import ContactCenterCase

T0 = datetime(2026, 3, 2, 9, 0)
MINUTE = timedelta(minutes=1)
DID = "+3222001177"


class TestVipRouting(ContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["contact_center.sla.policy"].search([]).active = False
        env["contact_center.classification.rule"].search([]).active = False
        cls.desk = env["contact_center.team"].create(
            {
                "name": "VIP Desk",
                "resource_calendar_id": False,
                "vip_senior_wait_minutes": 10,
            }
        )
        Agent = env["contact_center.agent"]

        def make(login, tier, extension):
            user = new_test_user(
                env, login, groups="contact_center.group_contact_center_agent"
            )
            return Agent.create(
                {
                    "user_id": user.id,
                    "tier": tier,
                    "extension": extension,
                    "team_ids": [Command.link(cls.desk.id)],
                }
            )

        # agents' presence log starts before the frozen times of the tests
        with freeze_time(T0 - timedelta(hours=1)):
            cls.regular = make("vip_regular", "regular", "301")
            cls.senior = make("vip_senior", "senior", "302")
        cls.vip = env["res.partner"].create(
            {
                "name": "Vera VIP",
                "email": "vera@example.com",
                "phone": "+32470550077",
                "cc_tier_id": env.ref("contact_center.customer_tier_vip").id,
            }
        )
        cls.Team = env["contact_center.team"]

    def _text(self, code):
        return self.Team._routing_reason_text(
            code, vip_wait_minutes=self.desk.vip_senior_wait_minutes
        )

    def _vip_ticket(self):
        with freeze_time(T0):
            return self.env["contact_center.ticket"].create(
                {"name": "My order", "team_id": self.desk.id, "partner_id": self.vip.id}
            )

    def _back_from_break(self, agent, minutes):
        with freeze_time(T0 + minutes * MINUTE):
            agent._set_presence("break")
        with freeze_time(T0 + minutes * MINUTE + timedelta(seconds=1)):
            agent._set_presence("available")

    # ------------------------------------------------------------------
    # Tickets
    # ------------------------------------------------------------------
    def test_regular_agent_back_from_break_leaves_a_fresh_vip_ticket_waiting(self):
        ticket = self._vip_ticket()
        self._back_from_break(self.regular, 2)
        self.assertFalse(ticket.agent_id)
        self.assertIn(self._text("vip_waiting"), ticket.routing_reason)
        self.assertIn("waits for a senior agent", ticket.routing_reason)
        self.assertIn("10 minutes", ticket.routing_reason)

    def test_regular_agent_takes_the_vip_ticket_after_the_wait_and_says_so(self):
        ticket = self._vip_ticket()
        self._back_from_break(self.regular, 11)
        self.assertEqual(ticket.agent_id, self.regular)
        self.assertIn(self._text("vip_waited"), ticket.routing_reason)
        self.assertIn("no senior agent free for 10 minutes", ticket.routing_reason)

    def test_senior_only_team_holds_the_vip_ticket(self):
        self.desk.vip_routing = "senior_only"
        ticket = self._vip_ticket()
        self._back_from_break(self.regular, 11)
        self.assertFalse(ticket.agent_id)
        self.assertIn(self._text("vip_held"), ticket.routing_reason)
        # a senior agent coming back takes it
        self._back_from_break(self.senior, 12)
        self.assertEqual(ticket.agent_id, self.senior)
        self.assertIn(self._text("vip_senior"), ticket.routing_reason)

    def test_new_vip_ticket_with_only_a_regular_agent_free_waits(self):
        self.regular._set_presence("available")
        ticket = self._vip_ticket()
        self.assertIn(self._text("vip_waiting"), ticket.routing_reason)
        self.senior._set_presence("available")
        self.assertEqual(ticket.agent_id, self.senior)

    def test_zero_wait_gives_the_vip_ticket_to_anyone_at_once(self):
        self.desk.vip_senior_wait_minutes = 0
        self.regular._set_presence("available", at=T0)
        ticket = self._vip_ticket()
        self.assertEqual(ticket.agent_id, self.regular)
        self.assertIn(self._text("vip_waited"), ticket.routing_reason)

    def test_cron_hands_the_vip_ticket_over_once_the_wait_is_over(self):
        """The regular agent stays available: nothing else would route it."""
        self.regular._set_presence("available", at=T0)
        ticket = self._vip_ticket()
        Ticket = self.env["contact_center.ticket"]
        with freeze_time(T0 + 5 * MINUTE):
            Ticket._cron_route_waiting_vip_tickets()
        self.assertFalse(ticket.agent_id)
        with freeze_time(T0 + 10 * MINUTE):
            Ticket._cron_route_waiting_vip_tickets()
        self.assertEqual(ticket.agent_id, self.regular)
        self.assertIn(self._text("vip_waited"), ticket.routing_reason)

    def test_negative_wait_is_refused_with_the_field_named(self):
        with self.assertRaisesRegex(ValidationError, "Wait for a Senior Agent"):
            self.desk.vip_senior_wait_minutes = -1

    def test_only_administrators_change_the_vip_rule(self):
        self.assertFalse(
            self.desk.with_user(self.user_supervisor).has_access("write"),
        )
        self.desk.with_user(self.user_manager).vip_routing = "senior_only"
        self.assertEqual(self.desk.vip_routing, "senior_only")

    # ------------------------------------------------------------------
    # Calls
    # ------------------------------------------------------------------
    def _route_call(self, call_id, at):
        provider = self.env["contact_center.telephony.provider"].search(
            [("code", "=", "vip-pbx")]
        ) or self.env["contact_center.telephony.provider"].create(
            {
                "name": "VIP PBX",
                "code": "vip-pbx",
                "secret": "y" * 32,
                "did_ids": [Command.create({"number": DID, "team_id": self.desk.id})],
            }
        )
        with freeze_time(at):
            return provider._route_call(
                {"call_id": call_id, "caller": self.vip.phone, "called": DID}
            )

    def _queued_call(self, call_id, at):
        return self.env["contact_center.interaction"].create(
            {
                "channel": "phone",
                "direction": "inbound",
                "state": "queued",
                "provider": "vip-pbx",
                "external_id": call_id,
                "team_id": self.desk.id,
                "partner_id": self.vip.id,
                "queued_at": at,
            }
        )

    def test_vip_call_queues_for_a_senior_agent_then_goes_to_anyone(self):
        self.regular._set_presence("available", at=T0)
        answer = self._route_call("v1", T0)
        self.assertEqual((answer["action"], answer["reason"]), ("queue", "vip_waiting"))
        self.assertEqual(answer["detail"], self._text("vip_waiting"))
        # the PBX reported the call queued and asks again 11 minutes later
        self._queued_call("v1", T0)
        answer = self._route_call("v1", T0 + 11 * MINUTE)
        self.assertEqual((answer["action"], answer["reason"]), ("agent", "vip_waited"))
        self.assertEqual(answer["target"], "301")
        self.assertEqual(answer["detail"], self._text("vip_waited"))

    def test_vip_call_to_a_senior_only_team_is_held(self):
        self.desk.vip_routing = "senior_only"
        self.regular._set_presence("available", at=T0)
        self._queued_call("v2", T0)
        answer = self._route_call("v2", T0 + 30 * MINUTE)
        self.assertEqual((answer["action"], answer["reason"]), ("queue", "vip_held"))
        self.senior._set_presence("available", at=T0 + 31 * MINUTE)
        answer = self._route_call("v2", T0 + 31 * MINUTE)
        self.assertEqual((answer["action"], answer["reason"]), ("agent", "vip_senior"))
        self.assertEqual(answer["target"], "302")
