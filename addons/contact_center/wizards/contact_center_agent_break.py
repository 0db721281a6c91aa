from odoo import api, fields, models


class ContactCenterAgentBreak(models.TransientModel):
    """Put agents on break with a reason (supervisors, from the agents board)."""

    _name = "contact_center.agent.break"
    _description = "Put Agents on Break"

    agent_ids = fields.Many2many("contact_center.agent", string="Agents", required=True)
    break_reason_id = fields.Many2one(
        "contact_center.break.reason",
        string="Reason",
        domain="['|', ('company_id', '=', False), ('company_id', 'in', company_ids)]",
        help="Why the agents go on break; kept in the presence log.",
    )
    company_ids = fields.Many2many(
        "res.company", compute="_compute_company_ids", string="Agents' Companies"
    )

    @api.depends("agent_ids")
    def _compute_company_ids(self):
        for wizard in self:
            wizard.company_ids = wizard.agent_ids.company_id

    def action_confirm(self):
        self.ensure_one()
        # _set_presence checks that the user may change these agents' presence
        self.agent_ids._set_presence(
            "break", break_reason_id=self.break_reason_id.id or False
        )
        return {"type": "ir.actions.act_window_close"}
