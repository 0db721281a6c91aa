from datetime import date

from odoo import api, fields, models

from odoo.addons.contact_center.tools import kpi as kpi_tools

# KPIs the ticket report computes; the others come from the KPI engine
TICKET_KPIS = (
    "first_response_time",
    "resolution_time",
    "reopen_rate",
    "sla_compliance",
)
# a goal without a start date counts from this day
EPOCH = date(2000, 1, 1)


class ContactCenterKpi(models.AbstractModel):
    _inherit = "contact_center.kpi"

    @api.model
    def _gamification_goal_value(self, goal, code):
        """The KPI ``code`` of a gamification goal's user over the goal's period.

        Goal definitions in "python" mode call it (``result =
        env['contact_center.kpi']._gamification_goal_value(object, 'aht')``):
        the figure is the one the dashboards show, for the contacts and
        tickets of the agents of ``goal.user_id`` between the goal's start and
        end dates (local days of that user, both included; no end date: up to
        today). Without data (no agent, no contact in the period) the goal
        keeps its current value: no contacts is neither a good nor a bad
        handle time.
        """
        if code not in kpi_tools.KPIS:
            raise ValueError(f"unknown contact center KPI {code!r}")
        user = goal.user_id
        # sudo: the goal's user may be any user; only their own agent ids
        # are read, to restrict the figures to their own contacts
        agents = (
            self.env["contact_center.agent"]
            .sudo()
            .with_context(active_test=False)
            .search([("user_id", "=", user.id)])
        )
        if not agents:
            return goal.current
        # computed as the goal's user: their companies and time zone
        kpi = self.with_user(user).with_context(
            allowed_company_ids=user.company_ids.ids
        )
        date_from, date_to = kpi._local_days_to_utc(
            goal.start_date or EPOCH,
            goal.end_date or fields.Date.context_today(kpi),
        )
        if code in TICKET_KPIS:
            rows = (
                self.env["contact_center.report.ticket"]
                .with_user(user)
                .with_context(allowed_company_ids=user.company_ids.ids)
                ._ticket_kpis(date_from, date_to, agent_ids=agents.ids)
            )
        else:
            rows = kpi._compute(date_from, date_to, agent_ids=agents.ids)
        value = rows[0].get(code) if rows else None
        return goal.current if value is None else round(value, 2)
