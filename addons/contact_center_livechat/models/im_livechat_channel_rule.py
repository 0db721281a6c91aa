from odoo import fields, models


class ImLivechatChannelRule(models.Model):
    _inherit = "im_livechat.channel.rule"

    cc_skill_ids = fields.Many2many(
        "contact_center.skill",
        string="Required Skills",
        help="Chats started from the pages of this rule go to an agent with "
        "each of these skills (channels with a contact center team only).",
    )
