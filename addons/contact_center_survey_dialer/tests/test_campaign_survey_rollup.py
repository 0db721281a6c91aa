"""The satisfaction figures of a campaign, from the invitations sent after
its calls. Every expected figure is worked out by hand in comments."""

from datetime import timedelta

from odoo.tests import tagged

from odoo.addons.contact_center_survey.tests.common import NOW

from .common import CampaignSurveyCase

SENT = NOW - timedelta(hours=2)


@tagged("post_install", "-at_install")
class TestCampaignSurveyRollup(CampaignSurveyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls._rule(name="Campaign surveys", trigger="campaign_outcome")
        # Renewals: 7 invitations sent, 1 planned, 1 cancelled; 5 answered:
        # NPS 10, 9, 0; CSAT 5, 2; CES 6 unanswered, 1 NPS unanswered
        cls.answered = cls.Input
        for kind, score in [
            ("nps", 10),
            ("nps", 9),
            ("nps", 0),
            ("csat", 5),
            ("csat", 2),
        ]:
            invitation = cls._invitation(cls.campaign, kind)
            invitation._cc_record_score(score)
            cls.answered |= invitation
        cls._invitation(cls.campaign, "ces")
        cls._invitation(cls.campaign, "nps")
        cls._invitation(cls.campaign, "nps", cc_state="planned", cc_sent_at=False)
        cls._invitation(cls.campaign, "nps", cc_state="cancelled")
        # Win-back: 1 invitation, answered CES 6
        cls._invitation(cls.campaign2, "ces")._cc_record_score(6)

    @classmethod
    def _invitation(cls, campaign, kind, **vals):
        survey = {"nps": cls.survey_nps, "csat": cls.survey_csat, "ces": cls.survey_ces}
        values = {
            "survey_id": survey[kind].id,
            "partner_id": cls.customer.id,
            "email": cls.customer.email,
            "cc_rule_id": cls.rule.id,
            "cc_campaign_id": campaign.id,
            "cc_team_id": cls.team.id,
            "cc_agent_id": cls.agent.id,
            "cc_channel": "email",
            "cc_state": "sent",
            "cc_score_kind": kind,
            "cc_send_at": SENT,
            "cc_sent_at": SENT,
        }
        values.update(vals)
        return cls.Input.with_context(tracking_disable=True).create(values)

    def test_campaign_counts_its_sent_invitations_and_responses(self):
        # 7 sent (the planned and the cancelled ones left out), 5 answered
        self.assertEqual(self.campaign.cc_survey_invitation_count, 7)
        self.assertEqual(self.campaign.cc_survey_response_count, 5)
        # 5 / 7 = 71.43 %, shown to one decimal
        self.assertEqual(self.campaign.cc_survey_response_rate, 71.4)

    def test_campaign_nps_counts_a_zero_as_a_detractor(self):
        # 10 and 9 promoters, 0 a detractor: (2 - 1) / 3 = 33.33, to one
        # decimal
        self.assertEqual(self.campaign.cc_nps_count, 3)
        self.assertEqual(self.campaign.cc_nps, 33.3)

    def test_campaign_csat_is_the_share_of_satisfied_answers(self):
        # 5 satisfied, 2 not: 1 / 2 = 50 %
        self.assertEqual(self.campaign.cc_csat_count, 2)
        self.assertAlmostEqual(self.campaign.cc_csat, 50.0)

    def test_campaign_ces_reads_only_its_own_answers(self):
        # Renewals' CES invitation is unanswered; Win-back's says 6
        self.assertEqual(self.campaign.cc_ces_count, 0)
        self.assertEqual(self.campaign2.cc_ces_count, 1)
        self.assertAlmostEqual(self.campaign2.cc_ces, 6.0)
        self.assertEqual(self.campaign2.cc_survey_invitation_count, 1)
        self.assertAlmostEqual(self.campaign2.cc_survey_response_rate, 100.0)

    def test_campaigns_are_computed_together_in_one_query(self):
        campaigns = self.campaign | self.campaign2
        self.env.flush_all()
        campaigns.invalidate_recordset()
        with self.assertQueryCount(1):
            self.assertEqual(campaigns.mapped("cc_survey_invitation_count"), [7, 1])
            self.assertEqual(campaigns.mapped("cc_csat_count"), [2, 0])

    def test_survey_button_opens_the_campaign_responses(self):
        action = self.campaign.action_cc_view_survey_responses()
        self.assertEqual(self.Input.search(action["domain"]), self.answered)
