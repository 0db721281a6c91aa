"""The invitation's links over real HTTP: one-click scores, the opt-out, and
the survey completed through Odoo's own survey controller."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

from lxml import html

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import SurveyCase

CSRF_RE = re.compile(r'name="csrf_token"\s+value="([^"]+)"')


class SurveyHttpCase(HttpCase, SurveyCase):
    """A customer's call about a ticket, the ticket solved five minutes ago
    and the CSAT invitation the cron sent for it, at the real time: the
    server checks the link's deadline against its own clock."""

    def _invitation(self, **rule_vals):
        now = fields.Datetime.now().replace(microsecond=0)
        self.rule = self._rule(**rule_vals)
        self.ticket = self._ticket()
        self.call = self._call(
            ended_at=now - timedelta(minutes=30),
            res_model="contact_center.ticket",
            res_id=self.ticket.id,
        )
        self._solve(self.ticket, now - timedelta(minutes=5))
        # the database may hold other (demo) invitations
        invitation = self._run(now).filtered(lambda i: i.cc_rule_id == self.rule)
        self.assertEqual(len(invitation), 1)
        self.assertEqual(invitation.cc_state, "sent")
        return invitation

    def _score_url(self, invitation, value):
        return f"/contact_center/survey/{invitation.access_token}/score/{value}"

    def _opt_out_url(self, invitation):
        return f"/contact_center/survey/{invitation.access_token}/opt-out"

    def _survey_page_url(self, invitation):
        return f"/survey/{invitation.survey_id.access_token}/{invitation.access_token}"

    def _json(self, route, invitation, params):
        """A JSON-RPC call to the survey controller, as the survey page's
        script makes it."""
        survey = invitation.survey_id
        response = self.opener.post(
            self.base_url()
            + f"/survey/{route}/{survey.access_token}/{invitation.access_token}",
            json={"jsonrpc": "2.0", "method": "call", "params": params},
        )
        self.assertEqual(response.status_code, 200)
        payload = response.json()
        self.assertNotIn("error", payload, payload)
        return payload["result"]

    def _submit(self, invitation, score, comment):
        """Submit the one page of the survey, as the browser does."""
        page = self.url_open(self._survey_page_url(invitation))
        self.assertEqual(page.status_code, 200)
        csrf_token = CSRF_RE.search(page.text).group(1)
        survey = invitation.survey_id
        result = self._json(
            "submit",
            invitation,
            {
                "csrf_token": csrf_token,
                "token": invitation.access_token,
                str(survey.cc_score_question_id.id): str(score),
                str(self._comment_question(survey).id): comment,
            },
        )
        _correct_answers, content = result
        self.assertNotIn("error", content, content)
        self.env.invalidate_all()
        return content

    def _take_survey(self, invitation, score, comment):
        """Open the personal link, start, answer and submit, as the
        customer's browser does through Odoo's survey controller."""
        link = urlsplit(invitation.cc_survey_url)
        start = self.url_open(f"{link.path}?{link.query}")
        self.assertEqual(start.status_code, 200)
        self.assertIn(self._survey_page_url(invitation), start.url)
        self._json("begin", invitation, {})
        return self._submit(invitation, score, comment)

    def _scale_values(self, invitation):
        return invitation.user_input_line_ids.filtered(
            lambda line: line.answer_type == "scale"
        ).mapped("value_scale")

    def _comment_question(self, survey):
        return survey.question_ids.filtered(lambda q: q.question_type == "text_box")

    def _checked_scores(self, page, question):
        tree = html.fromstring(page.content)
        return [
            node.get("value")
            for node in tree.xpath(
                f"//input[@type='radio'][@name='{question.id}'][@checked]"
            )
        ]


