from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import kpi as kpi_tools

# the KPIs a target can be set on, with the labels dashboards show
KPI_SELECTION = [(code, kpi.label) for code, kpi in kpi_tools.KPIS.items()]
UNIT_HINTS = {
    kpi_tools.COUNT: "",
    kpi_tools.SECONDS: "s",
    kpi_tools.PERCENT: "%",
    kpi_tools.PER_HOUR: "/h",
}


class ContactCenterKpiTarget(models.Model):
    """A target for one KPI of one team or one agent.

    Dashboards and the wallboard colour a figure green when it meets its
    target, amber when it misses it by 10% of the target or less, red
    beyond. An agent without a target of their own is held to their team's.
    """

    _name = "contact_center.kpi.target"
    _description = "Contact Center KPI Target"
    _order = "team_id, agent_id, kpi"
    _check_company_auto = True

    kpi = fields.Selection(KPI_SELECTION, string="KPI", required=True)
    team_id = fields.Many2one(
        "contact_center.team", index=True, ondelete="cascade", check_company=True
    )
    agent_id = fields.Many2one(
        "contact_center.agent", index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    value = fields.Float(
        string="Target",
        required=True,
        help="Seconds for times, % for rates; counts of contacts (offered, "
        "handled...) per day, multiplied by the days of the period shown.",
    )
    better = fields.Selection(
        [("higher", "Higher is better"), ("lower", "Lower is better")],
        compute="_compute_kpi_info",
    )
    unit = fields.Char(compute="_compute_kpi_info")

    _sql_constraints = [
        (
            "team_or_agent",
            "CHECK((team_id IS NULL) != (agent_id IS NULL))",
            "A target is set for a team or for an agent, not both.",
        ),
        (
            "kpi_team_uniq",
            "UNIQUE(kpi, team_id)",
            "This team already has a target for this KPI.",
        ),
        (
            "kpi_agent_uniq",
            "UNIQUE(kpi, agent_id)",
            "This agent already has a target for this KPI.",
        ),
    ]

    @api.depends("team_id", "agent_id")
    def _compute_company_id(self):
        for target in self:
            target.company_id = (
                target.team_id.company_id
                or target.agent_id.company_id
                or target.company_id
                or self.env.company
            )

    @api.depends("kpi")
    def _compute_kpi_info(self):
        for target in self:
            info = kpi_tools.KPIS.get(target.kpi)
            target.better = info.better if info else False
            target.unit = UNIT_HINTS.get(info.unit, "") if info else False

    @api.depends("kpi", "team_id", "agent_id", "value")
    def _compute_display_name(self):
        labels = dict(self._fields["kpi"]._description_selection(self.env))
        for target in self:
            who = target.agent_id.name or target.team_id.name or ""
            kpi = labels.get(target.kpi, "")
            unit = target.unit or ""
            target.display_name = f"{who}: {kpi} {target.value:g}{unit}"

    @api.constrains("kpi", "value")
    def _check_value(self):
        for target in self:
            info = kpi_tools.KPIS.get(target.kpi)
            if not info:
                continue
            if target.kpi == "nps":
                if not -100 <= target.value <= 100:
                    raise ValidationError(
                        self.env._("An NPS target lies between -100 and 100.")
                    )
            elif target.value < 0:
                raise ValidationError(
                    self.env._(
                        "%(target)s: a target cannot be negative.",
                        target=target.display_name,
                    )
                )
            elif info.unit == kpi_tools.PERCENT and target.value > 100:
                raise ValidationError(
                    self.env._(
                        "%(target)s: a rate target cannot exceed 100%%.",
                        target=target.display_name,
                    )
                )
