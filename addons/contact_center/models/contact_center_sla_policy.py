from odoo import api, fields, models

from .contact_center_range_mixin import NOT_NEGATIVE, POSITIVE_PERCENT
from .contact_center_ticket import PRIORITIES

TARGET_KINDS = [
    ("first_response", "First Response"),
    ("next_response", "Next Response"),
    ("resolution", "Resolution"),
]


class ContactCenterSlaPolicy(models.Model):
    """Service-level targets in working hours for the tickets a policy matches."""

    _name = "contact_center.sla.policy"
    _description = "SLA Policy"
    _inherit = ["contact_center.range.mixin"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    description = fields.Text(translate=True)
    # which tickets: every criterion filled in must hold
    team_ids = fields.Many2many(
        "contact_center.team",
        "contact_center_sla_policy_team_rel",
        string="Teams",
        check_company=True,
    )
    min_priority = fields.Selection(
        PRIORITIES, string="Minimum Priority", default="0", required=True
    )
    tag_ids = fields.Many2many(
        "contact_center.ticket.tag", "contact_center_sla_policy_tag_rel", string="Tags"
    )
    tier_ids = fields.Many2many(
        "contact_center.customer.tier",
        "contact_center_sla_policy_tier_rel",
        string="Customer Tiers",
    )
    reason_ids = fields.Many2many(
        "contact_center.contact.reason",
        "contact_center_sla_policy_reason_rel",
        string="Contact Reasons",
        check_company=True,
    )
    # targets, in working hours; 0 means no target
    first_response_hours = fields.Float(string="First Response (h)")
    next_response_hours = fields.Float(string="Next Response (h)")
    resolution_hours = fields.Float(string="Resolution (h)")
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        check_company=True,
        help="Leave empty to count in the ticket team's business hours.",
    )
    pause_stage_ids = fields.Many2many(
        "contact_center.ticket.stage",
        "contact_center_sla_policy_pause_stage_rel",
        string="Pausing Stages",
        default=lambda self: self.env["contact_center.ticket.stage"].search(
            [("is_waiting_customer", "=", True)]
        ),
        help="The clock stops while the ticket is in one of these stages.",
    )
    escalation_ids = fields.One2many(
        "contact_center.sla.escalation",
        "policy_id",
        string="Escalation Levels",
        default=lambda self: self._default_escalation_ids(),
    )
    at_risk_percent = fields.Float(
        string="At Risk at (%)",
        default=80.0,
        help="Share of the target used after which the target is at risk.",
    )

    _cc_ranges = {
        "first_response_hours": NOT_NEGATIVE,
        "next_response_hours": NOT_NEGATIVE,
        "resolution_hours": NOT_NEGATIVE,
        "at_risk_percent": POSITIVE_PERCENT,
    }

    @api.onchange(*_cc_ranges)
    def _onchange_cc_ranges(self):
        return self._cc_range_warning()

    def _default_escalation_ids(self):
        """At risk: warn the assignee and reassign if away; breached: tell the
        supervisors, open an activity for them and raise the priority."""
        return [
            fields.Command.create(
                {
                    "name": self.env._("At risk"),
                    "threshold_percent": 80.0,
                    "notify_assignee": True,
                    "reassign": "away",
                }
            ),
            fields.Command.create(
                {
                    "name": self.env._("Breached"),
                    "threshold_percent": 100.0,
                    "notify_assignee": True,
                    "notify_supervisors": True,
                    "create_activity": True,
                    "raise_priority": True,
                    "reassign": "no",
                }
            ),
        ]

    def _matches(self, ticket):
        """True when the policy applies to ``ticket``."""
        self.ensure_one()
        return (
            (not self.team_ids or ticket.team_id in self.team_ids)
            and ticket.priority >= self.min_priority
            and (not self.tag_ids or self.tag_ids & ticket.tag_ids)
            and (not self.tier_ids or ticket.tier_id in self.tier_ids)
            and (not self.reason_ids or ticket.reason_id in self.reason_ids)
            and self.company_id == ticket.company_id
        )

    def _target_seconds(self, kind):
        self.ensure_one()
        return int(round((self[f"{kind}_hours"] or 0.0) * 3600))

    @api.model
    def _calendar_for(self, ticket):
        return (
            self.calendar_id
            or ticket.team_id.resource_calendar_id
            or ticket.company_id.resource_calendar_id
        )
