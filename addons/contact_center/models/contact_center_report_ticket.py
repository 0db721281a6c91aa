from odoo import api, fields, models, tools
from odoo.tools import SQL

from .contact_center_team import CHANNELS
from .contact_center_ticket import PRIORITIES

# what ticket KPIs can be grouped by (columns of both ticket reports)
TICKET_GROUPABLE = ("team_id", "agent_id", "channel")


class ContactCenterReportTicket(models.Model):
    """One row per ticket, carrying each ticket KPI's share.

    Durations are the business-hours figures stored on the ticket when they
    happen, rates are columns worth 100 or 0 on the rows they apply to and
    empty elsewhere: the average over any group is the KPI itself. Rows are
    the tickets themselves (same id) and are visible exactly where the ticket
    is (``_cc_rules_follow``). Automatic messages (auto-replies, bounces) and
    archived (merged) tickets are left out.
    """

    _name = "contact_center.report.ticket"
    _description = "Contact Center KPIs by Ticket"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "ticket_id"
    # record rules: a row is visible only with its ticket (see ir.rule)
    _cc_rules_follow = "ticket_id"

    ticket_id = fields.Many2one("contact_center.ticket", readonly=True)
    date = fields.Datetime(
        string="Created On",
        readonly=True,
        help="When the request arrived: grouping by it gives the figures of "
        "the tickets created in each period.",
    )
    first_response_at = fields.Datetime(string="First Response On", readonly=True)
    solved_at = fields.Datetime(
        string="Solved On",
        readonly=True,
        help="Last solve (or close): grouping by it gives the figures of the "
        "tickets solved in each period.",
    )
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("contact_center.team", readonly=True)
    agent_id = fields.Many2one("contact_center.agent", readonly=True)
    user_id = fields.Many2one("res.users", string="Agent User", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    priority = fields.Selection(PRIORITIES, readonly=True)
    reason_id = fields.Many2one(
        "contact_center.contact.reason", string="Contact Reason", readonly=True
    )
    stage_id = fields.Many2one("contact_center.ticket.stage", readonly=True)
    is_open = fields.Boolean(string="Open", readonly=True)
    ticket_count = fields.Integer(
        string="Tickets", readonly=True, help="Number of tickets (1 per row)."
    )
    open_count = fields.Integer(
        string="Backlog",
        readonly=True,
        help="Open tickets (neither solved nor closed): 1 per open ticket.",
    )
    first_response_time = fields.Integer(
        readonly=True,
        aggregator="avg",
        help="Average first response time = (first agent reply − arrival), "
        "in working seconds of the team's business hours, over the tickets "
        "answered. Empty for tickets not answered yet.",
    )
    resolution_time = fields.Integer(
        readonly=True,
        aggregator="avg",
        help="Average resolution time = (last solve − arrival) in working "
        "seconds of the team's business hours, minus the time spent waiting "
        "on the customer and solved before a reopen, over the solved tickets.",
    )
    age = fields.Integer(
        string="Backlog Age",
        readonly=True,
        aggregator="avg",
        help="Backlog age = average of (now − arrival), in calendar seconds, "
        "over the open tickets. Empty for solved and closed tickets.",
    )
    reopened = fields.Float(
        string="Reopen Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Reopen rate = tickets reopened at least once / tickets solved "
        "at least once, as %. Empty for tickets never solved.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT t.id,
                           t.id AS ticket_id,
                           COALESCE(t.received_at, t.create_date) AS date,
                           t.first_response_at,
                           t.solved_at,
                           t.company_id, t.team_id, t.agent_id, t.user_id,
                           t.partner_id, t.channel, t.priority, t.reason_id,
                           t.stage_id,
                           COALESCE(t.is_open, FALSE) AS is_open,
                           1 AS ticket_count,
                           CASE WHEN t.is_open THEN 1 ELSE 0 END AS open_count,
                           CASE WHEN t.first_response_at IS NOT NULL
                                THEN t.first_response_business_seconds
                           END AS first_response_time,
                           CASE WHEN t.solved_at IS NOT NULL
                                THEN t.resolution_business_seconds
                           END AS resolution_time,
                           CASE WHEN t.is_open THEN
                               EXTRACT(EPOCH FROM (now() AT TIME ZONE 'UTC')
                                   - COALESCE(t.received_at, t.create_date))::int
                           END AS age,
                           CASE WHEN t.reopen_count > 0 THEN 100.0
                                WHEN t.solved_at IS NOT NULL THEN 0.0
                           END AS reopened
                      FROM contact_center_ticket t
                     WHERE t.active AND NOT COALESCE(t.is_automatic, FALSE)
                )
                """,
                SQL.identifier(self._table),
            )
        )

    def action_open_ticket(self):
        """A report row opens the ticket it stands for."""
        self.ensure_one()
        return self.ticket_id.get_formview_action()

    # ------------------------------------------------------------------
    # KPI engine
    # ------------------------------------------------------------------
    @api.model
    def _ticket_kpis(
        self, date_from, date_to, team_ids=None, agent_ids=None, groupby=None
    ):
        """Ticket KPIs over ``[date_from, date_to)`` (naive UTC datetimes).

        Each figure counts in the period of the event it measures: first
        response time the tickets first answered in the period, resolution
        time and reopen rate the tickets (last) solved in it, SLA compliance
        the SLA targets settled in it (see ``contact_center.report.sla``);
        backlog and backlog age are the open tickets now. ``team_ids`` /
        ``agent_ids`` restrict (None: no restriction), always within the
        user's companies; like the KPI engine's private methods, no record
        rule applies: callers decide what the user may see.
        ``groupby``: None, ``team_id``, ``agent_id`` or ``channel``.

        Returns one dict per group (exactly one without ``groupby``):
        ``key``, ``first_response_time``, ``resolution_time``,
        ``backlog_age`` (seconds), ``backlog`` (int), ``reopen_rate``,
        ``sla_compliance`` (%) and ``sla_compliance_by_kind`` ({kind: %});
        a figure without data is None, never 0.
        """
        return self._ticket_kpis_sets(
            date_from, date_to, team_ids, agent_ids, (groupby,)
        )[groupby]

    @api.model
    def _ticket_kpis_sets(
        self, date_from, date_to, team_ids=None, agent_ids=None, groupbys=(None,)
    ):
        """:meth:`_ticket_kpis` for several groupings at once, from one scan
        of the tickets and one of the settled SLA targets (GROUPING SETS):
        {groupby: [rows]}."""
        unknown = set(groupbys) - {None, *TICKET_GROUPABLE}
        if unknown:
            raise ValueError(f"cannot group ticket KPIs by {unknown}")
        self.env["contact_center.ticket"].flush_model()
        self.env["contact_center.ticket.sla"].flush_model()
        cr = self.env.cr
        # the column names below come from TICKET_GROUPABLE, a constant
        columns = [g for g in groupbys if g]
        sets = SQL(", ").join(
            SQL("(%s)", SQL.identifier("r", g)) if g else SQL("()") for g in groupbys
        )
        keys = SQL(", ").join(
            [SQL("GROUPING(%s)", SQL.identifier("r", g)) for g in columns]
            + [SQL.identifier("r", g) for g in columns]
            or [SQL("0")]
        )
        scope = [SQL("r.company_id = ANY(%s)", self.env.companies.ids)]
        if team_ids is not None:
            scope.append(SQL("r.team_id = ANY(%s)", list(team_ids)))
        if agent_ids is not None:
            scope.append(SQL("r.agent_id = ANY(%s)", list(agent_ids)))
        scope = SQL(" AND ").join(scope)
        rows = {groupby: {} for groupby in groupbys}

        def split(record):
            """(groupby, key, the rest) of a result row."""
            if not columns:
                return None, False, record[1:]
            flags = record[: len(columns)]
            values = record[len(columns) : 2 * len(columns)]
            groupby, key = None, False
            for column, flag, value in zip(columns, flags, values, strict=True):
                if not flag:
                    groupby, key = column, value if value is not None else False
            return groupby, key, record[2 * len(columns) :]

        def row(groupby, group):
            return rows[groupby].setdefault(
                group,
                {
                    "key": group,
                    "first_response_time": None,
                    "resolution_time": None,
                    "backlog": 0,
                    "backlog_age": None,
                    "reopen_rate": None,
                    "sla_compliance": None,
                    "sla_compliance_by_kind": {},
                },
            )

        if None in groupbys:
            row(None, False)
        now = fields.Datetime.now()
        # one scan of the tickets: each aggregate filtered on its own event
        cr.execute(
            SQL(
                """
                SELECT %(keys)s,
                       AVG(r.first_response_time) FILTER (
                           WHERE r.first_response_at >= %(from)s
                             AND r.first_response_at < %(to)s),
                       AVG(r.resolution_time) FILTER (
                           WHERE r.solved_at >= %(from)s AND r.solved_at < %(to)s),
                       AVG(r.reopened) FILTER (
                           WHERE r.solved_at >= %(from)s AND r.solved_at < %(to)s),
                       COUNT(*) FILTER (WHERE r.is_open),
                       AVG(EXTRACT(EPOCH FROM %(now)s - r.date)) FILTER (
                           WHERE r.is_open)
                  FROM contact_center_report_ticket r
                 WHERE %(scope)s
                   AND (r.is_open
                        OR (r.first_response_at >= %(from)s
                            AND r.first_response_at < %(to)s)
                        OR (r.solved_at >= %(from)s AND r.solved_at < %(to)s))
              GROUP BY GROUPING SETS (%(sets)s)
                """,
                keys=keys,
                sets=sets,
                scope=scope,
                now=now,
                **{"from": date_from, "to": date_to},
            )
        )
        for record in cr.fetchall():
            groupby, group, figures = split(record)
            if groupby not in rows:
                continue
            first, resolution, reopened, backlog, age = figures
            row(groupby, group).update(
                first_response_time=_number(first),
                resolution_time=_number(resolution),
                reopen_rate=_number(reopened),
                backlog=backlog,
                backlog_age=_number(age),
            )
        # SLA targets settled in the period, by kind
        kind_sets = SQL(", ").join(
            SQL("(%s, r.kind)", SQL.identifier("r", g)) if g else SQL("(r.kind)")
            for g in groupbys
        )
        cr.execute(
            SQL(
                """
                SELECT %(keys)s, r.kind,
                       COUNT(*) FILTER (WHERE r.status = 'met'),
                       COUNT(*)
                  FROM contact_center_report_sla r
                 WHERE %(scope)s
                   AND r.date >= %(from)s AND r.date < %(to)s
                   AND r.status IN ('met', 'breached')
              GROUP BY GROUPING SETS (%(sets)s)
                """,
                keys=keys,
                sets=kind_sets,
                scope=scope,
                **{"from": date_from, "to": date_to},
            )
        )
        settled = {}
        for record in cr.fetchall():
            groupby, group, (kind, met, total) = split(record)
            if groupby not in rows:
                continue
            values = row(groupby, group)
            values["sla_compliance_by_kind"][kind] = 100.0 * met / total
            counts = settled.setdefault((groupby, group), [0, 0])
            counts[0] += met
            counts[1] += total
        for (groupby, group), (met, total) in settled.items():
            rows[groupby][group]["sla_compliance"] = 100.0 * met / total
        return {groupby: list(found.values()) for groupby, found in rows.items()}


def _number(value):
    """A SQL average as a float, None staying None."""
    return None if value is None else float(value)
