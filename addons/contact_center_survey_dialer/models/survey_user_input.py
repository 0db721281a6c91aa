from odoo import fields, models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    cc_campaign_id = fields.Many2one(
        "contact_center.campaign",
        string="Campaign",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The outbound campaign whose call the survey asks about.",
    )
