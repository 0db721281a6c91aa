from odoo import api, fields, models
from odoo.exceptions import ValidationError

WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]


class ContactCenterCampaignWindow(models.Model):
    """When a campaign may call, in each contact's own local time."""

    _name = "contact_center.campaign.window"
    _description = "Campaign Calling Window"
    # the hand-out caches each campaign's windows per process: a change
    # clears the cache, as for the telephony settings
    _inherit = ["contact_center.telephony.cache.mixin"]
    _order = "campaign_id, weekday, hour_from"

    campaign_id = fields.Many2one(
        "contact_center.campaign", required=True, ondelete="cascade", index=True
    )
    weekday = fields.Selection(WEEKDAYS, required=True)
    hour_from = fields.Float(
        string="From", required=True, help="Local time of the contact, e.g. 9.0."
    )
    hour_to = fields.Float(
        string="To",
        required=True,
        help="Local time of the contact; a call may start until just before it.",
    )

    @api.constrains("hour_from", "hour_to")
    def _check_hours(self):
        for window in self:
            if not 0 <= window.hour_from < window.hour_to <= 24:
                raise ValidationError(
                    self.env._(
                        "%(campaign)s: a calling window runs from 0:00 to 24:00 "
                        "and ends after it starts.",
                        campaign=window.campaign_id.display_name,
                    )
                )
