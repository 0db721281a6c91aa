from urllib.parse import urlsplit

from odoo.tests import tagged

from odoo.addons.contact_center.tests.common import TourCase

from .test_survey_controller import SurveyHttpCase


@tagged("post_install", "-at_install")
class TestSurveyTour(TourCase, SurveyHttpCase):
    """A customer answers in Chromium, not logged in; the team's supervisor
    sees the score on the agent's form."""

    def _path(self, url):
        link = urlsplit(url)
        return f"{link.path}?{link.query}" if link.query else link.path

    def test_customer_answers_and_the_supervisor_sees_the_score(self):
        invitation = self._invitation(
            incentive="generated",
            incentive_prefix="THANKS",
            incentive_text="10% off your next order",
        )
        self.assertTrue(invitation.cc_incentive_code.startswith("THANKS"))
        self.start_tour(
            self._path(invitation.cc_survey_url), "contact_center_survey_customer_tour"
        )
        self.env.invalidate_all()
        self.assertEqual(invitation.state, "done")
        self.assertEqual(invitation.cc_score, 4)
        self.assertEqual(invitation.cc_comment, "Quick and kind")
        self.assertEqual(self.ticket.cc_survey_score, 4)
        self.assertEqual(invitation.cc_agent_id, self.agent)
        self.start_tour(
            f"/odoo/action-contact_center.contact_center_agent_action/{self.agent.id}",
            "contact_center_survey_supervisor_tour",
            login="cc_supervisor",
        )

    def test_score_clicked_in_the_email_is_chosen_on_the_survey_page(self):
        invitation = self._invitation()
        self.start_tour(
            self._score_url(invitation, 2), "contact_center_survey_one_click_tour"
        )
        self.env.invalidate_all()
        self.assertEqual(invitation.state, "done")
        self.assertEqual(invitation.cc_score, 2)
        self.assertEqual(invitation.cc_comment, "Nobody called me back")
        self.assertTrue(invitation.cc_low_activity_id)