@tagged("post_install", "-at_install")
class TestScoreLink(SurveyHttpCase):
    def test_score_link_records_the_score_on_invitation_interaction_ticket_and_customer(
        self,
    ):
        invitation = self._invitation()
        response = self.url_open(self._score_url(invitation, 4), allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        self.assertEqual(invitation.cc_score, 4)
        self.assertEqual(invitation.cc_state, "answered")
        self.assertEqual(self.call.cc_survey_score, 4)
        self.assertEqual(self.call.cc_survey_input_id, invitation)
        self.assertEqual(self.ticket.cc_survey_score, 4)
        self.assertEqual(self.ticket.cc_survey_score_kind, "csat")
        self.assertEqual(self.customer.cc_survey_last_score, 4)
        self.assertEqual(
            invitation.user_input_line_ids.mapped("value_scale"),
            [4],
            "the score question is answered, so the survey page shows it",
        )

    def test_score_link_redirects_to_the_survey_with_the_score_chosen(self):
        invitation = self._invitation()
        response = self.url_open(self._score_url(invitation, 4), allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith(self._survey_page_url(invitation)),
            response.headers["Location"],
        )
        page = self.url_open(response.headers["Location"])
        self.assertEqual(page.status_code, 200)
        question = self.survey_csat.cc_score_question_id
        self.assertEqual(self._checked_scores(page, question), ["4"])
        self.assertIn(
            f'name="{self._comment_question(self.survey_csat).id}"', page.text
        )

    def test_second_click_before_submitting_changes_the_score(self):
        invitation = self._invitation()
        self.url_open(self._score_url(invitation, 2), allow_redirects=False)
        self.url_open(self._score_url(invitation, 5), allow_redirects=False)
        self.env.invalidate_all()
        self.assertEqual(invitation.cc_score, 5)
        self.assertEqual(invitation.user_input_line_ids.mapped("value_scale"), [5])

    def test_score_link_of_a_completed_survey_changes_nothing(self):
        invitation = self._invitation()
        self.url_open(self._score_url(invitation, 4), allow_redirects=False)
        self._submit(invitation, 4, "Quick and kind")
        self.assertEqual(invitation.state, "done")
        response = self.url_open(self._score_url(invitation, 1), allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank you, we already have your answer", response.text)
        self.env.invalidate_all()
        self.assertEqual(invitation.cc_score, 4)
        self.assertEqual(self.ticket.cc_survey_score, 4)
        self.assertEqual(self._scale_values(invitation), [4])
        self.assertFalse(invitation.cc_low_activity_id)

    def test_expired_link_shows_the_expired_page_and_records_nothing(self):
        invitation = self._invitation()
        invitation.deadline = fields.Datetime.now() - timedelta(minutes=1)
        response = self.url_open(self._score_url(invitation, 4), allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        self.assertIn("survey expired", response.text)
        self.env.invalidate_all()
        self.assertFalse(invitation.cc_score)
        self.assertEqual(invitation.cc_state, "sent")
        self.assertEqual(invitation.state, "new")
        self.assertFalse(invitation.user_input_line_ids)
        self.assertFalse(self.ticket.cc_survey_score)

    def test_cancelled_invitation_records_nothing(self):
        invitation = self._invitation()
        invitation.cc_state = "cancelled"
        response = self.url_open(self._score_url(invitation, 4), allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        self.assertIn("survey expired", response.text)
        self.env.invalidate_all()
        self.assertFalse(invitation.cc_score)
        self.assertFalse(invitation.user_input_line_ids)

    def test_score_above_the_scale_is_refused_and_records_nothing(self):
        invitation = self._invitation()
        response = self.url_open(self._score_url(invitation, 6), allow_redirects=False)
        self.assertEqual(response.status_code, 400)
        self.assertIn("This score is not on the scale", response.text)
        self.assertIn("from 1 to 5", response.text)
        self.env.invalidate_all()
        self.assertFalse(invitation.cc_score)
        self.assertEqual(invitation.state, "new")
        self.assertFalse(invitation.user_input_line_ids)

    def test_score_below_the_scale_is_refused(self):
        invitation = self._invitation()
        response = self.url_open(self._score_url(invitation, 0), allow_redirects=False)
        self.assertEqual(response.status_code, 400)
        self.env.invalidate_all()
        self.assertFalse(invitation.user_input_line_ids)

    def test_unknown_token_is_not_found(self):
        self._invitation()
        response = self.url_open(
            "/contact_center/survey/not-a-token/score/4", allow_redirects=False
        )
        self.assertEqual(response.status_code, 404)

    def test_answer_token_of_a_plain_survey_answer_is_not_found(self):
        answer = self.survey_csat._create_answer(
            partner=self.customer, check_attempts=False
        )
        response = self.url_open(self._score_url(answer, 4), allow_redirects=False)
        self.assertEqual(response.status_code, 404)
        self.env.invalidate_all()
        self.assertFalse(answer.user_input_line_ids)


@tagged("post_install", "-at_install")
class TestOptOut(SurveyHttpCase):
    def _planned_invitation(self):
        return self.survey_csat._create_answer(
            partner=self.customer,
            check_attempts=False,
            cc_state="planned",
            cc_send_at=fields.Datetime.now() + timedelta(hours=2),
        )

    def test_opt_out_link_asks_to_confirm_and_changes_nothing(self):
        invitation = self._invitation()
        planned = self._planned_invitation()
        response = self.url_open(self._opt_out_url(invitation))
        self.assertEqual(response.status_code, 200)
        tree = html.fromstring(response.content)
        [form] = tree.xpath("//form[@method='post']")
        self.assertEqual(form.get("action"), self._opt_out_url(invitation))
        self.assertTrue(form.xpath(".//input[@name='csrf_token']"))
        self.env.invalidate_all()
        self.assertFalse(self.customer.cc_survey_opt_out)
        self.assertEqual(planned.cc_state, "planned")

    def test_confirmed_opt_out_opts_out_and_cancels_planned_invitations(self):
        invitation = self._invitation()
        planned = self._planned_invitation()
        page = self.url_open(self._opt_out_url(invitation))
        csrf_token = CSRF_RE.search(page.text).group(1)
        response = self.url_open(
            self._opt_out_url(invitation), data={"csrf_token": csrf_token}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("You will not receive surveys any more", response.text)
        self.env.invalidate_all()
        self.assertTrue(self.customer.cc_survey_opt_out)
        self.assertEqual(planned.cc_state, "cancelled")
        self.assertEqual(invitation.cc_state, "sent", "sent already: left as it is")

    def test_opt_out_without_csrf_token_is_refused(self):
        invitation = self._invitation()
        response = self.opener.post(
            self.base_url() + self._opt_out_url(invitation), data={"confirm": "1"}
        )
        self.assertEqual(response.status_code, 400)
        self.env.invalidate_all()
        self.assertFalse(self.customer.cc_survey_opt_out)

    def test_opt_out_with_an_unknown_token_is_not_found(self):
        self._invitation()
        response = self.url_open("/contact_center/survey/not-a-token/opt-out")
        self.assertEqual(response.status_code, 404)


@tagged("post_install", "-at_install")
class TestSurveyCompleted(SurveyHttpCase):
    def test_completed_survey_writes_score_and_comment_everywhere(self):
        invitation = self._invitation()
        self._take_survey(invitation, 4, "Quick and kind")
        self.assertEqual(invitation.state, "done")
        self.assertEqual(invitation.cc_agent_id, self.agent)
        self.assertEqual(invitation.cc_score, 4)
        self.assertEqual(invitation.cc_comment, "Quick and kind")
        self.assertEqual(invitation.cc_state, "answered")
        self.assertEqual(self.call.cc_survey_score, 4)
        self.assertEqual(self.call.cc_survey_comment, "Quick and kind")
        self.assertEqual(self.ticket.cc_survey_score, 4)
        self.assertEqual(self.ticket.cc_survey_comment, "Quick and kind")
        self.assertEqual(self.ticket.cc_survey_input_id, invitation)
        self.assertEqual(self.customer.cc_survey_last_score, 4)
        self.assertEqual(self.customer.cc_survey_last_score_kind, "csat")
        self.assertFalse(invitation.cc_is_low)
        # and on the agent who handled the contact: 1 CSAT answer, satisfied
        self.assertEqual(self.agent.cc_survey_last_score, 4)
        self.assertEqual(self.agent.cc_csat_count, 1)
        self.assertEqual(self.agent.cc_csat, 100.0)

    def test_score_link_then_survey_keeps_the_score_and_adds_the_comment(self):
        invitation = self._invitation()
        self.url_open(self._score_url(invitation, 2), allow_redirects=False)
        self._submit(invitation, 2, "Slow answer")
        self.assertEqual(invitation.state, "done")
        self.assertEqual(invitation.cc_score, 2)
        self.assertEqual(invitation.cc_comment, "Slow answer")
        self.assertEqual(self.ticket.cc_survey_comment, "Slow answer")

    def test_score_changed_on_the_survey_page_replaces_the_clicked_one(self):
        invitation = self._invitation()
        self.url_open(self._score_url(invitation, 2), allow_redirects=False)
        self._submit(invitation, 5, "Actually fine")
        self.assertEqual(invitation.cc_score, 5)
        self.assertEqual(self.ticket.cc_survey_score, 5)
        self.assertEqual(self._scale_values(invitation), [5])

    def test_low_score_alerts_the_supervisor_and_reopens_the_ticket(self):
        invitation = self._invitation(reopen_ticket=True)
        self._take_survey(invitation, 1, "Nobody called me back")
        self.assertTrue(invitation.cc_is_low)
        activity = invitation.cc_low_activity_id
        self.assertEqual(activity.user_id, self.user_supervisor)
        self.assertEqual(activity.res_model, "contact_center.ticket")
        self.assertEqual(activity.res_id, self.ticket.id)
        self.assertIn("Nobody called me back", activity.note)
        self.assertFalse(self.ticket.is_solved)
        self.assertEqual(self.ticket.reopen_count, 1)

    def test_low_score_leaves_the_ticket_solved_without_the_rules_say_so(self):
        invitation = self._invitation()
        self._take_survey(invitation, 1, "Nobody called me back")
        self.assertTrue(invitation.cc_low_activity_id)
        self.assertTrue(self.ticket.is_solved)

    def test_thank_you_page_shows_the_incentive_code(self):
        invitation = self._invitation(
            incentive="generated", incentive_text="10% off your next order"
        )
        code = invitation.cc_incentive_code
        self.assertTrue(code)
        content = self._take_survey(invitation, 5, "")
        tree = html.fromstring(content["survey_content"])
        self.assertEqual(
            [
                n.text_content()
                for n in tree.xpath(
                    "//*[@class and contains(@class, 'o_cc_survey_incentive_code')]"
                )
            ],
            [code],
        )
        self.assertIn("10% off your next order", content["survey_content"])
        page = self.url_open(self._survey_page_url(invitation))
        self.assertIn(code, page.text)

    def test_thank_you_page_without_incentive_shows_no_code_block(self):
        invitation = self._invitation()
        content = self._take_survey(invitation, 5, "")
        self.assertIn("Thank you!", content["survey_content"])
        self.assertNotIn("o_cc_survey_incentive", content["survey_content"])

    def test_thank_you_page_offers_no_second_answer(self):
        invitation = self._invitation()
        content = self._take_survey(invitation, 5, "")
        self.assertIn("Thank you!", content["survey_content"])
        self.assertNotIn("/survey/retry/", content["survey_content"])

    def test_nps_zero_counts_as_an_answer_everywhere(self):
        # 0 is the worst NPS answer, not a missing one
        invitation = self._invitation(survey_id=self.survey_nps.id)
        response = self.url_open(self._score_url(invitation, 0), allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self._submit(invitation, 0, "Never again")
        self.assertEqual(invitation.state, "done")
        self.assertEqual(invitation.cc_state, "answered")
        self.assertEqual(invitation.cc_score_kind, "nps")
        self.assertEqual(self._scale_values(invitation), [0])
        self.assertTrue(invitation.cc_is_low)
        self.assertEqual(invitation.cc_comment, "Never again")
        self.assertEqual(self.ticket.cc_survey_score_kind, "nps")
        self.assertEqual(self.customer.cc_survey_last_score_kind, "nps")
        self.assertEqual(self.customer.cc_survey_last_score, 0)
        # one detractor: NPS -100 on the report, the agent and the team
        row = self.env["contact_center.report.survey"].browse(invitation.id)
        self.assertEqual(row.answered_count, 1)
        self.assertEqual(row.nps_value, -100.0)
        self.assertEqual(self.agent.cc_nps_count, 1)
        self.assertEqual(self.agent.cc_nps, -100.0)
        self.assertEqual(self.agent.cc_survey_last_score_kind, "nps")
        self.assertEqual(self.team.cc_nps, -100.0)
        self.assertIn(
            "NPS 0/10",
            self.env["contact_center.interaction"]._cc_customer_satisfaction(
                self.customer
            ),
        )
