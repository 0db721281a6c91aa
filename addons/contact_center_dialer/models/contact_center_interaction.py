from odoo import api, models

# inbound calls that did not get through: the customer is called back
UNREACHED_STATES = ("abandoned", "missed")


class ContactCenterInteraction(models.Model):
    _inherit = "contact_center.interaction"

    @api.model_create_multi
    def create(self, vals_list):
        interactions = super().create(vals_list)
        interactions._cc_sync_callbacks()
        return interactions

    def write(self, vals):
        result = super().write(vals)
        if "state" in vals or "answered_at" in vals:
            self._cc_sync_callbacks()
        return result

    def _cc_sync_callbacks(self):
        """Queue a callback for inbound calls that did not get through, and
        close the open callbacks of callers who got through."""
        calls = self.filtered(
            lambda i: (
                i.channel == "phone"
                and i.direction == "inbound"
                and i.phone_e164
                and i.team_id
                and not i.is_transfer_leg
            )
        )
        if not calls:
            return
        missed = calls.filtered(lambda i: i.state in UNREACHED_STATES)
        reached = calls.filtered("answered_at")
        Contact = self.env["contact_center.campaign.contact"].sudo()
        if reached:
            Contact._cc_close_callbacks(reached)
        if missed:
            Contact._cc_queue_callbacks(missed)
