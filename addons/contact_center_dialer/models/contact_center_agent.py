from odoo import fields, models


class ContactCenterAgent(models.Model):
    _inherit = "contact_center.agent"

    dialer_campaign_id = fields.Many2one(
        "contact_center.campaign",
        string="Working on Campaign",
        readonly=True,
        index="btree_not_null",
        help="The campaign the agent joined in the dialer panel: automatic "
        "dialing counts them as logged in while they are not offline.",
    )
    is_blended = fields.Boolean(
        string="Blended",
        help="Takes outbound campaign calls only while the team's inbound "
        "queue is at or below its blend threshold.",
    )
