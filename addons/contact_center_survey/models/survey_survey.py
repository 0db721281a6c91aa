from odoo import api, fields, models
from odoo.exceptions import ValidationError

SCORE_KIND_LABELS = [
    ("csat", "CSAT (1-5)"),
    ("nps", "NPS (0-10)"),
    ("ces", "CES (1-7)"),
]


class SurveySurvey(models.Model):
    _inherit = "survey.survey"

    cc_score_kind = fields.Selection(
        SCORE_KIND_LABELS,
        string="Contact Center Score",
        help="The satisfaction score this survey measures after a contact: "
        "the answer to its score question is stored on the interaction, the "
        "agent and the customer.",
    )
    cc_score_question_id = fields.Many2one(
        "survey.question",
        string="Score Question",
        compute="_compute_cc_score_question_id",
        store=True,
        help="The scale question marked as the score; the other questions "
        "(a comment, a reason) are kept with it.",
    )

    @api.depends("question_and_page_ids.cc_is_score")
    def _compute_cc_score_question_id(self):
        for survey in self:
            scores = survey.question_and_page_ids.filtered("cc_is_score")
            survey.cc_score_question_id = scores[:1]

    @api.constrains("cc_score_kind")
    def _check_cc_score_kind(self):
        for survey in self.filtered("cc_score_kind"):
            questions = survey.question_and_page_ids.filtered(lambda q: not q.is_page)
            if questions and not survey.cc_score_question_id:
                raise ValidationError(
                    self.env._(
                        "%(survey)s measures a score: mark the scale question "
                        "that gives it (Score Question, on the question).",
                        survey=survey.display_name,
                    )
                )
            survey.cc_score_question_id._check_cc_score_scale()
