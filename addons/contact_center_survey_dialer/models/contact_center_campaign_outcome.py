from odoo import api, models


class ContactCenterCampaignOutcome(models.Model):
    _inherit = "contact_center.campaign.outcome"
    # survey rules pick outcome lines by name
    _rec_names_search = ["label", "campaign_id.name"]

    @api.depends("label", "campaign_id.name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = self.env._(
                "%(outcome)s (%(campaign)s)",
                outcome=line.label or "",
                campaign=line.campaign_id.name or "",
            )
