"""The Campaign call outcome trigger: which campaign calls a rule surveys,
one invitation per call whatever the rules, the campaign on the invitation."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from odoo.addons.contact_center_survey.tests.common import NOW

from ..hooks import post_init_hook
from .common import CampaignSurveyCase


@tagged("post_install", "-at_install")
class TestCampaignOutcomeTrigger(CampaignSurveyCase):
    def test_finished_call_with_a_chosen_outcome_is_surveyed(self):
        self._campaign_rule(
            campaign_ids=[Command.set(self.campaign.ids)],
            campaign_outcome_ids=[
                Command.set(self._outcome_line(self.campaign, "sale").ids)
            ],
        )
        call = self._dialer_call(self._contact(self.campaign), "sale")
        self.assertEqual((call.state, call.campaign_outcome), ("done", "sale"))
        invitations = self._run()
        self.assertEqual(len(invitations), 1)
        self.assertEqual(invitations.cc_interaction_id, call)
        self.assertEqual(invitations.cc_trigger_key, f"interaction:{call.id}")
        self.assertEqual(invitations.partner_id, self.customer)
        self.assertEqual(invitations.cc_agent_id, self.agent)

    def test_call_with_another_outcome_is_not_surveyed(self):
        self._campaign_rule(
            campaign_outcome_ids=[
                Command.set(self._outcome_line(self.campaign, "sale").ids)
            ],
        )
        self._dialer_call(self._contact(self.campaign), "not_interested")
        self.assertFalse(self._run())

    def test_call_of_another_campaign_is_not_surveyed(self):
        self._campaign_rule(campaign_ids=[Command.set(self.campaign.ids)])
        self._dialer_call(self._contact(self.campaign2), "sale")
        self.assertFalse(self._run())

    def test_outcome_chosen_on_one_campaign_counts_in_every_campaign_watched(self):
        # no campaign on the rule: Sale, picked on Renewals, means a sale in
        # any campaign
        self._campaign_rule(
            campaign_outcome_ids=[
                Command.set(self._outcome_line(self.campaign, "sale").ids)
            ],
        )
        call = self._dialer_call(self._contact(self.campaign2), "sale")
        self.assertEqual(self._run().cc_interaction_id, call)

    def test_each_call_is_judged_by_its_own_outcome(self):
        # a callback first, a sale on the call back: the contact's last
        # outcome is Sale, the first call's stays Callback
        self._campaign_rule(
            campaign_outcome_ids=[
                Command.set(self._outcome_line(self.campaign, "callback").ids)
            ],
        )
        contact = self._contact(self.campaign)
        first = self._dialer_call(
            contact,
            "callback",
            at=NOW - timedelta(minutes=40),
            callback_at=NOW - timedelta(minutes=20),
        )
        second = self._dialer_call(contact, "sale")
        self.assertEqual(contact.last_outcome, "sale")
        self.assertEqual(
            (first.campaign_outcome, second.campaign_outcome), ("callback", "sale")
        )
        self.assertEqual(self._run().cc_interaction_id, first)

    def test_call_dialed_by_hand_from_the_campaign_is_surveyed(self):
        # preview without a PBX: the agent dials, the attempt's interaction
        # is created when the outcome is recorded
        self._campaign_rule(campaign_ids=[Command.set(self.campaign.ids)])
        contact = self._contact(self.campaign)
        with freeze_time(NOW - timedelta(minutes=8)):
            self.campaign._take_next_contact(self.agent)
        with freeze_time(NOW - timedelta(minutes=5)):
            contact._record_outcome("interested")
        call = self.env["contact_center.interaction"].search(
            [("res_model", "=", contact._name), ("res_id", "=", contact.id)]
        )
        self.assertEqual((call.is_dialer_call, call.state), (False, "done"))
        invitation = self._run()
        self.assertEqual(invitation.cc_interaction_id, call)
        self.assertEqual(invitation.cc_campaign_id, self.campaign)

    def test_call_without_a_customer_is_not_surveyed(self):
        self._campaign_rule()
        contact = self._contact(self.campaign, partner=self.env["res.partner"])
        call = self._dialer_call(contact, "sale")
        self.assertEqual(call.state, "done")
        self.assertFalse(self._run())

    def test_call_of_a_team_the_rule_does_not_watch_is_not_surveyed(self):
        self._campaign_rule(team_ids=[Command.set(self.other_team.ids)])
        self._dialer_call(self._contact(self.campaign), "sale")
        self.assertFalse(self._run())

    def test_call_shorter_than_the_rule_minimum_is_not_surveyed(self):
        self._campaign_rule(min_duration_seconds=60)
        # answered at 09:54:10, ended at 09:54:40: 30 s of talk
        self._dialer_call(self._contact(self.campaign), "sale", talk=30)
        self.assertFalse(self._run())

    def test_call_gets_one_invitation_when_a_call_ended_rule_also_matches(self):
        campaign_rule = self._campaign_rule(sequence=10)
        call_rule = self._rule(
            name="CSAT after calls",
            trigger="call_ended",
            survey_id=self.survey_csat.id,
            sequence=20,
        )
        call = self._dialer_call(self._contact(self.campaign), "sale")
        invitations = self._run()
        self.assertEqual(len(invitations), 1)
        self.assertEqual(invitations.cc_rule_id, campaign_rule)
        # a later run of either rule (the overlap re-reads the call) adds none
        call_rule.scanned_until = False
        campaign_rule.scanned_until = False
        self.assertEqual(self._run(NOW + timedelta(minutes=1)), invitations)
        self.assertEqual(invitations.cc_interaction_id, call)

    def test_campaign_rule_does_not_survey_a_call_the_call_ended_rule_took(self):
        call_rule = self._rule(
            name="CSAT after calls",
            trigger="call_ended",
            survey_id=self.survey_csat.id,
            sequence=10,
        )
        self._campaign_rule(sequence=20)
        self._dialer_call(self._contact(self.campaign), "sale")
        invitations = self._run()
        self.assertEqual(len(invitations), 1)
        self.assertEqual(invitations.cc_rule_id, call_rule)

    def test_invitation_of_a_call_ended_rule_names_the_campaign(self):
        self._rule(
            name="CSAT after calls",
            trigger="call_ended",
            survey_id=self.survey_csat.id,
        )
        self._dialer_call(self._contact(self.campaign2), "sale")
        self.assertEqual(self._run().cc_campaign_id, self.campaign2)

    def test_invitation_of_an_ordinary_call_names_no_campaign(self):
        self._rule(
            name="CSAT after calls",
            trigger="call_ended",
            survey_id=self.survey_csat.id,
        )
        self._call()
        invitation = self._run()
        self.assertEqual(len(invitation), 1)
        self.assertFalse(invitation.cc_campaign_id)

    def test_satisfaction_report_row_carries_the_campaign(self):
        self._campaign_rule()
        self._dialer_call(self._contact(self.campaign), "sale")
        invitation = self._run()
        self.assertTrue(invitation.cc_sent_at)
        row = self.env["contact_center.report.survey"].search(
            [("user_input_id", "=", invitation.id)]
        )
        self.assertEqual(row.campaign_id, self.campaign)

    def test_install_gives_the_last_call_of_each_contact_its_outcome(self):
        contact = self._contact(self.campaign)
        older = self._dialer_call(
            contact,
            "callback",
            at=NOW - timedelta(minutes=40),
            callback_at=NOW - timedelta(minutes=20),
        )
        latest = self._dialer_call(contact, "sale")
        # as before this addon: no outcome on the calls
        (older | latest).campaign_outcome = False
        post_init_hook(self.env)
        (older | latest).invalidate_recordset(["campaign_outcome"])
        self.assertFalse(older.campaign_outcome)
        self.assertEqual(latest.campaign_outcome, "sale")
