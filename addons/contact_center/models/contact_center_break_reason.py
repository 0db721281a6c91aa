from odoo import fields, models


class ContactCenterBreakReason(models.Model):
    """Why an agent is on break (lunch, training, coaching...).

    Agents pick one when they go on break; supervisors when they put an agent
    on break. It is kept on the presence log, which the KPI reports read.
    """

    _name = "contact_center.break.reason"
    _description = "Break Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Stable code reports and integrations use (lunch, training...).",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to share it between companies."
    )

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "Each break reason code is used once per company.",
        ),
    ]
