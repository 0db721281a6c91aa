"""Ticket routing end to end: presence, capacity, skills, tier, affinity, queue."""

from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user

from .common import ContactCenterCase


class TestTicketRouting(ContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["contact_center.sla.policy"].search([]).active = False
        cls.env["contact_center.classification.rule"].search([]).active = False
        cls.desk = cls.env["contact_center.team"].create(
            {"name": "Desk", "resource_calendar_id": False}
        )
        Agent = cls.env["contact_center.agent"]
        cls.skill = cls.env["contact_center.skill"].create({"name": "Networking"})

        def make(login, **vals):
            user = new_test_user(
                cls.env, login, groups="contact_center.group_contact_center_agent"
            )
            values = {
                "user_id": user.id,
                "team_ids": [Command.link(cls.desk.id)],
                "capacity_email": 2,
            }
            values.update(vals)
            return Agent.create(values)

        cls.junior = make("r_junior", tier="junior")
        cls.senior = make("r_senior", tier="senior")
        cls.expert = make(
            "r_expert",
            tier="expert",
            skill_line_ids=[Command.create({"skill_id": cls.skill.id, "level": "4"})],
        )
        cls.agents = cls.junior | cls.senior | cls.expert
        cls.Ticket = cls.env["contact_center.ticket"]

    def _ticket(self, **vals):
        values = {
            "name": "Help",
            "team_id": self.desk.id,
            "partner_id": self.customer.id,
        }
        values.update(vals)
        return self.Ticket.create(values)

    def test_routing_decisions(self):
        vip = self.env["res.partner"].create(
            {
                "name": "Vip",
                "cc_tier_id": self.env.ref("contact_center.customer_tier_vip").id,
            }
        )
        self.agents._set_presence("available")
        rows = [
            (
                "skill required",
                {"skill_ids": [Command.link(self.skill.id)]},
                self.expert,
            ),
            ("VIP to a senior agent", {"partner_id": vip.id}, self.senior),
        ]
        for case, vals, expected in rows:
            with self.subTest(case):
                ticket = self._ticket(**vals)
                self.assertEqual(ticket.agent_id, expected)
                self.assertTrue(ticket.routing_reason)

    def test_least_loaded_then_capacity(self):
        (self.senior | self.expert)._set_presence("available")
        first = self._ticket(
            partner_id=self.env["res.partner"].create({"name": "A"}).id
        )
        second = self._ticket(
            partner_id=self.env["res.partner"].create({"name": "B"}).id
        )
        self.assertEqual({first.agent_id, second.agent_id}, {self.senior, self.expert})
        self._ticket(partner_id=self.env["res.partner"].create({"name": "C"}).id)
        self._ticket(partner_id=self.env["res.partner"].create({"name": "D"}).id)
        # both at capacity (2): the fifth waits in the queue
        waiting = self._ticket(
            partner_id=self.env["res.partner"].create({"name": "E"}).id
        )
        self.assertFalse(waiting.agent_id)
        self.assertIn("no agent", waiting.routing_reason)

    def test_customer_previous_agent_first(self):
        self.agents._set_presence("available")
        self._ticket(agent_id=self.junior.id)
        self.senior.capacity_email = 5
        again = self._ticket(name="Again")
        self.assertEqual(again.agent_id, self.junior)
        self.assertIn("previous agent", again.routing_reason)

    def test_waiting_ticket_goes_to_agent_who_becomes_available(self):
        with freeze_time("2026-03-09 08:00:00"):
            late = self._ticket(name="later deadline")
            soon = self._ticket(name="sooner deadline")
        self.assertFalse((late | soon).agent_id)
        # give them deadlines: the sooner one must go first
        policy = self.env["contact_center.sla.policy"].create(
            {"name": "P", "first_response_hours": 4}
        )
        soon.priority = "2"
        late.priority = "2"
        self.assertTrue(soon.sla_deadline)
        soon.sla_ids.deadline = datetime(2026, 3, 9, 9, 0)
        late.sla_ids.deadline = datetime(2026, 3, 9, 11, 0)
        self.assertEqual(soon.sla_ids.policy_id, policy)
        self.junior.capacity_email = 1
        self.junior._set_presence("available")
        self.assertEqual(soon.agent_id, self.junior)
        self.assertFalse(late.agent_id)
        # solving frees capacity: the next waiting ticket follows
        soon.stage_id = self.env.ref("contact_center.ticket_stage_solved")
        self.assertEqual(late.agent_id, self.junior)

    def test_manual_assignment_wins(self):
        self.agents._set_presence("available")
        ticket = self._ticket(agent_id=self.junior.id)
        self.assertEqual(ticket.agent_id, self.junior)
        ticket.agent_id = self.expert
        self.assertEqual(ticket.routing_reason, "Assigned by hand")

    @freeze_time("2026-03-08 12:00:00")  # a Sunday
    def test_overflow_outside_business_hours(self):
        night = self.env["contact_center.team"].create(
            {"name": "Night", "resource_calendar_id": False}
        )
        self.desk.write(
            {
                "resource_calendar_id": self.env.ref(
                    "resource.resource_calendar_std"
                ).id,
                "overflow_team_id": night.id,
            }
        )
        night_agent = self.env["contact_center.agent"].create(
            {
                "user_id": new_test_user(
                    self.env,
                    "r_night",
                    groups="contact_center.group_contact_center_agent",
                ).id,
                "team_ids": [Command.link(night.id)],
            }
        )
        night_agent._set_presence("available")
        ticket = self._ticket()
        self.assertEqual((ticket.team_id, ticket.agent_id), (night, night_agent))
        self.assertIn("overflow", ticket.routing_reason)
