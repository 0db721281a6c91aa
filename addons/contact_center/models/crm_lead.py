from odoo import models


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "contact_center.click.to.dial.mixin"]

    def action_cc_view_interactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "contact_center.contact_center_interaction_action"
        )
        action["domain"] = [
            "|",
            "&",
            ("res_model", "=", "crm.lead"),
            ("res_id", "=", self.id),
            ("partner_id", "=", self.partner_id.id or 0),
        ]
        return action

    def _cc_dial_partner(self):
        return self.partner_id

    def _cc_dial_country(self):
        return self.country_id or super()._cc_dial_country()
