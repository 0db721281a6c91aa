from odoo import api, fields, models

from .ir_rule import VISIBILITY_RULES


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cc_ticket_visibility = fields.Selection(
        [
            ("own", "Their own tickets"),
            ("teams", "Their teams' tickets"),
            ("all", "All tickets"),
        ],
        string="Agents See",
        default="teams",
        help="Which tickets agents can open. Followers always see the tickets "
        "they follow; supervisors see their teams' tickets in any case.",
    )
    cc_acknowledgement_max_per_hour = fields.Integer(
        string="Acknowledgements per Sender and Hour",
        config_parameter="contact_center.acknowledgement_max_per_hour",
        default=3,
    )

    @api.model
    def get_values(self):
        values = super().get_values()
        for key, xmlid in VISIBILITY_RULES.items():
            rule = self.env.ref(xmlid, raise_if_not_found=False)
            if rule and rule.sudo().active:
                values["cc_ticket_visibility"] = key
                break
        return values

    def set_values(self):
        result = super().set_values()
        self.env["ir.rule"].sudo()._cc_set_ticket_visibility(self.cc_ticket_visibility)
        return result
