from odoo import fields, models

from odoo.addons.contact_center_dialer.models.contact_center_campaign_contact import (
    OUTCOMES,
)


class ContactCenterInteraction(models.Model):
    _inherit = "contact_center.interaction"

    # the dialer keeps only the contact's last outcome; a survey is about
    # one call, so each campaign call keeps its own
    campaign_outcome = fields.Selection(
        OUTCOMES,
        readonly=True,
        copy=False,
        help="How the campaign call ended, as the agent (or the dialer) recorded it.",
    )
