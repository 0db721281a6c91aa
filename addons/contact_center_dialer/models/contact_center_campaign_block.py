from odoo import fields, models

BLOCK_REASONS = [
    ("window", "Outside the calling window"),
    ("dnc", "On the do-not-call list"),
    ("consent", "Mobile without consent"),
    ("no_agent", "No agent logged in (calls hung up)"),
]


class ContactCenterCampaignBlock(models.Model):
    """A call the dialer did not make, and why: the compliance record of
    the calling windows and the do-not-call list, checked at the moment of
    dialing. Rows are only inserted, so the hand-out never waits on them."""

    _name = "contact_center.campaign.block"
    _description = "Call Blocked at Dialing"
    _order = "blocked_at desc, id desc"
    _log_access = False

    campaign_id = fields.Many2one(
        "contact_center.campaign", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="campaign_id.company_id", store=True)
    contact_id = fields.Many2one(
        "contact_center.campaign.contact", required=True, ondelete="cascade"
    )
    number_id = fields.Many2one("contact_center.campaign.number", ondelete="set null")
    reason = fields.Selection(BLOCK_REASONS, required=True)
    blocked_at = fields.Datetime(required=True)
    local_time = fields.Char(
        string="Contact's Local Time",
        help="The contact's own time when the call was held back.",
    )
