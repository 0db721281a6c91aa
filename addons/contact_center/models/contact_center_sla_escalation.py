from odoo import api, fields, models

from .contact_center_range_mixin import POSITIVE


class ContactCenterSlaEscalation(models.Model):
    """One escalation level of an SLA policy.

    When a ticket has used ``threshold_percent`` of a target (in working
    time), the level notifies people, may open an activity for the
    supervisors, raise the priority and hand the ticket to another agent.
    """

    _name = "contact_center.sla.escalation"
    _description = "SLA Escalation Level"
    _inherit = ["contact_center.range.mixin"]
    _order = "policy_id, threshold_percent, id"
    _check_company_auto = True

    policy_id = fields.Many2one(
        "contact_center.sla.policy", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="policy_id.company_id", store=True, index=True, precompute=True
    )
    name = fields.Char(required=True, translate=True)
    threshold_percent = fields.Float(
        string="When (% of target used)",
        required=True,
        default=100.0,
        help="80 warns before the deadline, 100 at the deadline, 150 half a "
        "target after it.",
    )
    notify_assignee = fields.Boolean(default=True)
    notify_supervisors = fields.Boolean(string="Notify Team Supervisors")
    user_ids = fields.Many2many(
        "res.users",
        "contact_center_sla_escalation_user_rel",
        string="Also Notify",
        domain=[("share", "=", False)],
    )
    create_activity = fields.Boolean(
        string="Activity for Supervisors",
        help="Schedule a to-do for the team's supervisors on the ticket.",
    )
    raise_priority = fields.Boolean(help="Raise the ticket's priority one step.")
    reassign = fields.Selection(
        [
            ("no", "Never"),
            ("away", "If the assignee is away"),
            ("always", "Always"),
        ],
        string="Reassign",
        default="away",
        required=True,
        help="Hand the ticket to another free agent: when the assignee is "
        "offline or on break, or always (the assignee did not act in time).",
    )

    _cc_ranges = {"threshold_percent": POSITIVE}

    @api.onchange(*_cc_ranges)
    def _onchange_cc_ranges(self):
        return self._cc_range_warning()
