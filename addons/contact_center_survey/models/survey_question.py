from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.survey_rules import SCORE_KINDS


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    cc_is_score = fields.Boolean(
        string="Score Question",
        help="This scale question gives the survey's contact-center score "
        "(CSAT, NPS or CES); one per survey.",
    )

    @api.constrains("cc_is_score", "question_type", "scale_min", "scale_max")
    def _check_cc_score_scale(self):
        labels = dict(
            self.env["survey.survey"]
            ._fields["cc_score_kind"]
            ._description_selection(self.env)
        )
        for question in self.filtered("cc_is_score"):
            survey = question.survey_id
            if question.question_type != "scale":
                raise ValidationError(
                    self.env._(
                        "%(question)s: only a scale question can give the score.",
                        question=question.title,
                    )
                )
            if len(survey.question_and_page_ids.filtered("cc_is_score")) > 1:
                raise ValidationError(
                    self.env._(
                        "%(survey)s has one score question: unmark the other one.",
                        survey=survey.display_name,
                    )
                )
            if not survey.cc_score_kind:
                continue
            kind = SCORE_KINDS[survey.cc_score_kind]
            if (question.scale_min, question.scale_max) != (kind.low, kind.high):
                raise ValidationError(
                    self.env._(
                        "%(survey)s: a %(kind)s score goes from %(low)s to %(high)s; "
                        "the question's scale goes from %(min)s to %(max)s.",
                        survey=survey.display_name,
                        kind=labels[survey.cc_score_kind],
                        low=kind.low,
                        high=kind.high,
                        min=question.scale_min,
                        max=question.scale_max,
                    )
                )
