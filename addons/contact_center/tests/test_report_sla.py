from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError

from .test_report_ticket import MONTH_END, MONTH_START, TicketReportCase


class TestSlaReport(TicketReportCase):
    """First response within 2 working hours, resolution within 8."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.env["contact_center.sla.policy"].create(
            {
                "name": "Care standard",
                "team_ids": [Command.set(cls.team.ids)],
                "first_response_hours": 2,
                "resolution_hours": 8,
                "escalation_ids": [Command.clear()],
            }
        )

    def _scenario(self):
        """Monday 2 March, 9:00 Brussels (8:00 UTC), two tickets arrive.

        A is answered at 10:00 (met) and solved at 13:00 (met); B is not
        answered by its 11:00 deadline (breached by the status cron at
        12:00), is answered at 14:00, and its resolution target still runs.
        """
        a = self._ticket(datetime(2026, 3, 2, 8, 0))
        b = self._ticket(datetime(2026, 3, 2, 8, 0))
        self._reply(a, datetime(2026, 3, 2, 9, 0))
        with freeze_time(datetime(2026, 3, 2, 11, 0)):
            self.env["contact_center.ticket.sla"]._cron_update_status()
        self._move(a, self.stage_solved, datetime(2026, 3, 2, 12, 0))
        self._reply(b, datetime(2026, 3, 2, 13, 0))
        return a, b

    def test_compliance_per_kind_counts_settled_targets(self):
        self._scenario()
        [row] = self._kpis()
        # first response: 1 met of 2; resolution: 1 met, B's still runs
        self.assertEqual(
            row["sla_compliance_by_kind"],
            {"first_response": 50.0, "resolution": 100.0},
        )
        self.assertAlmostEqual(row["sla_compliance"], 200.0 / 3, places=6)

    def test_report_rows_and_their_settled_date(self):
        a, b = self._scenario()
        self.env.flush_all()  # the view reads the SLA lines' table
        Report = self.env["contact_center.report.sla"]
        rows = {
            (row.ticket_id, row.kind): row
            for row in Report.search([("ticket_id", "in", (a | b).ids)])
        }
        self.assertEqual(len(rows), 4)
        met = rows[(a, "first_response")]
        self.assertEqual((met.status, met.compliance), ("met", 100.0))
        self.assertEqual(met.date, datetime(2026, 3, 2, 9, 0))
        breached = rows[(b, "first_response")]
        self.assertEqual((breached.status, breached.compliance), ("breached", 0.0))
        # a breach counts when the deadline passed, not when answered later
        self.assertEqual(breached.date, datetime(2026, 3, 2, 10, 0))
        # answered at 13:00 for a 10:00 deadline: 3 hours late
        self.assertEqual(breached.overrun_seconds, 3 * 3600)
        self.assertFalse(met.overrun_seconds)
        running = rows[(b, "resolution")]
        self.assertEqual(running.status, "running")
        self.assertFalse(running.date)
        self.assertFalse(running.compliance)
        groups = Report._read_group(
            [("ticket_id", "in", (a | b).ids)],
            ["kind"],
            ["compliance:avg", "met_count:sum", "breached_count:sum"],
        )
        self.assertEqual(
            sorted(groups),
            [("first_response", 50.0, 1, 1), ("resolution", 100.0, 1, 0)],
        )

    def test_period_counts_targets_settled_in_it(self):
        self._scenario()
        # the day before: nothing settled
        [before] = self._kpis(
            date_from=datetime(2026, 3, 1), date_to=datetime(2026, 3, 2)
        )
        self.assertIsNone(before["sla_compliance"])
        self.assertEqual(before["sla_compliance_by_kind"], {})
        # 9:00-10:00 UTC holds only A's first response (met at 9:00); B's
        # breach (deadline 10:00) belongs to the next hour
        [hour] = self._kpis(
            date_from=datetime(2026, 3, 2, 9, 0), date_to=datetime(2026, 3, 2, 10, 0)
        )
        self.assertEqual(hour["sla_compliance_by_kind"], {"first_response": 100.0})
        [month] = self._kpis(date_from=MONTH_START, date_to=MONTH_END)
        self.assertEqual(month["sla_compliance_by_kind"]["first_response"], 50.0)

    def test_agent_of_another_team_sees_no_sla_rows(self):
        a, _b = self._scenario()
        Report = self.env["contact_center.report.sla"]
        self.assertFalse(
            Report.with_user(self.user_agent2).search([("ticket_id", "=", a.id)])
        )
        self.assertEqual(
            len(
                Report.with_user(self.user_supervisor).search(
                    [("ticket_id", "=", a.id)]
                )
            ),
            2,
        )
        with self.assertRaises(AccessError):
            Report.with_user(self.user_portal).search([])
