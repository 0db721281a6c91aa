"""Which contacts get a survey invitation, when, by which channel, once."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import NOW, SurveyCase


@tagged("post_install", "-at_install")
class TestTriggers(SurveyCase):
    def test_solved_ticket_invites_its_customer_with_agent_and_team(self):
        self._rule()
        ticket = self._solve(self._ticket())
        invitation = self._run()
        self.assertEqual(len(invitation), 1)
        self.assertEqual(invitation.cc_ticket_id, ticket)
        self.assertEqual(invitation.partner_id, self.customer)
        self.assertEqual(invitation.cc_agent_id, self.agent)
        self.assertEqual(invitation.cc_team_id, self.team)
        self.assertEqual(invitation.cc_state, "sent")
        self.assertEqual(invitation.cc_sent_at, NOW)
        self.assertEqual(invitation.survey_id, self.survey_csat)

    def test_reassigning_the_ticket_later_keeps_the_agent_of_the_invitation(self):
        self._rule()
        ticket = self._solve(self._ticket())
        invitation = self._run()
        ticket.agent_id = self.agent_supervisor
        self.assertEqual(invitation.cc_agent_id, self.agent)
        self.assertEqual(invitation.cc_team_id, self.team)

    def test_open_ticket_is_not_surveyed(self):
        self._rule()
        self._ticket()
        self.assertFalse(self._run())

    def test_ticket_closed_by_odoobot_is_surveyed_only_when_the_rule_says_so(self):
        rule = self._rule()
        ticket = self._ticket()
        with freeze_time(NOW - timedelta(minutes=5)):
            # a cron or an automation: OdooBot writes
            ticket.with_user(self.env.ref("base.user_root")).write(
                {"stage_id": self.stage_solved.id}
            )
        self.assertTrue(ticket.cc_solved_automatically)
        self.assertFalse(self._run())
        rule.write({"include_automatic_close": True, "scanned_until": False})
        self.assertEqual(self._run().cc_ticket_id, ticket)

    def test_ticket_solved_reopened_and_solved_again_is_surveyed_again(self):
        self._rule()
        ticket = self._solve(self._ticket(), NOW - timedelta(days=3))
        first = self._run(NOW - timedelta(days=3) + timedelta(minutes=1))
        self.assertEqual(len(first), 1)
        with freeze_time(NOW - timedelta(days=1)):
            ticket.write({"stage_id": self.stage_open.id, "reopen_count": 1})
        self._solve(ticket, NOW - timedelta(minutes=5))
        both = self._run()
        self.assertEqual(len(both), 2)
        self.assertEqual(both.cc_ticket_id, ticket)

    def test_solved_again_within_the_throttle_is_not_surveyed_again(self):
        self._rule(min_days_between=7)
        ticket = self._solve(self._ticket(), NOW - timedelta(days=3))
        self._run(NOW - timedelta(days=3) + timedelta(minutes=1))
        with freeze_time(NOW - timedelta(days=1)):
            ticket.write({"stage_id": self.stage_open.id, "reopen_count": 1})
        self._solve(ticket, NOW - timedelta(minutes=5))
        self.assertEqual(len(self._run()), 1)

    def test_call_ended_with_a_disposition_in_the_set(self):
        resolved = self.env.ref("contact_center.disposition_resolved")
        complaint = self.env.ref("contact_center.disposition_complaint")
        self._rule(trigger="call_ended", disposition_ids=[Command.set(resolved.ids)])
        kept = self._call(disposition_id=resolved.id)
        self._call(disposition_id=complaint.id)
        self._call()  # wrapped up without a disposition
        invitation = self._run()
        self.assertEqual(invitation.cc_interaction_id, kept)
        self.assertEqual(invitation.cc_contact_channel, "phone")

    def test_call_still_in_wrap_up_waits_until_it_is_done(self):
        self._rule(trigger="call_ended")
        call = self._call(state="wrap_up", wrap_up_ended_at=False)
        self.assertFalse(self._run())
        call.write({"state": "done", "wrap_up_ended_at": NOW + timedelta(minutes=2)})
        self.assertEqual(self._run(NOW + timedelta(minutes=3)).cc_interaction_id, call)

    def test_call_rule_of_one_team_ignores_the_other_team(self):
        self._rule(trigger="call_ended", team_ids=[Command.set(self.team.ids)])
        self._call(team_id=self.other_team.id, agent_id=self.agent2.id)
        self.assertFalse(self._run())

    def test_transferred_leg_is_not_surveyed_its_last_leg_is(self):
        self._rule(trigger="call_ended")
        self._call(is_transferred=True)
        last = self._call(agent_id=self.agent_supervisor.id)
        self.assertEqual(self._run().cc_interaction_id, last)

    def test_chat_closed(self):
        self._rule(trigger="chat_closed")
        chat = self._call(channel="chat")
        self._call()  # a phone call: not this rule's
        self.assertEqual(self._run().cc_interaction_id, chat)

    def test_ticket_channel_filter(self):
        self._rule(channel="phone")
        self._solve(self._ticket(channel="email"))
        self.assertFalse(self._run())

    def test_first_rule_wins_when_two_match_one_contact(self):
        self._rule(trigger="call_ended", name="NPS", survey_id=self.survey_nps.id)
        self._rule(trigger="call_ended", name="CSAT", sequence=20)
        self._call()
        invitation = self._run()
        self.assertEqual(len(invitation), 1)
        self.assertEqual(invitation.survey_id, self.survey_nps)
        self.assertEqual(invitation.cc_score_kind, "nps")

    def test_survey_without_score_cannot_be_used(self):
        survey = self.env["survey.survey"].create({"title": "Plain"})
        with self.assertRaises(ValidationError):
            self._rule(survey_id=survey.id)


@tagged("post_install", "-at_install")
class TestTiming(SurveyCase):
    def test_delay_holds_the_invitation(self):
        self._rule(trigger="call_ended", delay_minutes=30)
        call = self._call(ended_at=NOW - timedelta(minutes=5))
        self.assertFalse(self._run())
        invitation = self._run(NOW + timedelta(minutes=25))
        self.assertEqual(invitation.cc_interaction_id, call)
        self.assertEqual(invitation.cc_send_at, NOW + timedelta(minutes=25))
        self.assertEqual(invitation.cc_state, "sent")

    def test_quiet_hours_hold_until_morning_in_the_customers_time_zone(self):
        self._rule(trigger="call_ended", quiet_start=21.0, quiet_end=8.0)
        new_york = self.env["res.partner"].create(
            {
                "name": "Nina York",
                "email": "nina@example.com",
                "tz": "America/New_York",
            }
        )
        # 20:30 UTC on Monday 2 March: 21:30 in Brussels (UTC+1), quiet;
        # 15:30 in New York (UTC-5), not quiet
        ended = datetime(2026, 3, 2, 20, 30)
        brussels_call = self._call(ended_at=ended)
        new_york_call = self._call(ended_at=ended, partner_id=new_york.id)
        invitations = self._run(ended + timedelta(minutes=1))
        by_call = {i.cc_interaction_id: i for i in invitations}
        self.assertEqual(by_call[new_york_call].cc_state, "sent")
        held = by_call[brussels_call]
        self.assertEqual(held.cc_state, "planned")
        # 08:00 in Brussels on Tuesday is 07:00 UTC
        self.assertEqual(held.cc_send_at, datetime(2026, 3, 3, 7, 0))
        self._run(datetime(2026, 3, 3, 6, 59))
        self.assertEqual(held.cc_state, "planned")
        self._run(datetime(2026, 3, 3, 7, 0))
        self.assertEqual(held.cc_state, "sent")
        self.assertEqual(held.cc_sent_at, datetime(2026, 3, 3, 7, 0))

    def test_customer_without_time_zone_uses_the_rules(self):
        self._rule(
            trigger="call_ended",
            quiet_start=21.0,
            quiet_end=8.0,
            default_tz="America/New_York",
        )
        self.customer.tz = False
        # 03:00 UTC: 22:00 in New York the day before, quiet until 08:00
        # there (13:00 UTC)
        call = self._call(ended_at=datetime(2026, 3, 3, 3, 0))
        invitation = self._run(datetime(2026, 3, 3, 3, 1))
        self.assertEqual(invitation.cc_interaction_id, call)
        self.assertEqual(invitation.cc_send_at, datetime(2026, 3, 3, 13, 0))

    def test_quiet_hours_over_the_whole_day_are_refused(self):
        with self.assertRaises(ValidationError):
            self._rule(quiet_start=0.0, quiet_end=24.0)


@tagged("post_install", "-at_install")
class TestSampling(SurveyCase):
    def _customers_calls(self, count):
        partners = self.env["res.partner"].create(
            [
                {"name": f"Sample {n}", "email": f"sample{n}@example.com"}
                for n in range(count)
            ]
        )
        for partner in partners:
            self._call(partner_id=partner.id)
        return partners

    def test_same_seed_draws_the_same_sample(self):
        rule = self._rule(trigger="call_ended", sample_percent=50, sample_seed="s1")
        self._customers_calls(60)
        first = self._run()
        self.assertTrue(10 < len(first) < 50, len(first))
        keys = set(first.mapped("cc_trigger_key"))
        # the same draw by a fresh rule with the same seed
        first.unlink()
        rule.active = False
        self._rule(trigger="call_ended", sample_percent=50, sample_seed="s1")
        self.assertEqual(set(self._run().mapped("cc_trigger_key")), keys)

    def test_another_seed_draws_another_sample(self):
        rule = self._rule(trigger="call_ended", sample_percent=50, sample_seed="s1")
        self._customers_calls(60)
        keys = set(self._run().mapped("cc_trigger_key"))
        self.Input.search([]).filtered("cc_rule_id").unlink()
        rule.write({"sample_seed": "s2", "scanned_until": False})
        self.assertNotEqual(set(self._run().mapped("cc_trigger_key")), keys)

    def test_zero_percent_invites_nobody(self):
        self._rule(trigger="call_ended", sample_percent=0)
        self._customers_calls(5)
        self.assertFalse(self._run())


@tagged("post_install", "-at_install")
class TestThrottling(SurveyCase):
    def test_not_the_same_customer_twice_within_n_days(self):
        self._rule(trigger="call_ended", min_days_between=7)
        invited = []
        for day in (0, 3, 8):
            at = NOW + timedelta(days=day)
            call = self._call(ended_at=at - timedelta(minutes=5))
            if call in self._run(at).cc_interaction_id:
                invited.append(day)
        self.assertEqual(invited, [0, 8])

    def test_contact_found_a_day_late_is_not_surveyed(self):
        self._rule(trigger="call_ended")
        self._call(ended_at=NOW - timedelta(minutes=5))
        self._run(NOW - timedelta(minutes=10))
        # the cron was down for two days
        self.assertFalse(self._run(NOW + timedelta(days=2)))

    def test_at_most_m_per_month(self):
        self._rule(trigger="call_ended", max_per_month=2)
        invited = []
        for day in (0, 5, 10, 31):
            at = NOW + timedelta(days=day)
            call = self._call(ended_at=at - timedelta(minutes=5))
            if call in self._run(at).cc_interaction_id:
                invited.append(day)
        # day 10: two in the last 30 days already; day 31: day 0 dropped out
        self.assertEqual(invited, [0, 5, 31])

    def test_two_calls_in_one_run_give_one_invitation(self):
        self._rule(trigger="call_ended", min_days_between=1)
        first = self._call(ended_at=NOW - timedelta(minutes=9))
        self._call(ended_at=NOW - timedelta(minutes=4))
        invitation = self._run()
        self.assertEqual(invitation.cc_interaction_id, first)

    def test_throttle_counts_other_rules_invitations(self):
        self._rule(min_days_between=7)
        self._rule(trigger="call_ended", name="Calls", min_days_between=7)
        self._solve(self._ticket(), NOW - timedelta(minutes=9))
        self._call()
        self.assertEqual(len(self._run()), 1)


@tagged("post_install", "-at_install")
class TestExclusions(SurveyCase):
    def test_opted_out_customer_is_not_invited(self):
        self._rule(trigger="call_ended")
        self.customer.cc_survey_opt_out = True
        self._call()
        self.assertFalse(self._run())

    def test_blacklisted_email_is_not_invited(self):
        self._rule(trigger="call_ended")
        self.env["mail.blacklist"].create({"email": "ada@example.com"})
        self._call()
        self.assertFalse(self._run())

    def test_internal_user_is_not_invited(self):
        self._rule(trigger="call_ended")
        self._call(partner_id=self.user_employee.partner_id.id)
        self.assertFalse(self._run())

    def test_short_call_is_not_invited(self):
        self._rule(trigger="call_ended", min_duration_seconds=30)
        self._call(talk=12)
        kept = self._call(talk=30)
        self.assertEqual(self._run().cc_interaction_id, kept)

    def test_contact_without_customer_is_not_invited(self):
        self._rule(trigger="call_ended")
        self._call(partner_id=False)
        self.assertFalse(self._run())

    def test_opt_out_after_planning_cancels_the_invitation(self):
        self._rule(trigger="call_ended", quiet_start=21.0, quiet_end=8.0)
        # 21:30 in Brussels: held until 08:00 (07:00 UTC)
        self._call(ended_at=datetime(2026, 3, 2, 20, 30))
        planned = self._run(datetime(2026, 3, 2, 20, 31))
        self.assertEqual(planned.cc_state, "planned")
        self.customer.cc_survey_opt_out = True
        self._run(datetime(2026, 3, 3, 7, 0))
        self.assertEqual(planned.cc_state, "cancelled")
        self.assertFalse(
            self.env["mail.mail"].search(
                [("model", "=", "survey.user_input"), ("res_id", "=", planned.id)]
            )
        )


@tagged("post_install", "-at_install")
class TestChannels(SurveyCase):
    def _sms_of(self, partner):
        return self.env["sms.sms"].sudo().search([("partner_id", "=", partner.id)])

    def _mails_of(self, invitation):
        return self.env["mail.mail"].search(
            [("model", "=", "survey.user_input"), ("res_id", "=", invitation.id)]
        )

    def test_email_invitation_carries_one_click_scores_and_opt_out(self):
        self._rule(trigger="call_ended")
        self._call()
        invitation = self._run()
        mail = self._mails_of(invitation)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.customer)
        token = invitation.access_token
        for value in range(1, 6):
            self.assertIn(
                f"/contact_center/survey/{token}/score/{value}", mail.body_html
            )
        self.assertNotIn(f"/contact_center/survey/{token}/score/6", mail.body_html)
        self.assertIn(f"/contact_center/survey/{token}/opt-out", mail.body_html)
        self.assertFalse(self._sms_of(self.customer))

    def test_sms_rule_queues_a_text_with_the_personal_link(self):
        self._rule(trigger="call_ended", send_channel="sms")
        self._call()
        invitation = self._run()
        self.assertEqual(invitation.cc_channel, "sms")
        sms = self._sms_of(self.customer)
        self.assertEqual(len(sms), 1)
        self.assertEqual(sms.number, "+32470123456")
        self.assertEqual(sms.state, "outgoing")
        self.assertIn(f"answer_token={invitation.access_token}", sms.body)
        self.assertFalse(self._mails_of(invitation))

    def test_sms_rule_skips_a_customer_without_mobile(self):
        self._rule(trigger="call_ended", send_channel="sms")
        self.customer.mobile = False
        self._call()
        self.assertFalse(self._run())

    def test_preferred_channel_is_used(self):
        self._rule(trigger="call_ended", send_channel="preferred")
        self.customer.cc_preferred_channel = "sms"
        self._call()
        self.assertEqual(self._run().cc_channel, "sms")

    def test_preferred_channel_falls_back_to_what_the_customer_has(self):
        self._rule(trigger="call_ended", send_channel="preferred")
        self.customer.write({"cc_preferred_channel": "email", "email": False})
        self._call()
        self.assertEqual(self._run().cc_channel, "sms")

    def test_blacklisted_mobile_falls_out_only_for_sms(self):
        self._rule(trigger="call_ended", send_channel="sms")
        self.env["phone.blacklist"].sudo().create({"number": "+32470123456"})
        self._call()
        self.assertFalse(self._run())


@tagged("post_install", "-at_install")
class TestIncentives(SurveyCase):
    def _customers(self, count):
        return self.env["res.partner"].create(
            [
                {"name": f"Buyer {n}", "email": f"buyer{n}@example.com"}
                for n in range(count)
            ]
        )

    def test_generated_codes_are_unique_and_in_the_email(self):
        self._rule(
            trigger="call_ended",
            incentive="generated",
            incentive_text="10% off your next order",
            incentive_prefix="THX-",
        )
        for partner in self._customers(20):
            self._call(partner_id=partner.id)
        invitations = self._run()
        codes = invitations.mapped("cc_incentive_code")
        self.assertEqual(len(codes), 20)
        self.assertEqual(len(set(codes)), 20)
        self.assertTrue(
            all(code.startswith("THX-") and len(code) == 12 for code in codes)
        )
        mail = self.env["mail.mail"].search(
            [("model", "=", "survey.user_input"), ("res_id", "=", invitations[0].id)]
        )
        self.assertIn(invitations[0].cc_incentive_code, mail.body_html)
        self.assertIn("10% off your next order", mail.body_html)

    def test_codes_from_a_list_go_once_each_then_run_out(self):
        rule = self._rule(
            trigger="call_ended",
            incentive="list",
            incentive_text="A free coffee",
            incentive_code_ids=[
                Command.create({"code": "COFFEE-1"}),
                Command.create({"code": "COFFEE-2"}),
            ],
        )
        for partner in self._customers(3):
            self._call(partner_id=partner.id)
        invitations = self._run()
        self.assertEqual(
            sorted(filter(None, invitations.mapped("cc_incentive_code"))),
            ["COFFEE-1", "COFFEE-2"],
        )
        self.assertEqual(len(invitations), 3)
        self.assertEqual(rule.incentive_codes_left, 0)
        given = rule.incentive_code_ids.mapped("user_input_id")
        self.assertEqual(len(given), 2)
        self.assertEqual(
            set(given.mapped("cc_incentive_code")), {"COFFEE-1", "COFFEE-2"}
        )

    def test_incentive_needs_its_text(self):
        with self.assertRaises(ValidationError):
            self._rule(incentive="generated")


@tagged("post_install", "-at_install")
class TestExpiryAndReminder(SurveyCase):
    def test_link_expires_after_the_rules_days(self):
        self._rule(trigger="call_ended", expiry_days=3)
        self._call()
        invitation = self._run()
        self.assertEqual(invitation.deadline, NOW + timedelta(days=3))
        with freeze_time(NOW + timedelta(days=3) - timedelta(seconds=1)):
            self.assertTrue(invitation._cc_is_open())
        with freeze_time(NOW + timedelta(days=3, seconds=1)):
            self.assertFalse(invitation._cc_is_open())

    def test_one_reminder_for_an_unanswered_invitation(self):
        self._rule(trigger="call_ended", reminder_hours=48, expiry_days=7)
        self._call()
        invitation = self._run()
        Mail = self.env["mail.mail"]
        domain = [("model", "=", "survey.user_input"), ("res_id", "=", invitation.id)]
        self._run(NOW + timedelta(hours=47))
        self.assertEqual(Mail.search_count(domain), 1)
        self._run(NOW + timedelta(hours=48))
        self.assertEqual(Mail.search_count(domain), 2)
        self.assertEqual(invitation.cc_reminded_at, NOW + timedelta(hours=48))
        self._run(NOW + timedelta(hours=96))
        self.assertEqual(Mail.search_count(domain), 2)

    def test_answered_invitation_gets_no_reminder(self):
        self._rule(trigger="call_ended", reminder_hours=48)
        self._call()
        invitation = self._run()
        invitation._cc_save_score(5)
        self._run(NOW + timedelta(hours=49))
        self.assertFalse(invitation.cc_reminded_at)

    def test_expired_invitation_gets_no_reminder(self):
        self._rule(trigger="call_ended", reminder_hours=48, expiry_days=1)
        self._call()
        invitation = self._run()
        self._run(NOW + timedelta(hours=49))
        self.assertFalse(invitation.cc_reminded_at)


@tagged("post_install", "-at_install")
class TestScores(SurveyCase):
    def _answered(self, value, **rule_vals):
        self._rule(**rule_vals)
        ticket = self._solve(self._ticket())
        invitation = self._run()
        invitation._cc_save_score(value)
        return invitation, ticket

    def test_score_lands_on_ticket_interaction_and_customer(self):
        call = self._call(res_model="contact_center.ticket")
        ticket = self._ticket()
        call.res_id = ticket.id
        self._rule()
        self._solve(ticket)
        invitation = self._run()
        self.assertEqual(invitation.cc_interaction_id, call)
        with freeze_time(NOW + timedelta(hours=1)):
            invitation._cc_save_score(4)
        self.assertEqual(ticket.cc_survey_score, 4)
        self.assertEqual(ticket.cc_survey_input_id, invitation)
        self.assertEqual(call.cc_survey_score, 4)
        self.assertEqual(call.cc_survey_score_kind, "csat")
        self.assertEqual(self.customer.cc_survey_last_score, 4)
        self.assertEqual(self.customer.cc_survey_last_at, NOW + timedelta(hours=1))
        self.assertEqual(invitation.cc_state, "answered")
        self.assertFalse(invitation.cc_is_low)

    def test_nps_of_zero_is_stored_and_counted_as_a_detractor(self):
        invitation, _ticket = self._answered(0, survey_id=self.survey_nps.id)
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT cc_score FROM survey_user_input WHERE id = %s", [invitation.id]
        )
        # a 0, not an empty score: averages and SQL readers count it
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.assertTrue(invitation.cc_is_low)
        row = self.env["contact_center.report.survey"].browse(invitation.id)
        self.assertEqual(row.answered_count, 1)
        self.assertEqual(row.nps_value, -100.0)
        self.assertEqual(self.agent.cc_nps_count, 1)
        self.assertEqual(self.agent.cc_nps, -100.0)

    def test_score_outside_the_scale_is_refused(self):
        self._rule()
        self._solve(self._ticket())
        invitation = self._run()
        with self.assertRaises(ValueError):
            invitation._cc_save_score(6)
        self.assertFalse(invitation.cc_score)

    def test_low_score_creates_an_activity_for_the_team_supervisor(self):
        invitation, ticket = self._answered(2)
        self.assertTrue(invitation.cc_is_low)
        activity = invitation.cc_low_activity_id
        self.assertEqual(activity.user_id, self.user_supervisor)
        self.assertEqual(activity.res_model, "contact_center.ticket")
        self.assertEqual(activity.res_id, ticket.id)
        self.assertIn(f"/odoo/contact_center.ticket/{ticket.id}", activity.note)

    def test_low_score_comment_reaches_the_activity(self):
        invitation, _ticket = self._answered(1)
        invitation._cc_record_score(1, "Nobody called me back")
        self.assertIn("Nobody called me back", invitation.cc_low_activity_id.note)
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [("res_model", "=", "contact_center.ticket")]
                + [("activity_type_id.name", "=", "Call back unhappy customer")]
            ),
            1,
        )

    def test_low_score_reopens_the_ticket_when_the_rule_says_so(self):
        _invitation, ticket = self._answered(1, reopen_ticket=True)
        self.assertFalse(ticket.is_solved)
        self.assertEqual(ticket.reopen_count, 1)

    def test_low_score_leaves_the_ticket_solved_by_default(self):
        _invitation, ticket = self._answered(1)
        self.assertTrue(ticket.is_solved)

    def test_threshold_is_configurable(self):
        invitation, _ticket = self._answered(3, low_threshold=3)
        self.assertTrue(invitation.cc_is_low)

    def test_good_score_opens_no_activity(self):
        invitation, _ticket = self._answered(5, reopen_ticket=True)
        self.assertFalse(invitation.cc_low_activity_id)

    def test_team_without_supervisor_gives_the_activity_to_the_rules_owner(self):
        owner = new_test_user(
            self.env, "cc_owner", groups="contact_center.group_contact_center_manager"
        )
        self.team.supervisor_ids = [Command.clear()]
        invitation, _ticket = self._answered(1, user_id=owner.id)
        self.assertEqual(invitation.cc_low_activity_id.user_id, owner)

    def test_opt_out_is_honoured_by_later_rules(self):
        self._rule(trigger="call_ended")
        self._call()
        invitation = self._run()
        invitation._cc_opt_out()
        self.assertTrue(self.customer.cc_survey_opt_out)
        self._rule(name="Another", trigger="chat_closed")
        self._call(channel="chat", ended_at=NOW + timedelta(minutes=1))
        self.assertEqual(self._run(NOW + timedelta(minutes=2)), invitation)


@tagged("post_install", "-at_install")
class TestRuleAccess(SurveyCase):
    def _open_form(self, user):
        """Read every field the rule form shows to ``user``, as the web
        client does when it opens the form."""
        rule = self._rule(incentive="list", incentive_text="5 EUR off")
        self.env["contact_center.survey.incentive.code"].create(
            [{"rule_id": rule.id, "code": code} for code in ("A1", "B2")]
        )
        Rule = self.Rule.with_user(user)
        views = Rule.get_views([(False, "form")])
        fields = views["models"][self.Rule._name]["fields"]
        return Rule.browse(rule.id).read(list(fields)), fields

    def test_supervisor_opens_a_rule_without_seeing_its_codes(self):
        [values], fields = self._open_form(self.user_supervisor)
        self.assertNotIn("incentive_code_ids", fields)
        # how many codes are left, yes
        self.assertEqual(values["incentive_codes_left"], 2)

    def test_administrator_manages_the_codes(self):
        [values], fields = self._open_form(self.user_manager)
        self.assertIn("incentive_code_ids", fields)
        self.assertEqual(len(values["incentive_code_ids"]), 2)

    def test_agent_cannot_read_rules(self):
        with self.assertRaises(AccessError):
            self.Rule.with_user(self.user_agent).search([])
