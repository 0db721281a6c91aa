from odoo import fields, models

NUMBER_KINDS = [
    ("mobile", "Mobile"),
    ("work", "Work"),
    ("home", "Home"),
    ("phone", "Phone"),
]


class ContactCenterCampaignNumber(models.Model):
    """One number of a campaign contact, called in sequence order.

    A wrong number or a number on the do-not-call list is archived with the
    reason; the contact's other numbers stay callable.
    """

    _name = "contact_center.campaign.number"
    _description = "Campaign Contact Number"
    _order = "contact_id, sequence, id"

    contact_id = fields.Many2one(
        "contact_center.campaign.contact",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    kind = fields.Selection(NUMBER_KINDS, default="phone", required=True)
    phone = fields.Char(string="As Imported")
    phone_e164 = fields.Char(string="Number (E.164)", required=True, index=True)
    active = fields.Boolean(default=True)
    archive_reason = fields.Char()
    has_consent = fields.Boolean(
        string="Consent",
        help="The person agreed to be called on this number by an automatic "
        "dialer (needed for mobiles when the campaign requires it).",
    )
    attempts = fields.Integer(readonly=True)
    attempts_today = fields.Integer(readonly=True)
    last_attempt_at = fields.Datetime(readonly=True)

    def _count_attempt(self, now):
        """One more call to this number: in all, and today (the count of
        today starts again on the first call of a new day)."""
        self.ensure_one()
        same_day = self.last_attempt_at and self.last_attempt_at.date() == now.date()
        self.write(
            {
                "attempts": self.attempts + 1,
                "attempts_today": (self.attempts_today if same_day else 0) + 1,
                "last_attempt_at": now,
            }
        )
