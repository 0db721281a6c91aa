from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError

from .common import ContactCenterCase

# Brussels is UTC+1 until the DST change of 29 March 2026: the team's
# 9:00-18:00 are 8:00-17:00 UTC on these dates.
MONTH_START = datetime(2026, 3, 1)
MONTH_END = datetime(2026, 4, 1)


class TicketReportCase(ContactCenterCase):
    """Care works 9:00-18:00 Brussels time, Monday to Friday."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls._brussels_calendar()
        cls.team.resource_calendar_id = cls.calendar
        cls.other_team.resource_calendar_id = cls.calendar
        Stage = cls.env["contact_center.ticket.stage"]
        cls.stage_new = Stage.create({"name": "New (report)", "sequence": 1})
        cls.stage_waiting = Stage.create(
            {"name": "Waiting (report)", "sequence": 2, "is_waiting_customer": True}
        )
        cls.stage_solved = Stage.create(
            {"name": "Solved (report)", "sequence": 3, "is_solved": True}
        )
        # only the SLA policies of these tests apply
        cls.env["contact_center.sla.policy"].search([]).active = False

    def _ticket(self, received_at, team=None, **vals):
        team = team or self.team
        values = {
            "name": "Printer on fire",
            "partner_id": self.customer.id,
            "team_id": team.id,
            "agent_id": (self.agent if team == self.team else self.agent2).id,
            "stage_id": self.stage_new.id,
            "received_at": received_at,
        }
        values.update(vals)
        with freeze_time(received_at):
            return self.env["contact_center.ticket"].create(values)

    def _reply(self, ticket, at, user=None):
        with freeze_time(at):
            ticket.with_user(user or self.user_agent).message_post(
                body="We are on it.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

    def _move(self, ticket, stage, at, **vals):
        with freeze_time(at):
            ticket.write({"stage_id": stage.id, **vals})

    def _kpis(self, teams=None, groupby=None, date_from=MONTH_START, date_to=MONTH_END):
        return self.env["contact_center.report.ticket"]._ticket_kpis(
            date_from,
            date_to,
            team_ids=(teams or self.team).ids,
            groupby=groupby,
        )


class TestTicketReport(TicketReportCase):
    def test_first_response_time_skips_the_night(self):
        # Tuesday 17:30 Brussels, answered Wednesday 9:30: 30 + 30 minutes
        ticket = self._ticket(datetime(2026, 3, 3, 16, 30))
        self._reply(ticket, datetime(2026, 3, 4, 8, 30))
        self.assertEqual(ticket.first_response_business_seconds, 3600)
        [row] = self._kpis()
        self.assertEqual(row["first_response_time"], 3600.0)

    def test_first_response_time_skips_the_weekend(self):
        # Friday 17:00 Brussels, answered Monday 10:00: 1 hour + 1 hour
        ticket = self._ticket(datetime(2026, 3, 6, 16, 0))
        self._reply(ticket, datetime(2026, 3, 9, 9, 0))
        # a second reply changes nothing
        self._reply(ticket, datetime(2026, 3, 9, 15, 0))
        self.assertEqual(ticket.first_response_at, datetime(2026, 3, 9, 9, 0))
        self.assertEqual(ticket.first_response_business_seconds, 7200)
        self.env.flush_all()  # the view reads the tickets' table
        report = self.env["contact_center.report.ticket"].search(
            [("ticket_id", "=", ticket.id)]
        )
        self.assertEqual(report.first_response_time, 7200)

    def test_first_response_time_averages_answered_tickets_only(self):
        answered = self._ticket(datetime(2026, 3, 3, 8, 0))
        self._reply(answered, datetime(2026, 3, 3, 9, 0))  # 1 hour
        answered2 = self._ticket(datetime(2026, 3, 3, 8, 0))
        self._reply(answered2, datetime(2026, 3, 3, 11, 0))  # 3 hours
        self._ticket(datetime(2026, 3, 3, 8, 0))  # not answered: not an average of 0
        [row] = self._kpis()
        self.assertEqual(row["first_response_time"], 7200.0)
        groups = self.env["contact_center.report.ticket"]._read_group(
            [("team_id", "=", self.team.id)], [], ["first_response_time:avg"]
        )
        self.assertEqual(groups[0][0], 7200.0)

    def test_resolution_time_leaves_out_waiting_on_the_customer(self):
        # Monday 9:00 Brussels; waiting on the customer from 11:00 to
        # Tuesday 9:00 (7 working hours); solved Tuesday 12:00.
        # Working time Mon 9-18 + Tue 9-12 = 12 h, minus 7 h paused = 5 h
        ticket = self._ticket(datetime(2026, 3, 2, 8, 0))
        self._move(ticket, self.stage_waiting, datetime(2026, 3, 2, 10, 0))
        self._move(ticket, self.stage_new, datetime(2026, 3, 3, 8, 0))
        self._move(ticket, self.stage_solved, datetime(2026, 3, 3, 11, 0))
        self.assertEqual(ticket.resolution_business_seconds, 5 * 3600)
        [row] = self._kpis()
        self.assertEqual(row["resolution_time"], 5 * 3600.0)

    def test_resolution_time_when_solved_while_waiting(self):
        # Monday 9:00, waiting from 10:00, solved from that stage at 15:00:
        # only the hour before the wait counts
        ticket = self._ticket(datetime(2026, 3, 2, 8, 0))
        self._move(ticket, self.stage_waiting, datetime(2026, 3, 2, 9, 0))
        self._move(ticket, self.stage_solved, datetime(2026, 3, 2, 14, 0))
        self.assertEqual(ticket.resolution_business_seconds, 3600)

    def test_reopened_ticket_counts_from_its_reopening(self):
        # solved Monday 11:00 Brussels after 2 h, reopened Tuesday 9:00 (the
        # 7 h it stayed solved do not count), solved again Tuesday 10:00
        ticket = self._ticket(datetime(2026, 3, 2, 8, 0))
        self._move(ticket, self.stage_solved, datetime(2026, 3, 2, 10, 0))
        self.assertEqual(ticket.resolution_business_seconds, 2 * 3600)
        self._move(ticket, self.stage_new, datetime(2026, 3, 3, 8, 0), reopen_count=1)
        self.env.flush_all()
        report = self.env["contact_center.report.ticket"].search(
            [("ticket_id", "=", ticket.id)]
        )
        # open again: no resolution time until solved again
        self.assertFalse(report.resolution_time)
        self._move(ticket, self.stage_solved, datetime(2026, 3, 3, 9, 0))
        self.assertEqual(ticket.resolution_business_seconds, 3 * 3600)

    def test_reopen_rate_over_solved_tickets(self):
        tickets = [self._ticket(datetime(2026, 3, 2, 8, 0)) for _i in range(4)]
        for ticket in tickets[:3]:
            self._move(ticket, self.stage_solved, datetime(2026, 3, 2, 10, 0))
        # the first is reopened by the customer and solved again
        self._move(
            tickets[0], self.stage_new, datetime(2026, 3, 2, 11, 0), reopen_count=1
        )
        self._move(tickets[0], self.stage_solved, datetime(2026, 3, 2, 12, 0))
        # 1 reopened of 3 solved; the never-solved 4th counts in neither
        [row] = self._kpis()
        self.assertAlmostEqual(row["reopen_rate"], 100.0 / 3, places=6)
        # per ticket: 100 reopened, 0 solved once, empty never solved
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT id, reopened FROM contact_center_report_ticket WHERE id = ANY(%s)",
            [[ticket.id for ticket in tickets]],
        )
        self.assertEqual(
            dict(self.env.cr.fetchall()),
            {
                tickets[0].id: 100.0,
                tickets[1].id: 0.0,
                tickets[2].id: 0.0,
                tickets[3].id: None,
            },
        )

    @freeze_time("2026-03-10 12:00:00")
    def test_backlog_and_its_age(self):
        self._ticket(datetime(2026, 3, 10, 10, 0))  # open 2 hours
        self._ticket(datetime(2026, 3, 10, 8, 0))  # open 4 hours
        solved = self._ticket(datetime(2026, 3, 9, 8, 0))
        self._move(solved, self.stage_solved, datetime(2026, 3, 9, 9, 0))
        self._ticket(datetime(2026, 3, 10, 11, 0), team=self.other_team)  # 1 hour
        rows = {
            row["key"]: row
            for row in self._kpis(teams=self.team | self.other_team, groupby="team_id")
        }
        self.assertEqual(rows[self.team.id]["backlog"], 2)
        # backlog age is calendar time: (2 h + 4 h) / 2
        self.assertEqual(rows[self.team.id]["backlog_age"], 3 * 3600.0)
        self.assertEqual(rows[self.other_team.id]["backlog"], 1)
        self.assertEqual(rows[self.other_team.id]["backlog_age"], 3600.0)
        [total] = self._kpis(teams=self.team | self.other_team)
        self.assertEqual(total["backlog"], 3)
        self.assertEqual(total["backlog_age"], 7 * 3600.0 / 3)

    def test_period_without_tickets_has_no_figures(self):
        ticket = self._ticket(datetime(2026, 3, 2, 8, 0))
        self._reply(ticket, datetime(2026, 3, 2, 9, 0))
        self._move(ticket, self.stage_solved, datetime(2026, 3, 2, 10, 0))
        [row] = self._kpis(date_from=datetime(2026, 2, 1), date_to=MONTH_START)
        self.assertEqual(
            row,
            {
                "key": False,
                "first_response_time": None,
                "resolution_time": None,
                "backlog": 0,
                "backlog_age": None,
                "reopen_rate": None,
                "sla_compliance": None,
                "sla_compliance_by_kind": {},
            },
        )

    def test_existing_tickets_are_filled_from_their_history(self):
        # a ticket from before the KPI fields, with the stage history the
        # chatter tracked: waiting on the customer from Monday 11:00 to
        # Tuesday 9:00 Brussels, solved Tuesday 12:00
        ticket = self._ticket(datetime(2026, 3, 2, 8, 0))
        self._reply(ticket, datetime(2026, 3, 2, 9, 30))
        self._move(ticket, self.stage_waiting, datetime(2026, 3, 2, 10, 0))
        self._move(ticket, self.stage_new, datetime(2026, 3, 3, 8, 0))
        self._move(ticket, self.stage_solved, datetime(2026, 3, 3, 11, 0))
        field = self.env["ir.model.fields"]._get("contact_center.ticket", "stage_id")
        self.env["mail.message"].create(
            [
                {
                    "model": "contact_center.ticket",
                    "res_id": ticket.id,
                    "message_type": "notification",
                    "date": date,
                    "tracking_value_ids": [
                        Command.create(
                            {
                                "field_id": field.id,
                                "old_value_integer": old.id,
                                "new_value_integer": new.id,
                            }
                        )
                    ],
                }
                for date, old, new in (
                    (datetime(2026, 3, 2, 10, 0), self.stage_new, self.stage_waiting),
                    (datetime(2026, 3, 3, 8, 0), self.stage_waiting, self.stage_new),
                    (datetime(2026, 3, 3, 11, 0), self.stage_new, self.stage_solved),
                )
            ]
        )
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE contact_center_ticket
               SET first_response_business_seconds = NULL,
                   resolution_business_seconds = NULL,
                   resolution_paused_seconds = NULL,
                   resolution_paused_at = NULL
             WHERE id = %s
            """,
            [ticket.id],
        )
        ticket.invalidate_recordset()
        self.env["contact_center.ticket"]._kpi_fill_existing(batch_size=2)
        self.assertEqual(ticket.first_response_business_seconds, 5400)
        # Mon 9-18 + Tue 9-12 = 12 h minus the 7 h waiting on the customer
        self.assertEqual(ticket.resolution_business_seconds, 5 * 3600)
        self.assertEqual(ticket.resolution_paused_at, datetime(2026, 3, 3, 11, 0))

    def test_existing_ticket_without_history_is_taken_as_unpaused(self):
        ticket = self._ticket(datetime(2026, 3, 2, 8, 0))
        self._move(ticket, self.stage_solved, datetime(2026, 3, 3, 11, 0))
        self.env.cr.execute(
            "UPDATE contact_center_ticket SET resolution_business_seconds = NULL"
            " WHERE id = %s",
            [ticket.id],
        )
        ticket.invalidate_recordset()
        self.env["contact_center.ticket"]._kpi_fill_existing()
        self.assertEqual(ticket.resolution_business_seconds, 12 * 3600)
        self.assertFalse(ticket.first_response_business_seconds)


