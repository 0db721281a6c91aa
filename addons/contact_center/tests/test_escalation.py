"""SLA escalation levels, run by the cron at frozen times."""

from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user

from .common import ContactCenterCase


class TestEscalation(ContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["contact_center.sla.policy"].search([]).active = False
        cls.env["contact_center.classification.rule"].search([]).active = False
        calendar = cls._brussels_calendar()
        cls.team.write({"resource_calendar_id": calendar.id, "tz": "Europe/Brussels"})
        cls.backup = cls.env["contact_center.agent"].create(
            {
                "user_id": new_test_user(
                    cls.env,
                    "esc_backup",
                    groups="contact_center.group_contact_center_agent",
                ).id,
                "team_ids": [Command.link(cls.team.id)],
            }
        )
        cls.policy = cls.env["contact_center.sla.policy"].create(
            {
                "name": "Std",
                "team_ids": [Command.link(cls.team.id)],
                "first_response_hours": 4,
                "escalation_ids": [
                    Command.create(
                        {
                            "name": "Warn",
                            "threshold_percent": 80,
                            "notify_assignee": True,
                            "reassign": "away",
                        }
                    ),
                    Command.create(
                        {
                            "name": "Breach",
                            "threshold_percent": 100,
                            "notify_assignee": False,
                            "notify_supervisors": True,
                            "create_activity": True,
                            "raise_priority": True,
                            "reassign": "no",
                        }
                    ),
                ],
            }
        )
        cls.Line = cls.env["contact_center.ticket.sla"]

    def _ticket(self):
        return self.env["contact_center.ticket"].create(
            {
                "name": "Broken",
                "team_id": self.team.id,
                "partner_id": self.customer.id,
                "agent_id": self.agent.id,
            }
        )

    def _escalation_notes(self, ticket):
        return ticket.message_ids.filtered(lambda m: "SLA escalation" in (m.body or ""))

    def test_levels_notify_reassign_and_raise_priority(self):
        # presence changes are logged at the real time, before the frozen ones
        self.agent._set_presence("break")
        with freeze_time("2026-03-09 08:00:00"):  # Monday 9:00 Brussels
            ticket = self._ticket()
        line = ticket.sla_ids
        # 80% of 4 working hours: 12:12 Brussels = 11:12 UTC
        self.assertEqual(str(line.next_escalation_at), "2026-03-09 11:12:00")
        self.backup._set_presence("available")
        with freeze_time("2026-03-09 11:00:00"):
            self.assertEqual(self.Line._cron_escalate(), 0)  # not due yet
        with freeze_time("2026-03-09 11:15:00"):
            self.assertEqual(self.Line._cron_escalate(), 1)
        warn = self._escalation_notes(ticket)
        self.assertEqual(len(warn), 1)
        self.assertIn(self.user_agent.partner_id, warn.partner_ids)
        # the assignee is on break: the ticket goes to the free agent
        self.assertEqual(ticket.agent_id, self.backup)
        with freeze_time("2026-03-09 11:20:00"):
            self.assertEqual(self.Line._cron_escalate(), 0)  # nothing twice
        with freeze_time("2026-03-09 12:01:00"):
            self.Line._cron_escalate()
        breach = self._escalation_notes(ticket) - warn
        self.assertIn(self.user_supervisor.partner_id, breach.partner_ids)
        self.assertEqual(ticket.priority, "2")
        self.assertEqual(ticket.activity_ids.user_id, self.user_supervisor)
        self.assertEqual(ticket.agent_id, self.backup)
        self.assertFalse(line.next_escalation_at)

    def test_assignee_present_keeps_the_ticket(self):
        self.agent._set_presence("available")
        with freeze_time("2026-03-09 08:00:00"):
            ticket = self._ticket()
        with freeze_time("2026-03-09 11:15:00"):
            self.Line._cron_escalate()
        self.assertEqual(ticket.agent_id, self.agent)
        self.assertEqual(len(self._escalation_notes(ticket)), 1)

    def test_no_notification_outside_working_hours(self):
        with freeze_time("2026-03-06 16:00:00"):  # Friday 17:00 Brussels
            ticket = self._ticket()
        line = ticket.sla_ids
        # 80% = 3h12: 1h on Friday, 2h12 on Monday -> Monday 11:12 Brussels
        self.assertEqual(str(line.next_escalation_at), "2026-03-09 10:12:00")
        # a cron that was late (or a manual run) during the weekend waits
        line.next_escalation_at = "2026-03-07 10:00:00"
        with freeze_time("2026-03-07 10:05:00"):  # Saturday
            self.Line._cron_escalate()
        self.assertFalse(self._escalation_notes(ticket))
        self.assertEqual(str(line.next_escalation_at), "2026-03-09 08:00:01")

    def test_answered_ticket_does_not_escalate(self):
        with freeze_time("2026-03-09 08:00:00"):
            ticket = self._ticket()
        with freeze_time("2026-03-09 09:00:00"):
            ticket.with_user(self.user_agent).message_post(
                body="Looking", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        with freeze_time("2026-03-09 13:00:00"):
            self.assertEqual(self.Line._cron_escalate(), 0)
        self.assertFalse(self._escalation_notes(ticket))
