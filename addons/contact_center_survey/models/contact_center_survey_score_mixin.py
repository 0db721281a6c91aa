from odoo import fields, models

from .survey_survey import SCORE_KIND_LABELS


class ContactCenterSurveyScoreMixin(models.AbstractModel):
    """The survey answer a contact (an interaction, a ticket) received."""

    _name = "contact_center.survey.score.mixin"
    _description = "Contact Center Survey Score"

    cc_survey_input_id = fields.Many2one(
        "survey.user_input",
        string="Survey Response",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    cc_survey_score = fields.Integer(
        string="Survey Score", readonly=True, copy=False, aggregator="avg"
    )
    cc_survey_score_kind = fields.Selection(
        SCORE_KIND_LABELS, string="Survey Score Kind", readonly=True, copy=False
    )
    cc_survey_comment = fields.Text(string="Survey Comment", readonly=True, copy=False)