class TestTicketReportAccess(TicketReportCase):
    def test_agent_of_another_team_sees_no_rows(self):
        ticket = self._ticket(datetime(2026, 3, 2, 8, 0))
        Report = self.env["contact_center.report.ticket"]
        self.assertFalse(
            Report.with_user(self.user_agent2).search([("ticket_id", "=", ticket.id)])
        )
        self.assertEqual(
            Report.with_user(self.user_agent2)._read_group(
                [("team_id", "=", self.team.id)], [], ["__count"]
            )[0][0],
            0,
        )
        # the team's own agent, its supervisor and an administrator see it
        for user in (self.user_agent, self.user_supervisor, self.user_manager):
            self.assertEqual(
                Report.with_user(user).search([("ticket_id", "=", ticket.id)]).id,
                ticket.id,
            )

    def test_supervisor_sees_only_their_teams(self):
        other = self._ticket(datetime(2026, 3, 2, 8, 0), team=self.other_team)
        Report = self.env["contact_center.report.ticket"].with_user(
            self.user_supervisor
        )
        self.assertFalse(Report.search([("ticket_id", "=", other.id)]))
        self.assertEqual(
            self.env["contact_center.report.ticket"]
            .with_user(self.user_manager)
            .search([("ticket_id", "=", other.id)])
            .id,
            other.id,
        )

    def test_portal_user_has_no_access(self):
        self._ticket(datetime(2026, 3, 2, 8, 0))
        with self.assertRaises(AccessError):
            self.env["contact_center.report.ticket"].with_user(self.user_portal).search(
                []
            )
        with self.assertRaises(AccessError):
            self.env["contact_center.ticket"].with_user(self.user_portal).browse(
                self._ticket(datetime(2026, 3, 2, 8, 0)).id
            ).read(["first_response_business_seconds"])

    def test_another_company_sees_no_rows(self):
        ticket = self._ticket(datetime(2026, 3, 2, 8, 0))
        company = self.env["res.company"].create({"name": "Other Co"})
        self.user_manager.write(
            {"company_ids": [(4, company.id)], "company_id": company.id}
        )
        Report = (
            self.env["contact_center.report.ticket"]
            .with_user(self.user_manager)
            .with_context(allowed_company_ids=[company.id])
        )
        self.assertFalse(Report.search([("ticket_id", "=", ticket.id)]))
