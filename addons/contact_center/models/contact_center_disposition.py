from odoo import fields, models


class ContactCenterDisposition(models.Model):
    _name = "contact_center.disposition"
    _description = "Interaction Disposition"
    _inherit = ["contact_center.telephony.cache.mixin"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Stable code used by integrations (PBX, dialer) to set this disposition.",
    )
    sequence = fields.Integer(default=10)
    outcome = fields.Selection(
        [("positive", "Positive"), ("neutral", "Neutral"), ("negative", "Negative")],
        required=True,
        default="neutral",
    )
    marks_resolved = fields.Boolean(
        help="Interactions closed with this disposition are flagged as resolved."
    )
    channel = fields.Selection(
        selection=lambda self: (
            self.env["contact_center.interaction"]._fields["channel"].selection
        ),
        help="Leave empty to offer this disposition on every channel.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to share it between companies."
    )

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A disposition with this code already exists.",
        ),
    ]
