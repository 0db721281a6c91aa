from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools import kpi as kpi_tools

# the KPIs the supervisor dashboard shows, in order
DASHBOARD_KPIS = (
    "offered",
    "handled",
    "aht",
    "asa",
    "service_level",
    "abandon_rate",
    "short_abandoned",
    "transfer_rate",
    "fcr",
    "occupancy",
    "utilization",
    "adherence",
    "contacts_per_hour",
    "first_response_time",
    "resolution_time",
    "sla_compliance",
    "csat",
)
# what an agent reads on "My Performance"
AGENT_KPIS = (
    "handled",
    "aht",
    "acw",
    "transfer_rate",
    "fcr",
    "occupancy",
    "adherence",
    "contacts_per_hour",
    "csat",
)
# presence states counted as working (adherence) and as logged in
WORKING_STATES = ("available", "busy", "wrap_up")
ON_CONTACT_STATES = ("busy", "wrap_up")
LOGGED_IN_STATES = ("available", "busy", "wrap_up", "break")
# presence periods longer than this are found through a partial index, the
# others through (agent, start): see _presence_spans
LONG_SPAN_DAYS = 7
# report column (and its aggregate) behind each KPI read from interactions
INTERACTION_AGGREGATES = {
    "offered": ("offered_count", "sum"),
    "answered": ("answered_count", "sum"),
    "handled": ("handled_count", "sum"),
    "abandoned": ("abandoned_count", "sum"),
    "short_abandoned": ("short_abandoned_count", "sum"),
    "aht": ("handle_seconds", "avg"),
    "acw": ("after_call_work_seconds", "avg"),
    "asa": ("answer_wait_seconds", "avg"),
    "service_level": ("service_level", "avg"),
    "abandon_rate": ("abandon_rate", "avg"),
    "transfer_rate": ("transfer_rate", "avg"),
    "fcr": ("fcr_rate", "avg"),
}
COUNTS = ("offered", "answered", "handled", "abandoned", "short_abandoned")
# what KPIs can be grouped by (report columns)
GROUPABLE = ("team_id", "agent_id", "channel", "direction")
# the report column behind a figure (drill-down); counts filter on their column
DRILL_DOWN_FIELDS = {
    code: column for code, (column, _agg) in INTERACTION_AGGREGATES.items()
}
PRESENCE_KPIS = ("occupancy", "utilization", "adherence", "contacts_per_hour")
TICKET_KPIS = (
    "first_response_time",
    "resolution_time",
    "backlog",
    "backlog_age",
    "reopen_rate",
    "sla_compliance",
)
SATISFACTION_KPIS = ("csat", "nps", "ces")


