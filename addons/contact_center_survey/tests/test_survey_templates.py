"""The CSAT, NPS and CES surveys shipped as data, and marking the score
question of a survey of one's own."""

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSurveyTemplates(TransactionCase):
    def test_three_templates_ship_with_their_score_question(self):
        expected = {
            "survey_csat": ("csat", 1, 5),
            "survey_nps": ("nps", 0, 10),
            "survey_ces": ("ces", 1, 7),
        }
        for xmlid, (kind, low, high) in expected.items():
            with self.subTest(survey=xmlid):
                survey = self.env.ref(f"contact_center_survey.{xmlid}")
                question = survey.cc_score_question_id
                self.assertEqual(survey.cc_score_kind, kind)
                self.assertEqual(question.survey_id, survey)
                self.assertEqual(question.question_type, "scale")
                self.assertEqual((question.scale_min, question.scale_max), (low, high))
                self.assertTrue(question.constr_mandatory)
                # one more question for the customer's own words
                comment = survey.question_ids - question
                self.assertEqual(comment.mapped("question_type"), ["text_box"])
                self.assertEqual(survey.access_mode, "token")

    def test_a_score_question_must_fit_the_scale_of_its_score(self):
        csat = self.env.ref("contact_center_survey.survey_csat")
        with self.assertRaisesRegex(ValidationError, "goes from 0 to 10"):
            csat.cc_score_kind = "nps"

    def test_only_one_scale_question_gives_the_score(self):
        csat = self.env.ref("contact_center_survey.survey_csat")
        comment = self.env.ref("contact_center_survey.survey_csat_comment")
        with self.assertRaisesRegex(ValidationError, "only a scale question"):
            comment.cc_is_score = True
        second = self.env["survey.question"].create(
            {
                "survey_id": csat.id,
                "title": "And our website?",
                "question_type": "scale",
                "scale_min": 1,
                "scale_max": 5,
            }
        )
        with self.assertRaisesRegex(ValidationError, "one score question"):
            second.cc_is_score = True

    def test_a_survey_of_ones_own_can_measure_a_score(self):
        survey = self.env["survey.survey"].create(
            {
                "title": "After your call",
                "question_and_page_ids": [
                    Command.create(
                        {"title": "Would you recommend us?", "question_type": "scale"}
                    )
                ],
            }
        )
        question = survey.question_ids
        self.assertEqual((question.scale_min, question.scale_max), (0, 10))
        question.cc_is_score = True
        survey.cc_score_kind = "nps"
        self.assertEqual(survey.cc_score_question_id, question)

    def test_a_score_needs_its_question(self):
        survey = self.env["survey.survey"].create(
            {
                "title": "Untitled",
                "question_and_page_ids": [
                    Command.create({"title": "How was it?", "question_type": "scale"})
                ],
            }
        )
        with self.assertRaisesRegex(ValidationError, "mark the scale question"):
            survey.cc_score_kind = "nps"
