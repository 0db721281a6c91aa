from odoo import models


class ContactCenterCampaignContact(models.Model):
    _inherit = "contact_center.campaign.contact"

    def _log_attempt(self, outcome, note):
        call = super()._log_attempt(outcome, note)
        # sudo: the system's record of the call, as in super()
        call.sudo().campaign_outcome = outcome
        return call