class ContactCenterKpi(models.AbstractModel):
    """The KPI engine: every figure the dashboards and the wallboard show.

    Interaction KPIs are averages and sums of ``contact_center.report.interaction``
    in one grouped query; presence KPIs come from the presence log clipped to
    the period in one query, plus the agents' working calendars for
    adherence; ticket KPIs from ``contact_center.report.ticket``; satisfaction
    from :meth:`_cc_satisfaction_kpis`, which the survey addon fills.

    Private methods compute for the filters they are given: the public ones
    decide first what the user may see.
    """

    _name = "contact_center.kpi"
    _description = "Contact Center KPIs"

    # ------------------------------------------------------------------
    # Engine
    # ------------------------------------------------------------------
    @api.model
    def _compute(
        self,
        date_from,
        date_to,
        team_ids=None,
        agent_ids=None,
        channel=None,
        direction=None,
        groupby=None,
    ):
        """KPIs of the contacts that ended in ``[date_from, date_to)``.

        Datetimes are naive UTC. ``team_ids``/``agent_ids`` restrict (None:
        no restriction); ``groupby`` is None, ``team_id``, ``agent_id``,
        ``channel`` or ``direction``. Returns one dict per group (one in all
        without ``groupby``) with ``key`` and every KPI code; a KPI without
        data is None, never 0.
        """
        return self._compute_sets(
            date_from, date_to, team_ids, agent_ids, channel, direction, (groupby,)
        )[groupby]

    @api.model
    def _compute_sets(
        self,
        date_from,
        date_to,
        team_ids=None,
        agent_ids=None,
        channel=None,
        direction=None,
        groupbys=(None,),
    ):
        """:meth:`_compute` for several groupings at once, from one scan of
        the contacts and one of the presence log: {groupby: [rows]}."""
        unknown = set(groupbys) - {None, *GROUPABLE}
        if unknown:
            raise ValueError(f"cannot group KPIs by {unknown}")
        interactions = self._interaction_kpis(
            date_from, date_to, team_ids, agent_ids, channel, direction, groupbys
        )
        with_presence = not (channel or direction)
        presence_groupbys = [g for g in groupbys if g in (None, "team_id", "agent_id")]
        presence = (
            self._presence_kpis(
                date_from, date_to, team_ids, agent_ids, presence_groupbys
            )
            if with_presence and presence_groupbys
            else {}
        )
        satisfaction = {
            groupby: self._cc_satisfaction_kpis(
                date_from, date_to, team_ids, agent_ids, channel, direction, groupby
            )
            for groupby in groupbys
        }
        result = {}
        for groupby in groupbys:
            groups = defaultdict(self._empty_row)
            if groupby is None:
                groups.setdefault(False, self._empty_row())
            for key, values in interactions.get(groupby, {}).items():
                groups[key].update(values)
            for key, values in presence.get(groupby, {}).items():
                groups[key].update(values)
            for key, values in satisfaction[groupby].items():
                groups[key].update(values)
            rows = []
            for key, row in groups.items():
                seconds = row.pop("logged_in_seconds", None)
                if groupby in presence:
                    row["contacts_per_hour"] = (
                        kpi_tools.ratio(row["handled"], seconds, 3600.0)
                        if seconds
                        else None
                    )
                row["key"] = key
                rows.append(row)
            result[groupby] = rows
        return result

    @api.model
    def _empty_row(self):
        row = dict.fromkeys(kpi_tools.KPIS)
        for code in COUNTS:
            row[code] = 0
        return row

    @api.model
    def _interaction_kpis(
        self, date_from, date_to, team_ids, agent_ids, channel, direction, groupbys
    ):
        """{groupby: {key: figures}} in one query over the KPI report, with
        GROUPING SETS so the total, the teams and the agents share one scan.
        """
        Report = self.env["contact_center.report.interaction"]
        self.env["contact_center.interaction"].flush_model()
        conditions = [
            SQL("r.date >= %s AND r.date < %s", date_from, date_to),
            SQL("r.company_id = ANY(%s)", self.env.companies.ids),
        ]
        if team_ids is not None:
            conditions.append(SQL("r.team_id = ANY(%s)", list(team_ids)))
        if agent_ids is not None:
            conditions.append(SQL("r.agent_id = ANY(%s)", list(agent_ids)))
        if channel:
            conditions.append(SQL("r.channel = %s", channel))
        if direction:
            conditions.append(SQL("r.direction = %s", direction))
        # column names below come from GROUPABLE and AGGREGATES, constants
        columns = [g for g in groupbys if g]
        sets = SQL(", ").join(
            SQL("(%s)", SQL.identifier("r", g)) if g else SQL("()") for g in groupbys
        )
        selects = [SQL("GROUPING(%s)", SQL.identifier("r", g)) for g in columns]
        selects += [SQL.identifier("r", g) for g in columns]
        selects.append(SQL("count(*)"))
        selects += [
            SQL("%s(%s)", SQL(function), SQL.identifier("r", column))
            for _code, (column, function) in INTERACTION_AGGREGATES.items()
        ]
        # sudo-free: a private engine reading the report's query directly;
        # its public callers restrict the teams and agents to those the user
        # may see, and only aggregates leave it
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM (%s) r WHERE %s GROUP BY GROUPING SETS (%s)",
                SQL(", ").join(selects),
                SQL(Report._cc_query()),
                SQL(" AND ").join(conditions),
                sets,
            )
        )
        result = defaultdict(dict)
        codes = list(INTERACTION_AGGREGATES)
        for row in self.env.cr.fetchall():
            flags = row[: len(columns)]
            keys = row[len(columns) : 2 * len(columns)]
            count = row[2 * len(columns)]
            values = row[2 * len(columns) + 1 :]
            groupby, key = None, False
            for column, flag, value in zip(columns, flags, keys, strict=True):
                if not flag:
                    groupby, key = column, value if value is not None else False
            if groupby is None and None not in groupbys:
                continue
            if not count:
                continue
            figures = {}
            for code, value in zip(codes, values, strict=True):
                if code in COUNTS:
                    figures[code] = int(value or 0)
                else:
                    figures[code] = float(value) if value is not None else None
            result[groupby][key] = figures
        return result

    @api.model
    def _agents_in_scope(self, team_ids, agent_ids):
        """The agents the presence KPIs cover, and {team id: agent ids}."""
        Agent = self.env["contact_center.agent"].sudo().with_context(active_test=False)
        domain = [("company_id", "in", self.env.companies.ids)]
        if agent_ids is not None:
            domain.append(("id", "in", list(agent_ids)))
        if team_ids is not None:
            domain.append(("team_ids", "in", list(team_ids)))
        agents = Agent.search_fetch(
            domain, ["resource_calendar_id", "company_id", "team_ids"]
        )
        members = defaultdict(list)
        for agent in agents:
            for team in agent.team_ids:
                if team_ids is None or team.id in team_ids:
                    members[team.id].append(agent.id)
        return agents, members

    @api.model
    def _presence_spans(self, date_from, date_to, agent_ids, states):
        """Presence periods of these agents in these states, clipped to the
        period (open ones end now). One query, served by the (agent, start)
        index and, for the rare periods longer than a week, a partial one."""
        now = fields.Datetime.now()
        self.env["contact_center.agent.presence"].flush_model()
        self.env.cr.execute(
            """
            SELECT agent_id, state,
                   GREATEST(start_at, %(from)s) AS span_start,
                   LEAST(COALESCE(end_at, %(now)s), %(to)s) AS span_end
              FROM contact_center_agent_presence
             WHERE agent_id = ANY(%(agents)s)
               AND state = ANY(%(states)s)
               AND start_at < %(to)s
               AND (end_at IS NULL OR end_at > %(from)s)
               AND (start_at >= %(from)s - make_interval(days => %(long)s)
                    OR end_at IS NULL
                    OR duration_seconds > %(long)s * 86400)
             ORDER BY agent_id, span_start
            """,
            {
                "from": date_from,
                "to": date_to,
                "now": now,
                "agents": list(agent_ids),
                "states": list(states),
                "long": LONG_SPAN_DAYS,
            },
        )
        return [row for row in self.env.cr.fetchall() if row[3] > row[2]]

    @api.model
    def _scheduled_intervals(self, date_from, date_to, agents):
        """{agent id: [(start, end)]} scheduled by each agent's working hours
        (the company's when empty), public holidays removed, naive UTC,
        never later than now. One calendar look-up per distinct calendar."""
        end = min(date_to, fields.Datetime.now())
        if end <= date_from:
            return {}
        start_utc = pytz.utc.localize(date_from)
        end_utc = pytz.utc.localize(end)
        by_calendar = defaultdict(list)
        for agent in agents:
            calendar = (
                agent.resource_calendar_id or agent.company_id.resource_calendar_id
            )
            if calendar:
                by_calendar[calendar].append(agent.id)
        result = {}
        for calendar, ids in by_calendar.items():
            intervals = calendar.sudo()._work_intervals_batch(start_utc, end_utc)[False]
            plain = [
                (
                    start.astimezone(pytz.utc).replace(tzinfo=None),
                    stop.astimezone(pytz.utc).replace(tzinfo=None),
                )
                for start, stop, _attendance in intervals
            ]
            for agent_id in ids:
                result[agent_id] = plain
        return result

    @api.model
    def _presence_kpis(self, date_from, date_to, team_ids, agent_ids, groupbys):
        """{groupby: {key: occupancy, utilization, adherence, logged-in
        seconds}} for groupbys among None, ``team_id`` and ``agent_id``."""
        agents, members = self._agents_in_scope(team_ids, agent_ids)
        if not agents:
            return {}
        spans = self._presence_spans(date_from, date_to, agents.ids, LOGGED_IN_STATES)
        seconds = defaultdict(lambda: defaultdict(float))
        working = defaultdict(list)
        for agent_id, state, start, end in spans:
            seconds[agent_id][state] += (end - start).total_seconds()
            if state in WORKING_STATES:
                working[agent_id].append((start, end))
        schedule = self._scheduled_intervals(date_from, date_to, agents)
        adherent = {
            agent_id: kpi_tools.overlap_seconds(working.get(agent_id, []), intervals)
            for agent_id, intervals in schedule.items()
        }
        scheduled = {
            agent_id: sum((end - start).total_seconds() for start, end in intervals)
            for agent_id, intervals in schedule.items()
        }
        result = {}
        for groupby in groupbys:
            if groupby == "agent_id":
                groups = {agent_id: [agent_id] for agent_id in agents.ids}
            elif groupby == "team_id":
                groups = members
            else:
                groups = {False: agents.ids}
            result[groupby] = {}
            for key, ids in groups.items():
                total = defaultdict(float)
                for agent_id in ids:
                    for state, value in seconds.get(agent_id, {}).items():
                        total[state] += value
                on_contact = sum(total[s] for s in ON_CONTACT_STATES)
                working_time = sum(total[s] for s in WORKING_STATES)
                logged_in = sum(total[s] for s in LOGGED_IN_STATES)
                result[groupby][key] = {
                    "occupancy": kpi_tools.ratio(on_contact, working_time),
                    "utilization": kpi_tools.ratio(on_contact, logged_in),
                    "adherence": kpi_tools.ratio(
                        sum(adherent.get(a, 0.0) for a in ids),
                        sum(scheduled.get(a, 0.0) for a in ids),
                    ),
                    "logged_in_seconds": logged_in,
                }
        return result

    @api.model
    def _cc_satisfaction_kpis(
        self, date_from, date_to, team_ids, agent_ids, channel, direction, groupby
    ):
        """{group key: {"csat": %, "nps": score, "ces": score}}.

        Hook: empty here; the survey addon returns the scores of the
        responses to the contacts that ended in the period.
        """
        return {}

    @api.model
    def _cc_satisfaction_drill_down(self, code, start, end, teams, agent_ids):
        """The survey answers behind a satisfaction figure. Hook: the survey
        addon opens them; without it there is nothing to show."""
        raise UserError(self.env._("Install the surveys to read satisfaction scores."))

    @api.model
    def _ticket_kpis(
        self, date_from, date_to, team_ids=None, agent_ids=None, groupbys=(None,)
    ):
        """{groupby: {group key: ticket KPIs}}, from the ticket report."""
        Report = self.env["contact_center.report.ticket"]
        sets = Report._ticket_kpis_sets(
            date_from,
            date_to,
            team_ids=team_ids,
            agent_ids=agent_ids,
            groupbys=groupbys,
        )
        return {
            groupby: {
                row["key"]: {code: row.get(code) for code in TICKET_KPIS}
                for row in rows
            }
            for groupby, rows in sets.items()
        }

    # ------------------------------------------------------------------
    # Targets
    # ------------------------------------------------------------------
    @api.model
    def _targets(self, team_ids=(), agent_ids=()):
        """{(code, "team" | "agent", id): target} for these teams and agents."""
        # sudo: targets are read-only figures every agent may see for their
        # own teams; callers pass the teams and agents in scope
        Target = self.env["contact_center.kpi.target"].sudo()
        domain = [("company_id", "in", self.env.companies.ids), "|"]
        domain += [
            ("team_id", "in", list(team_ids or [])),
            ("agent_id", "in", list(agent_ids or [])),
        ]
        result = {}
        for target in Target.search_fetch(
            domain, ["kpi", "team_id", "agent_id", "value"]
        ):
            if target.agent_id:
                result[(target.kpi, "agent", target.agent_id.id)] = target.value
            else:
                result[(target.kpi, "team", target.team_id.id)] = target.value
        return result

    # ------------------------------------------------------------------
    # Scope: what the user may see
    # ------------------------------------------------------------------
    @api.model
    def _my_agent(self):
        # sudo: reading the user's own agent record
        return (
            self.env["contact_center.agent"]
            .sudo()
            .search(
                [
                    ("user_id", "=", self.env.uid),
                    ("company_id", "in", self.env.companies.ids),
                ],
                limit=1,
            )
        )

    @api.model
    def _visible_teams(self):
        """Teams whose figures the user may read agent by agent."""
        Team = self.env["contact_center.team"]
        if self.env.user.has_group("contact_center.group_contact_center_manager"):
            return Team.search([("company_id", "in", self.env.companies.ids)])
        if self.env.user.has_group("contact_center.group_contact_center_supervisor"):
            return Team.search(
                [
                    ("supervisor_ids", "in", self.env.uid),
                    ("company_id", "in", self.env.companies.ids),
                ]
            )
        return Team

    @api.model
    def _check_teams(self, team_ids):
        visible = self._visible_teams()
        if not visible:
            if self.env.user.has_group(
                "contact_center.group_contact_center_supervisor"
            ):
                raise AccessError(
                    self.env._(
                        "You supervise no team yet: an administrator adds you to "
                        "a team's supervisors in Configuration > Teams."
                    )
                )
            raise AccessError(
                self.env._(
                    "Only supervisors and administrators read their teams' figures."
                )
            )
        if not team_ids:
            return visible
        chosen = visible.browse(team_ids) & visible
        if len(chosen) != len(set(team_ids)):
            raise AccessError(
                self.env._("You may only read the figures of the teams you supervise.")
            )
        return chosen

    # ------------------------------------------------------------------
    # Periods
    # ------------------------------------------------------------------
    @api.model
    def _user_tz(self):
        return pytz.timezone(self.env.user.tz or "UTC")

    @api.model
    def _local_days_to_utc(self, date_from, date_to):
        """Naive UTC bounds of the local days ``date_from`` to ``date_to``,
        both included."""
        tz = self._user_tz()
        start = tz.localize(datetime.combine(fields.Date.to_date(date_from), time.min))
        end = tz.localize(
            datetime.combine(fields.Date.to_date(date_to) + timedelta(days=1), time.min)
        )
        return (
            start.astimezone(pytz.utc).replace(tzinfo=None),
            end.astimezone(pytz.utc).replace(tzinfo=None),
        )

    # ------------------------------------------------------------------
    # Dashboards (JSON-RPC)
    # ------------------------------------------------------------------
    @api.model
    def _kpi_label(self, code):
        # the labels are translated as the choices of a target's KPI
        field = self.env["contact_center.kpi.target"]._fields["kpi"]
        return dict(field._description_selection(self.env)).get(code, code)

    @api.model
    def _kpi_formulas(self):
        """Each KPI's formula, as the dashboards show it on hover."""
        return {
            "offered": self.env._(
                "Inbound calls and chats answered + abandoned, short abandons "
                "left out; a transferred call is offered once."
            ),
            "handled": self.env._(
                "Calls and chats an agent answered or got through (each leg of a "
                "transferred call for its agent) + emails, SMS and social "
                "messages an agent sent."
            ),
            "answered": self.env._("Offered calls and chats an agent answered."),
            "abandoned": self.env._(
                "Offered calls and chats whose customer hung up in the queue "
                "after the short-abandon threshold."
            ),
            "short_abandoned": self.env._(
                "Callers who hung up in the queue within the team's "
                "short-abandon threshold: counted in no rate."
            ),
            "aht": self.env._(
                "(Talk + hold + after-contact work) / handled calls and chats."
            ),
            "acw": self.env._("Wrap-up time / handled calls and chats."),
            "asa": self.env._(
                "Time answered calls and chats waited / answered calls and chats."
            ),
            "service_level": self.env._(
                "Answered within the team's threshold / (answered + abandoned "
                "after the threshold)."
            ),
            "abandon_rate": self.env._("Abandoned in the queue / offered."),
            "occupancy": self.env._(
                "(Busy + wrap-up) / (available + busy + wrap-up) time."
            ),
            "utilization": self.env._(
                "(Busy + wrap-up) / logged-in time (available, busy, wrap-up, break)."
            ),
            "adherence": self.env._(
                "Time available, busy or in wrap-up inside the scheduled hours / "
                "scheduled hours (working hours of the agent, so far)."
            ),
            "transfer_rate": self.env._("Transferred / handled calls and chats."),
            "fcr": self.env._(
                "Resolved contacts the customer did not follow up on the same "
                "reason within the team's window / resolved contacts."
            ),
            "contacts_per_hour": self.env._("Handled contacts / logged-in hours."),
            "first_response_time": self.env._(
                "First agent reply − arrival, in the team's business hours."
            ),
            "resolution_time": self.env._(
                "Solved − arrival, in business hours, waiting on the customer excluded."
            ),
            "backlog": self.env._("Open tickets now."),
            "backlog_age": self.env._("Average age of the open tickets."),
            "reopen_rate": self.env._(
                "Solved tickets reopened at least once / solved tickets."
            ),
            "sla_compliance": self.env._(
                "SLA targets met / SLA targets settled in the period."
            ),
            "csat": self.env._("Survey answers scoring 4 or 5 of 5 / answers."),
            "nps": self.env._("% of 9-10 − % of 0-6 answers."),
            "ces": self.env._("Average effort score, 1 to 7 (7: very easy)."),
        }

    @api.model
    def _columns(self, codes):
        formulas = self._kpi_formulas()
        return [
            {
                "code": code,
                "label": self._kpi_label(code),
                "help": formulas.get(code, ""),
                "unit": kpi_tools.KPIS[code].unit,
                "better": kpi_tools.KPIS[code].better,
            }
            for code in codes
        ]

    @api.model
    def _dashboard_row(self, codes, values, targets):
        values = {code: values.get(code) for code in codes}
        targets = {code: targets.get(code) for code in codes}
        return {
            "values": values,
            "targets": targets,
            "status": {
                code: kpi_tools.status(code, values[code], targets[code])
                for code in codes
            },
        }

    @api.model
    def _figures(self, date_from, date_to, team_ids, agent_ids, groupbys=(None,)):
        """Interaction, presence, ticket and satisfaction KPIs:
        {groupby: {key: row}}."""
        sets = self._compute_sets(
            date_from, date_to, team_ids, agent_ids, groupbys=tuple(groupbys)
        )
        tickets = self._ticket_kpis(
            date_from,
            date_to,
            team_ids=team_ids,
            agent_ids=agent_ids,
            groupbys=tuple(groupbys),
        )
        result = {}
        for groupby in groupbys:
            rows = {row["key"]: row for row in sets[groupby]}
            for key, values in tickets[groupby].items():
                rows.setdefault(key, self._empty_row()).update(values)
            result[groupby] = rows
        return result

    @api.model
    def get_supervisor_dashboard(self, date_from, date_to, team_ids=None):
        """KPIs of the chosen teams over local days ``date_from``..``date_to``:
        the total, one row per team and one per agent, with targets."""
        teams = self._check_teams(team_ids)
        start, end = self._local_days_to_utc(date_from, date_to)
        codes = DASHBOARD_KPIS
        Agent = self.env["contact_center.agent"].sudo()
        agents = Agent.search(
            [
                ("team_ids", "in", teams.ids),
                ("company_id", "in", self.env.companies.ids),
            ]
        )
        targets = self._targets(teams.ids, agents.ids)

        days = (fields.Date.to_date(date_to) - fields.Date.to_date(date_from)).days + 1

        def targets_of(kind, record_id, fallback_teams=()):
            return self._resolve_targets(
                targets, codes, kind, record_id, fallback_teams, days
            )

        figures = self._figures(
            start, end, teams.ids, None, (None, "team_id", "agent_id")
        )
        total = figures[None].get(False, {})
        by_team, by_agent = figures["team_id"], figures["agent_id"]
        single_team = teams.ids if len(teams) == 1 else ()
        return {
            "date_from": fields.Date.to_string(fields.Date.to_date(date_from)),
            "date_to": fields.Date.to_string(fields.Date.to_date(date_to)),
            "teams": [{"id": t.id, "name": t.name} for t in self._visible_teams()],
            "team_ids": teams.ids,
            "columns": self._columns(codes),
            "total": self._dashboard_row(
                codes, total, targets_of("team", teams.id if single_team else 0)
            ),
            "teams_rows": [
                {
                    "id": team.id,
                    "name": team.name,
                    **self._dashboard_row(
                        codes, by_team.get(team.id, {}), targets_of("team", team.id)
                    ),
                }
                for team in teams
            ],
            "agents_rows": [
                {
                    "id": agent.id,
                    "name": agent.name,
                    **self._dashboard_row(
                        codes,
                        by_agent.get(agent.id, {}),
                        targets_of("agent", agent.id, (agent.team_ids & teams).ids),
                    ),
                }
                for agent in agents
            ],
        }

    @api.model
    def _resolve_targets(self, targets, codes, kind, record_id, fallback_teams, days):
        """{code: target} of one team or agent over ``days`` days, from
        :meth:`_targets`' dict: an agent without a target of their own is held
        to their teams' (``fallback_teams``, first found); counts of contacts
        (offered, handled...) are targets per day, the rest stand as set."""
        found = {}
        for code in codes:
            value = targets.get((code, kind, record_id))
            for team_id in fallback_teams:
                if value is None:
                    value = targets.get((code, "team", team_id))
            if value is not None and code in COUNTS:
                value *= days
            found[code] = value
        return found

    @api.model
    def get_my_performance(self):
        """The user's own KPIs today and this week (local time), against
        their targets and their teams' figures."""
        agent = self._my_agent()
        codes = AGENT_KPIS
        if not agent:
            return {"agent": None, "periods": [], "columns": self._columns(codes)}
        teams = agent.team_ids
        tz = self._user_tz()
        today = fields.Datetime.now().replace(tzinfo=pytz.utc).astimezone(tz).date()
        periods = [
            ("today", self.env._("Today"), today),
            ("week", self.env._("This Week"), today - timedelta(days=today.weekday())),
        ]
        targets = self._targets(teams.ids, agent.ids)
        # sudo: a head count of the agent's own teams, for their average
        members = (
            self.env["contact_center.agent"]
            .sudo()
            .search_count([("team_ids", "in", teams.ids)])
            if teams
            else 0
        )
        result = []
        for key, label, first_day in periods:
            days = (today - first_day).days + 1
            start, end = self._local_days_to_utc(first_day, today)
            mine = self._figures(start, end, None, agent.ids)[None].get(False, {})
            team = (
                self._figures(start, end, teams.ids, None)[None].get(False, {})
                if teams
                else {}
            )
            average = {code: team.get(code) for code in codes}
            for code in codes:
                if (
                    kpi_tools.KPIS[code].unit == kpi_tools.COUNT
                    and average[code] is not None
                ):
                    average[code] = average[code] / members if members else None
            result.append(
                {
                    "key": key,
                    "label": label,
                    **self._dashboard_row(
                        codes,
                        mine,
                        self._resolve_targets(
                            targets, codes, "agent", agent.id, teams.ids, days
                        ),
                    ),
                    "team_average": average,
                }
            )
        return {
            "agent": {"id": agent.id, "name": agent.name},
            "periods": result,
            "columns": self._columns(codes),
        }

    @api.model
    def action_drill_down(self, code, date_from, date_to, team_ids=None, agent_id=None):
        """The records behind a figure of the supervisor dashboard."""
        teams = self._check_teams(team_ids)
        start, end = self._local_days_to_utc(date_from, date_to)
        agent_ids = [agent_id] if agent_id else None
        if agent_id and not self.env["contact_center.agent"].sudo().search_count(
            [("id", "=", agent_id), ("team_ids", "in", teams.ids)]
        ):
            raise AccessError(
                self.env._("You may only read the figures of your teams' agents.")
            )
        label = self._kpi_label(code)
        if code in DRILL_DOWN_FIELDS:
            column = DRILL_DOWN_FIELDS[code]
            domain = [
                ("date", ">=", start),
                ("date", "<", end),
                ("team_id", "in", teams.ids),
            ]
            if agent_ids:
                domain.append(("agent_id", "in", agent_ids))
            if column.endswith("_count"):
                domain.append((column, "=", 1))
            else:
                domain.append((column, "!=", False))
            ids = self.env["contact_center.report.interaction"].search(domain).ids
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("%(kpi)s: interactions", kpi=label),
                "res_model": "contact_center.interaction",
                "views": [(False, "list"), (False, "form")],
                "domain": [("id", "in", ids)],
                "context": {"create": False},
            }
        if code in PRESENCE_KPIS:
            agents = (
                agent_ids
                or self.env["contact_center.agent"]
                .sudo()
                .search([("team_ids", "in", teams.ids)])
                .ids
            )
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("%(kpi)s: presence", kpi=label),
                "res_model": "contact_center.agent.presence",
                "views": [(False, "list"), (False, "pivot")],
                "domain": [
                    ("agent_id", "in", agents),
                    ("state", "in", LOGGED_IN_STATES),
                    ("start_at", "<", end),
                    "|",
                    ("end_at", "=", False),
                    ("end_at", ">", start),
                ],
                "context": {"create": False},
            }
        if code in SATISFACTION_KPIS:
            return self._cc_satisfaction_drill_down(code, start, end, teams, agent_ids)
        domain = [("team_id", "in", teams.ids)]
        if agent_ids:
            domain.append(("agent_id", "in", agent_ids))
        if code == "sla_compliance":
            model = "contact_center.ticket.sla"
            domain = [
                ("ticket_id.team_id", "in", teams.ids),
                ("status", "in", ("met", "breached")),
                ("deadline", ">=", start),
                ("deadline", "<", end),
            ]
        else:
            model = "contact_center.ticket"
            if code == "backlog" or code == "backlog_age":
                domain.append(("is_open", "=", True))
            else:
                domain += [("create_date", ">=", start), ("create_date", "<", end)]
        return {
            "type": "ir.actions.act_window",
            "name": label,
            "res_model": model,
            "views": [(False, "list"), (False, "form")],
            "domain": domain,
            "context": {"create": False},
        }
