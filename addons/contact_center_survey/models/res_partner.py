from odoo import fields, models

from .survey_survey import SCORE_KIND_LABELS


class ResPartner(models.Model):
    _inherit = "res.partner"

    cc_survey_opt_out = fields.Boolean(
        string="No Satisfaction Surveys",
        help="The customer asked not to receive satisfaction surveys: no "
        "rule invites them.",
    )
    cc_survey_last_score = fields.Integer(
        string="Last Survey Score", readonly=True, copy=False
    )
    cc_survey_last_score_kind = fields.Selection(
        SCORE_KIND_LABELS, string="Last Survey Kind", readonly=True, copy=False
    )
    cc_survey_last_at = fields.Datetime(
        string="Last Survey Answer", readonly=True, copy=False
    )
