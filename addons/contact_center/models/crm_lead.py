from odoo import models


class CrmLead(models.Model):
    _inherit = "crm.lead"

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
