from datetime import timedelta

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools.lru import LRU

from ..tools import sla_clock
from .contact_center_sla_policy import TARGET_KINDS

# working intervals by calendar fingerprint and period, shared by the
# process's requests and crons (see _intervals)
_INTERVALS = LRU(512)

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
    _check_company_auto = True
    # record rules: a line is visible only with its ticket (see ir.rule)
    _cc_rules_follow = "ticket_id"

    ticket_id = fields.Many2one(
        "contact_center.ticket", required=True, ondelete="cascade", index=True
    )
    policy_id = fields.Many2one(
        "contact_center.sla.policy",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, index=True, precompute=True
    )
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
    escalation_done_ids = fields.Many2many(
        "contact_center.sla.escalation",
        "contact_center_ticket_sla_escalation_rel",
        string="Escalations Done",
        readonly=True,
    )
    next_escalation_at = fields.Datetime(
        index=True, help="When the next escalation level of this target is due."
    )
    status = fields.Selection(STATUSES, required=True, default="running", index=True)
    settled_at = fields.Datetime(
        compute="_compute_settled_at",
        store=True,
        index="btree_not_null",
        help="When the target was settled, the period the SLA report counts it "
        "in: when it was reached if met, its deadline if breached (when it "
        "was reached, for a target reached late while paused). Empty while "
        "it runs or is paused.",
    )

    @api.depends("status", "reached_at", "deadline")
    def _compute_settled_at(self):
        # the status cron breaches lines in SQL and sets this column there too
        for line in self:
            if line.status == "met":
                line.settled_at = line.reached_at
            elif line.status == "breached":
                line.settled_at = line.deadline or line.reached_at
            else:
                line.settled_at = False

    # ------------------------------------------------------------------
    # Working time
    # ------------------------------------------------------------------
    @api.model
    def _intervals(self, calendar, start, days):
        """Working intervals of ``calendar`` from ``start`` (naive UTC) as naive UTC.

        Intervals are computed from the start of ``start``'s day and kept by
        the process: SLA batches and every call routed to a team with
        business hours share them. The key is a fingerprint of what the
        intervals depend on (the calendar, its attendances, the leaves that
        overlap the period), read at each call, so a change to any of them,
        committed or not, is never answered from a stale entry.
        """
        if not calendar:
            # no calendar: the clock runs around the clock
            return [(start, start + timedelta(days=days))]
        day = start.replace(hour=0, minute=0, second=0, microsecond=0)
        self.env["resource.calendar.leaves"].flush_model()
        self.env["resource.calendar.attendance"].flush_model()
        calendar.flush_recordset()
        self.env.cr.execute(
            """
            SELECT (SELECT concat_ws('/', write_date, tz, flexible_hours,
                                     two_weeks_calendar)
                      FROM resource_calendar WHERE id = %(cal)s),
                   (SELECT md5(string_agg(concat_ws(',', id, dayofweek, hour_from,
                                                    hour_to, week_type, date_from,
                                                    date_to, day_period, resource_id,
                                                    display_type),
                                          ';' ORDER BY id))
                      FROM resource_calendar_attendance WHERE calendar_id = %(cal)s),
                   (SELECT md5(string_agg(concat_ws(',', id, date_from, date_to,
                                                    calendar_id, resource_id,
                                                    company_id, time_type),
                                          ';' ORDER BY id))
                      FROM resource_calendar_leaves
                     WHERE (calendar_id = %(cal)s OR calendar_id IS NULL)
                       AND date_from < %(end)s AND date_to > %(begin)s)
            """,
            {
                "cal": calendar.id,
                # a day of margin on both sides: leaves are stored in UTC
                "begin": day - timedelta(days=1),
                "end": day + timedelta(days=days + 1),
            },
        )
        key = (self.env.cr.dbname, calendar.id, *self.env.cr.fetchone(), day, days)
        intervals = _INTERVALS.get(key)
        if intervals is None:
            tz = pytz.timezone(calendar.tz or "UTC")
            begin = pytz.utc.localize(day)
            end = pytz.utc.localize(day + timedelta(days=days))
            work = calendar._work_intervals_batch(begin, end, tz=tz)[False]
            intervals = _INTERVALS[key] = tuple(
                (
                    s.astimezone(pytz.utc).replace(tzinfo=None),
                    e.astimezone(pytz.utc).replace(tzinfo=None),
                )
                for s, e, _recs in work
            )
        return intervals

    @api.model
    def _add_working_many(self, calendar, start, seconds_list):
        """``start`` plus each of ``seconds_list`` of working time.

        One fetch of working intervals serves every target of a line; the
        horizon widens only when a target lies beyond it.
        """
        days = HORIZON_DAYS
        results = [None] * len(seconds_list)
        while days <= MAX_HORIZON_DAYS:
            intervals = self._intervals(calendar, start, days)
            results = [
                sla_clock.add_working_seconds(start, seconds, intervals)
                for seconds in seconds_list
            ]
            if all(result is not None for result in results):
                break
            days *= 2
        return results

    @api.model
    def _add_working(self, calendar, start, seconds):
        """``start`` plus ``seconds`` of working time."""
        return self._add_working_many(calendar, start, [seconds])[0]

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

    @api.model
    def _schedule_values(self, policy, calendar, resumed_at, consumed, target, level):
        """Deadline, at-risk and next-escalation times of a running target.

        ``level`` is the next escalation level due, if any; one fetch of
        working intervals serves the three times.
        """
        risk_share = (policy.at_risk_percent or 100.0) / 100.0
        targets = [target, int(target * risk_share)]
        if level:
            targets.append(int(target * level.threshold_percent / 100.0))
        times = self._add_working_many(
            calendar, resumed_at, [max(t - consumed, 0) for t in targets]
        )
        return {
            "deadline": times[0],
            "at_risk_at": times[1],
            "next_escalation_at": times[2] if level else False,
        }

    def _schedule(self):
        """Recompute deadline, at-risk and next-escalation times of running lines."""
        for line in self:
            if line.reached_at or not line.resumed_at:
                continue
            values = self._schedule_values(
                line.policy_id,
                line._calendar(),
                line.resumed_at,
                line.consumed_seconds,
                line.target_seconds,
                line._next_level(),
            )
            line.write({**values, "status": "running"})

    def _next_level(self):
        self.ensure_one()
        return (self.policy_id.escalation_ids - self.escalation_done_ids)[:1]

    def _next_escalation_seconds(self):
        """Working seconds of the target after which the next level is due."""
        self.ensure_one()
        level = self._next_level()
        if not level:
            return None
        return int(self.target_seconds * level.threshold_percent / 100.0)

    def _next_escalation_time(self):
        """When the next level is due, from the running period's start."""
        self.ensure_one()
        due = self._next_escalation_seconds()
        if due is None or not self.resumed_at:
            return False
        return self._add_working(
            self._calendar(), self.resumed_at, max(due - self.consumed_seconds, 0)
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
                    "next_escalation_at": False,
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
            line.write(
                {
                    "reached_at": at,
                    "status": "met" if met else "breached",
                    "next_escalation_at": False,
                }
            )

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

        Set-based updates of the lines, whatever the number of open tickets,
        then the touched tickets recompute their status; safe to run
        twice or on two workers at once (an update only moves a line forward).
        """
        now = fields.Datetime.now()
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            """
            UPDATE contact_center_ticket_sla
               SET status = 'breached', settled_at = deadline
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
        self.invalidate_model(["status", "settled_at"])
        # the tickets' worst status is derived by their own compute
        Ticket = self.env["contact_center.ticket"]
        tickets = Ticket.browse(ticket_ids)
        self.env.add_to_compute(Ticket._fields["sla_status"], tickets)
        tickets.flush_recordset(["sla_status", "sla_deadline"])
        return {
            "breached": len(breached),
            "at_risk": len(at_risk),
            "tickets": ticket_ids,
        }

    @api.model
    def _cron_escalate(self, batch_size=200):
        """Apply the escalation levels that are due.

        Only lines whose next level is due are read, so the cost follows the
        number of escalations, not of open tickets. Rows are taken with
        ``FOR UPDATE SKIP LOCKED``: two workers never escalate the same line.
        """
        now = fields.Datetime.now()
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT id FROM contact_center_ticket_sla
             WHERE next_escalation_at <= %s AND reached_at IS NULL
          ORDER BY next_escalation_at
             LIMIT %s
               FOR UPDATE SKIP LOCKED
            """,
            (now, batch_size),
        )
        lines = self.browse([row[0] for row in self.env.cr.fetchall()])
        notes = {}
        for line in lines:
            line._escalate(now, notes)
        if notes:
            # escalations nobody is told about are logged in one batch
            self.env["contact_center.ticket"].browse(notes)._message_log_batch(
                {
                    ticket_id: Markup("<br/>").join(bodies)
                    for ticket_id, bodies in notes.items()
                }
            )
        return len(lines)

    def _escalate(self, now, notes):
        """Apply the next level; notes without recipients go to ``notes``
        ({ticket id: [bodies]}) for the caller to log in batch."""
        self.ensure_one()
        ticket = self.ticket_id
        team = ticket.team_id
        level = self._next_level()
        if not level:
            self.next_escalation_at = False
            return
        if team and not team._is_open_at(now):
            # people are told only during the team's working hours
            self.next_escalation_at = self._add_working(self._calendar(), now, 1)
            return
        self.escalation_done_ids = [fields.Command.link(level.id)]
        assignee = ticket.agent_id
        users = level.user_ids
        if level.notify_assignee and assignee:
            users |= assignee.user_id
        if level.notify_supervisors:
            users |= team.supervisor_ids
        kind = dict(self._fields["kind"]._description_selection(self.env))[self.kind]
        body = self.env._(
            "SLA escalation %(level)s: %(kind)s target of policy %(policy)s, %(pct)s%% "
            "used (due %(deadline)s).",
            level=level.name,
            kind=kind,
            policy=self.policy_id.name,
            pct=int(level.threshold_percent),
            deadline=fields.Datetime.to_string(self.deadline) if self.deadline else "-",
        )
        if users:
            ticket.message_post(
                body=body,
                message_type="notification",
                subtype_xmlid="mail.mt_note",
                partner_ids=users.partner_id.ids,
            )
        else:
            notes.setdefault(ticket.id, []).append(body)
        if level.create_activity:
            for supervisor in team.supervisor_ids:
                ticket.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=supervisor.id,
                    summary=self.env._("SLA escalation: %s", ticket.display_name),
                    note=body,
                )
        if level.raise_priority and ticket.priority < "3":
            ticket.priority = str(int(ticket.priority) + 1)
        if level.reassign != "no" and (
            level.reassign == "always"
            or (assignee and assignee.presence != "available")
        ):
            ticket._reroute(exclude=assignee, reason=body)
        self.next_escalation_at = self._next_escalation_time()
