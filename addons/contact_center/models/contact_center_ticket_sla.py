from datetime import timedelta

import pytz

from odoo import api, fields, models

from ..tools import sla_clock
from .contact_center_sla_policy import TARGET_KINDS

STATUSES = [
    ("running", "Running"),
    ("paused", "Paused"),
    ("at_risk", "At Risk"),
    ("met", "Met"),
    ("breached", "Breached"),
]
# how far ahead working time is fetched from the calendar, then doubled
HORIZON_DAYS = 30
MAX_HORIZON_DAYS = 400


class ContactCenterTicketSla(models.Model):
    """One SLA target of one ticket, with its clock.

    The clock counts working time from ``resumed_at``; the working time used
    before the last pause is kept in ``consumed_seconds``. The deadline and
    the moment the target becomes at risk are stored, so the cron that marks
    lines at risk or breached is two set-based updates.
    """

    _name = "contact_center.ticket.sla"
    _description = "Ticket SLA Target"
    _order = "deadline, id"

    ticket_id = fields.Many2one(
        "contact_center.ticket", required=True, ondelete="cascade", index=True
    )
    policy_id = fields.Many2one(
        "contact_center.sla.policy", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    kind = fields.Selection(TARGET_KINDS, required=True)
    target_seconds = fields.Integer(required=True)
    start_at = fields.Datetime(required=True)
    resumed_at = fields.Datetime(
        help="Start of the running period; empty while paused."
    )
    consumed_seconds = fields.Integer(
        help="Working seconds used before the current running period."
    )
    deadline = fields.Datetime(index=True)
    at_risk_at = fields.Datetime(index=True)
    reached_at = fields.Datetime()
    status = fields.Selection(STATUSES, required=True, default="running", index=True)

    # ------------------------------------------------------------------
    # Working time
    # ------------------------------------------------------------------
    @api.model
    def _intervals(self, calendar, start, days):
        """Working intervals of ``calendar`` from ``start`` (naive UTC) as naive UTC."""
        if not calendar:
            # no calendar: the clock runs around the clock
            return [(start, start + timedelta(days=days))]
        tz = pytz.timezone(calendar.tz or "UTC")
        begin = pytz.utc.localize(start)
        end = pytz.utc.localize(start + timedelta(days=days))
        work = calendar._work_intervals_batch(begin, end, tz=tz)[False]
        return [
            (
                s.astimezone(pytz.utc).replace(tzinfo=None),
                e.astimezone(pytz.utc).replace(tzinfo=None),
            )
            for s, e, _recs in work
        ]

    @api.model
    def _add_working(self, calendar, start, seconds):
        """``start`` plus ``seconds`` of working time, widening the horizon."""
        days = HORIZON_DAYS
        while days <= MAX_HORIZON_DAYS:
            result = sla_clock.add_working_seconds(
                start, seconds, self._intervals(calendar, start, days)
            )
            if result is not None:
                return result
            days *= 2
        return None

    @api.model
    def _working_between(self, calendar, start, end):
        if end <= start:
            return 0
        days = (end - start).days + 2
        return sla_clock.working_seconds_between(
            start, end, self._intervals(calendar, start, days)
        )

    def _calendar(self):
        self.ensure_one()
        return self.policy_id._calendar_for(self.ticket_id)

    def _schedule(self):
        """Recompute deadline and at-risk time of running lines."""
        for line in self:
            if line.reached_at or not line.resumed_at:
                continue
            calendar = line._calendar()
            remaining = max(line.target_seconds - line.consumed_seconds, 0)
            risk_share = (line.policy_id.at_risk_percent or 100.0) / 100.0
            risk_remaining = max(
                int(line.target_seconds * risk_share) - line.consumed_seconds, 0
            )
            line.write(
                {
                    "deadline": self._add_working(calendar, line.resumed_at, remaining),
                    "at_risk_at": self._add_working(
                        calendar, line.resumed_at, risk_remaining
                    ),
                    "status": "running",
                }
            )

    # ------------------------------------------------------------------
    # Clock events
    # ------------------------------------------------------------------
    def _pause(self, at):
        for line in self.filtered(lambda line: line.resumed_at and not line.reached_at):
            used = self._working_between(line._calendar(), line.resumed_at, at)
            line.write(
                {
                    "consumed_seconds": line.consumed_seconds + used,
                    "resumed_at": False,
                    "deadline": False,
                    "at_risk_at": False,
                    "status": "paused",
                }
            )

    def _resume(self, at):
        paused = self.filtered(lambda line: not line.resumed_at and not line.reached_at)
        paused.write({"resumed_at": at})
        paused._schedule()

    def _reach(self, at):
        for line in self.filtered(lambda line: not line.reached_at):
            if line.resumed_at:
                met = not line.deadline or at <= line.deadline
            else:  # reached while paused: within target if time was left
                met = line.consumed_seconds <= line.target_seconds
            line.write({"reached_at": at, "status": "met" if met else "breached"})

    def _reopen(self, at):
        """A reached resolution target runs again when its ticket reopens."""
        lines = self.filtered("reached_at")
        lines.write({"reached_at": False, "resumed_at": at, "status": "running"})
        lines._schedule()

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_update_status(self):
        """Mark running lines at risk or breached, and their tickets.

        Set-based updates, whatever the number of open tickets; safe to run
        twice or on two workers at once (an update only moves a line forward).
        """
        now = fields.Datetime.now()
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            """
            UPDATE contact_center_ticket_sla
               SET status = 'breached'
             WHERE reached_at IS NULL AND status IN ('running', 'at_risk')
               AND deadline < %(now)s
         RETURNING ticket_id
            """,
            {"now": now},
        )
        breached = [row[0] for row in cr.fetchall()]
        cr.execute(
            """
            UPDATE contact_center_ticket_sla
               SET status = 'at_risk'
             WHERE reached_at IS NULL AND status = 'running'
               AND at_risk_at <= %(now)s
         RETURNING ticket_id
            """,
            {"now": now},
        )
        at_risk = [row[0] for row in cr.fetchall()]
        ticket_ids = list(set(breached + at_risk))
        if ticket_ids:
            # the ticket shows the worst status of its lines
            cr.execute(
                """
                UPDATE contact_center_ticket t
                   SET sla_status = w.worst
                  FROM (
                        SELECT ticket_id,
                               CASE WHEN bool_or(status = 'breached') THEN 'breached'
                                    WHEN bool_or(status = 'at_risk') THEN 'at_risk'
                                    WHEN bool_or(status = 'running') THEN 'running'
                                    WHEN bool_or(status = 'paused') THEN 'paused'
                                    ELSE 'met' END AS worst
                          FROM contact_center_ticket_sla
                         WHERE ticket_id = ANY(%(ids)s)
                      GROUP BY ticket_id
                       ) w
                 WHERE t.id = w.ticket_id
                """,
                {"ids": ticket_ids},
            )
        self.invalidate_model(["status"])
        self.env["contact_center.ticket"].invalidate_model(["sla_status"])
        return {
            "breached": len(breached),
            "at_risk": len(at_risk),
            "tickets": ticket_ids,
        }
