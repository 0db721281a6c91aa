"""SLA clocks on real calendars, against hand-computed deadlines.

The team works 9:00-18:00 Monday to Friday in Brussels (UTC+1 in winter,
UTC+2 from 29 March 2026). Deadlines are stored in UTC.
"""

from datetime import datetime

from freezegun import freeze_time

from odoo import Command

from .common import ContactCenterCase


class TestSla(ContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls._brussels_calendar()
        cls.team.resource_calendar_id = cls.calendar
        Policy = cls.env["contact_center.sla.policy"]
        Policy.search([]).active = False  # only this test's policies apply
        cls.standard = Policy.create(
            {
                "name": "Standard",
                "team_ids": [Command.link(cls.team.id)],
                "first_response_hours": 4,
                "next_response_hours": 8,
                "resolution_hours": 16,
            }
        )
        cls.urgent = Policy.create(
            {"name": "Urgent", "min_priority": "3", "first_response_hours": 1}
        )
        cls.vip_tier = cls.env.ref("contact_center.customer_tier_vip")
        cls.vip = Policy.create(
            {
                "name": "VIP",
                "tier_ids": [Command.link(cls.vip_tier.id)],
                "first_response_hours": 2,
            }
        )
        cls.waiting = cls.env.ref("contact_center.ticket_stage_waiting")
        cls.in_progress = cls.env.ref("contact_center.ticket_stage_in_progress")
        cls.solved = cls.env.ref("contact_center.ticket_stage_solved")

    def _ticket(self, **vals):
        values = {
            "name": "Help",
            "team_id": self.team.id,
            "partner_id": self.customer.id,
        }
        values.update(vals)
        return self.env["contact_center.ticket"].create(values)

    def _line(self, ticket, policy, kind="first_response"):
        return ticket.sla_ids.filtered(
            lambda s: s.policy_id == policy and s.kind == kind
        )

    @freeze_time("2026-03-06 16:30:00")  # Friday 17:30 in Brussels
    def test_friday_evening_ticket_is_due_monday(self):
        ticket = self._ticket()
        # 30 min on Friday, 3h30 on Monday from 9:00 -> Monday 12:30 (11:30 UTC)
        self.assertEqual(
            self._line(ticket, self.standard).deadline, datetime(2026, 3, 9, 11, 30)
        )
        # 16 working hours: 0:30 Fri, 9:00 Mon, 6:30 Tue -> Tuesday 15:30 (14:30 UTC)
        self.assertEqual(
            self._line(ticket, self.standard, "resolution").deadline,
            datetime(2026, 3, 10, 14, 30),
        )
        self.assertEqual(ticket.sla_deadline, datetime(2026, 3, 9, 11, 30))
        self.assertEqual(ticket.sla_status, "running")

    @freeze_time("2026-03-06 16:30:00")
    def test_public_holiday_is_skipped(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 3, 8, 23, 0),  # Monday 00:00 Brussels
                "date_to": datetime(2026, 3, 9, 22, 59, 59),
            }
        )
        ticket = self._ticket()
        self.assertEqual(
            self._line(ticket, self.standard).deadline, datetime(2026, 3, 10, 11, 30)
        )

    @freeze_time("2026-03-27 16:30:00")  # Friday 17:30, the weekend before DST
    def test_dst_change_in_the_team_time_zone(self):
        ticket = self._ticket()
        # Monday 30 March 12:30 in Brussels is 10:30 UTC (summer time)
        self.assertEqual(
            self._line(ticket, self.standard).deadline, datetime(2026, 3, 30, 10, 30)
        )

    def test_pause_and_resume(self):
        with freeze_time("2026-03-09 08:00:00"):  # Monday 9:00
            ticket = self._ticket()
        with freeze_time("2026-03-09 09:00:00"):  # 10:00: waiting on the customer
            ticket.stage_id = self.waiting
        line = self._line(ticket, self.standard)
        self.assertEqual((line.status, line.consumed_seconds), ("paused", 3600))
        self.assertFalse(line.deadline)
        self.assertEqual(ticket.sla_status, "paused")
        with freeze_time("2026-03-09 10:30:00"):  # 11:30: back in progress
            ticket.stage_id = self.in_progress
        # 3 hours left from 11:30 -> 14:30 (13:30 UTC)
        self.assertEqual(line.deadline, datetime(2026, 3, 9, 13, 30))
        self.assertEqual(line.status, "running")

    def test_priority_raised_mid_way_tightens_the_deadline(self):
        with freeze_time("2026-03-09 08:00:00"):  # Monday 9:00
            ticket = self._ticket()
        self.assertEqual(ticket.sla_deadline, datetime(2026, 3, 9, 12, 0))
        with freeze_time("2026-03-09 08:30:00"):  # 9:30: urgent now
            ticket.priority = "3"
        # the urgent hour counts from reception: due 10:00 (09:00 UTC)
        self.assertEqual(
            self._line(ticket, self.urgent).deadline, datetime(2026, 3, 9, 9, 0)
        )
        self.assertEqual(ticket.sla_deadline, datetime(2026, 3, 9, 9, 0))
        with freeze_time("2026-03-09 08:40:00"):
            ticket.priority = "1"
        self.assertFalse(self._line(ticket, self.urgent))
        self.assertEqual(ticket.sla_deadline, datetime(2026, 3, 9, 12, 0))

    def test_vip_tier_tightens_the_target(self):
        self.customer.cc_tier_id = self.vip_tier
        with freeze_time("2026-03-09 08:00:00"):
            ticket = self._ticket()
        self.assertEqual(set(ticket.sla_ids.policy_id), {self.standard, self.vip})
        self.assertEqual(ticket.sla_deadline, datetime(2026, 3, 9, 10, 0))

    def test_customer_upgraded_to_vip_tightens_open_tickets_at_once(self):
        with freeze_time("2026-03-09 08:00:00"):  # Monday 9:00 in Brussels
            ticket = self._ticket()
            solved = self._ticket(name="Done already")
            solved.stage_id = self.solved
        self.assertEqual(ticket.sla_deadline, datetime(2026, 3, 9, 12, 0))
        with freeze_time("2026-03-09 08:30:00"):
            self.customer.cc_tier_id = self.vip_tier
        # VIP: 2 working hours from the reception at 9:00 -> 11:00 (10:00 UTC)
        self.assertEqual(
            self._line(ticket, self.vip).deadline, datetime(2026, 3, 9, 10, 0)
        )
        self.assertEqual(ticket.sla_deadline, datetime(2026, 3, 9, 10, 0))
        # a solved ticket keeps the SLA it was handled under
        self.assertFalse(self._line(solved, self.vip))
        with freeze_time("2026-03-09 08:45:00"):
            self.customer.cc_tier_id = self.env.ref(
                "contact_center.customer_tier_standard"
            )
        self.assertFalse(self._line(ticket, self.vip))
        self.assertEqual(ticket.sla_deadline, datetime(2026, 3, 9, 12, 0))

    def test_agent_reply_meets_first_response_and_customer_reply_starts_next(self):
        with freeze_time("2026-03-09 08:00:00"):
            ticket = self._ticket()
        with freeze_time("2026-03-09 09:00:00"):
            ticket.with_user(self.user_agent).message_post(
                body="On it", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        line = self._line(ticket, self.standard)
        self.assertEqual(
            (line.status, line.reached_at), ("met", datetime(2026, 3, 9, 9, 0))
        )
        with freeze_time("2026-03-09 10:00:00"):  # customer writes back at 11:00
            ticket.message_post(
                body="Thanks, and?", message_type="email", author_id=self.customer.id
            )
        nxt = self._line(ticket, self.standard, "next_response")
        # 8 working hours from Monday 11:00 -> Tuesday 10:00 (09:00 UTC)
        self.assertEqual(nxt.deadline, datetime(2026, 3, 10, 9, 0))
        with freeze_time("2026-03-10 10:00:00"):  # answered too late
            ticket.with_user(self.user_agent).message_post(
                body="Done", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertEqual(nxt.status, "breached")

    def test_solving_reaches_resolution_and_reopening_restarts_it(self):
        with freeze_time("2026-03-09 08:00:00"):
            ticket = self._ticket()
        with freeze_time("2026-03-09 12:00:00"):
            ticket.stage_id = self.solved
        resolution = self._line(ticket, self.standard, "resolution")
        self.assertEqual(resolution.status, "met")
        with freeze_time("2026-03-10 08:00:00"):
            ticket.stage_id = self.in_progress
        self.assertEqual(resolution.status, "running")
        self.assertFalse(resolution.reached_at)

    def test_cron_marks_at_risk_and_breached(self):
        with freeze_time("2026-03-09 08:00:00"):
            late = self._ticket(name="late")
            risky = self._ticket(name="risky")
        line_late = self._line(late, self.standard)
        line_risky = self._line(risky, self.standard)
        # first response due 13:00; 80% used at 12:12
        self.assertEqual(line_risky.at_risk_at, datetime(2026, 3, 9, 11, 12))
        with freeze_time("2026-03-09 11:30:00"):
            result = self.env["contact_center.ticket.sla"]._cron_update_status()
        self.assertEqual(line_risky.status, "at_risk")
        self.assertEqual(result["breached"], 0)
        with freeze_time("2026-03-09 12:30:00"):
            self.env["contact_center.ticket.sla"]._cron_update_status()
        self.assertEqual(line_late.status, "breached")
        late.invalidate_recordset()
        self.assertEqual(late.sla_status, "breached")
