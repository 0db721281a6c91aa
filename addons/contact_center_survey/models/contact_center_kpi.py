from odoo import api, models
from odoo.tools import SQL

# the engine's groupings (contact_center.kpi GROUPABLE) -> report column
GROUP_COLUMNS = {
    "team_id": "team_id",
    "agent_id": "agent_id",
    "channel": "contact_channel",
    "direction": "direction",
}
# satisfaction KPI -> report column whose average it is
SATISFACTION_COLUMNS = {
    "csat": "csat_satisfied",
    "nps": "nps_value",
    "ces": "ces_score",
}
# shown next to CSAT on the supervisor dashboard once the surveys are in
DASHBOARD_EXTRA_KPIS = ("nps", "ces")


class ContactCenterKpi(models.AbstractModel):
    _inherit = "contact_center.kpi"

    @api.model
    def _cc_satisfaction_kpis(
        self, date_from, date_to, team_ids, agent_ids, channel, direction, groupby
    ):
        """{group key: {"csat": %, "nps": score, "ces": score}} of the answers
        to the contacts that ended in ``[date_from, date_to)``.

        One grouped query over ``contact_center.report.survey``: ``channel``
        is the contact's channel, ``direction`` the direction of the
        interaction the survey asks about (an invitation about a ticket has
        none, so it counts in no direction). Keys are ids (team, agent),
        selection values (channel, direction), False for an empty one and for
        the total. Only groups with answers are returned; a KPI without
        answers of its kind is None, never 0. Like the engine's other
        private methods, no record rule applies: callers restrict the teams
        and agents to those the user may see.
        """
        if groupby is not None and groupby not in GROUP_COLUMNS:
            raise ValueError(f"cannot group satisfaction KPIs by {groupby!r}")
        Report = self.env["contact_center.report.survey"]
        conditions = [
            SQL("r.answered_count = 1"),
            SQL("r.ended_at >= %s AND r.ended_at < %s", date_from, date_to),
            SQL("r.company_id = ANY(%s)", self.env.companies.ids),
        ]
        if team_ids is not None:
            conditions.append(SQL("r.team_id = ANY(%s)", list(team_ids)))
        if agent_ids is not None:
            conditions.append(SQL("r.agent_id = ANY(%s)", list(agent_ids)))
        if channel:
            conditions.append(SQL("r.contact_channel = %s", channel))
        if direction:
            conditions.append(SQL("r.direction = %s", direction))
        # column names come from GROUP_COLUMNS and SATISFACTION_COLUMNS,
        # constants; every value is a query parameter
        key = SQL.identifier("r", GROUP_COLUMNS[groupby]) if groupby else SQL("FALSE")
        averages = SQL(", ").join(
            SQL("AVG(%s)", SQL.identifier("r", column))
            for column in SATISFACTION_COLUMNS.values()
        )
        # no sudo needed: a private engine reading the report's query
        # directly, record rules left to its callers; the SQL carries the
        # report's dependencies, flushed before it runs
        rows = self.env.execute_query(
            SQL(
                "SELECT %s, %s FROM %s r WHERE %s GROUP BY 1",
                key,
                averages,
                Report._table_sql,
                SQL(" AND ").join(conditions),
            )
        )
        codes = list(SATISFACTION_COLUMNS)
        return {
            (group if group is not None else False): {
                code: float(value) if value is not None else None
                for code, value in zip(codes, values, strict=True)
            }
            for group, *values in rows
        }

    @api.model
    def _cc_satisfaction_drill_down(self, code, start, end, teams, agent_ids):
        """The survey answers behind a satisfaction figure: the answers of
        that kind to the contacts of ``teams`` (and ``agent_ids``) that
        ended in ``[start, end)``, as the report's answer list."""
        domain = [
            ("answered_count", "=", 1),
            ("score_kind", "=", code),
            ("ended_at", ">=", start),
            ("ended_at", "<", end),
            ("team_id", "in", teams.ids),
        ]
        if agent_ids:
            domain.append(("agent_id", "in", list(agent_ids)))
        list_view = self.env.ref(
            "contact_center_survey.contact_center_report_survey_view_list"
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("%(kpi)s: survey answers", kpi=self._kpi_label(code)),
            "res_model": "contact_center.report.survey",
            "views": [(list_view.id, "list"), (False, "pivot")],
            "domain": domain,
            "context": {"create": False},
        }

    # ------------------------------------------------------------------
    # Supervisor dashboard: NPS and CES next to CSAT
    # ------------------------------------------------------------------
    @api.model
    def get_supervisor_dashboard(self, date_from, date_to, team_ids=None):
        """The core dashboard, with NPS and CES columns after CSAT (their
        figures are in the engine's rows already: no extra query)."""
        return super(
            ContactCenterKpi, self.with_context(cc_satisfaction_columns=True)
        ).get_supervisor_dashboard(date_from, date_to, team_ids=team_ids)

    @api.model
    def _cc_with_satisfaction(self, codes):
        """``codes`` with NPS and CES after CSAT, on the supervisor dashboard."""
        if not self.env.context.get("cc_satisfaction_columns") or "csat" not in codes:
            return codes
        codes = [code for code in codes if code not in DASHBOARD_EXTRA_KPIS]
        at = codes.index("csat") + 1
        return tuple(codes[:at] + list(DASHBOARD_EXTRA_KPIS) + codes[at:])

    @api.model
    def _columns(self, codes):
        return super()._columns(self._cc_with_satisfaction(codes))

    @api.model
    def _dashboard_row(self, codes, values, targets):
        return super()._dashboard_row(
            self._cc_with_satisfaction(codes), values, targets
        )

    @api.model
    def _resolve_targets(self, targets, codes, kind, record_id, fallback_teams, days):
        return super()._resolve_targets(
            targets,
            self._cc_with_satisfaction(codes),
            kind,
            record_id,
            fallback_teams,
            days,
        )
