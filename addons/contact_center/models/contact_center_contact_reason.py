from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ContactCenterContactReason(models.Model):
    _name = "contact_center.contact.reason"
    _description = "Contact Reason"
    _inherit = ["contact_center.telephony.cache.mixin"]
    _order = "complete_name"
    _parent_store = True
    _rec_name = "complete_name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    complete_name = fields.Char(
        compute="_compute_complete_name", store=True, recursive=True
    )
    parent_id = fields.Many2one(
        "contact_center.contact.reason",
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("contact_center.contact.reason", "parent_id")
    code = fields.Char()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to share it between companies."
    )

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for reason in self:
            if reason.parent_id:
                reason.complete_name = (
                    f"{reason.parent_id.complete_name} / {reason.name}"
                )
            else:
                reason.complete_name = reason.name

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(
                self.env._("A contact reason cannot be its own parent.")
            )
