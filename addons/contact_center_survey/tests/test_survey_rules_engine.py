"""The plain survey rules engine: timing, sampling, throttling, channel,
exclusions and scores. Expected values are worked out by hand in comments."""

from datetime import datetime, timedelta, timezone

from odoo.tests import BaseCase, tagged

from ..tools import survey_rules

NEW_YORK = "America/New_York"
BRUSSELS = "Europe/Brussels"
# 21:00-08:00, crossing midnight
QUIET = (21 * 60, 8 * 60)


def _send_at(ended_at, tz, delay=0, quiet=QUIET):
    return survey_rules.send_at(ended_at, delay, tz, *quiet)


@tagged("post_install", "-at_install")
class TestSendAt(BaseCase):
    def test_daytime_invitation_goes_after_the_delay(self):
        # 14:00 UTC on Tuesday 10 March 2026 is 10:00 in New York (EDT):
        # + 30 minutes, outside 21:00-08:00
        self.assertEqual(
            _send_at(datetime(2026, 3, 10, 14, 0), NEW_YORK, delay=30),
            datetime(2026, 3, 10, 14, 30),
        )

    def test_without_quiet_hours_the_time_zone_is_not_needed(self):
        self.assertEqual(
            survey_rules.send_at(datetime(2026, 3, 10, 2, 0), 15, None, None, None),
            datetime(2026, 3, 10, 2, 15),
        )

    def test_equal_start_and_end_mean_no_quiet_hours(self):
        # 02:00 UTC is 22:00 in New York: not held when start == end
        self.assertEqual(
            _send_at(datetime(2026, 3, 10, 2, 0), NEW_YORK, quiet=(0, 0)),
            datetime(2026, 3, 10, 2, 0),
        )

    def test_new_york_evening_invitation_waits_until_eight_local(self):
        # 01:30 UTC on 10 March is 21:30 on 9 March in New York (EDT, UTC-4);
        # quiet hours end at 08:00 EDT on 10 March = 12:00 UTC
        self.assertEqual(
            _send_at(datetime(2026, 3, 10, 1, 30), NEW_YORK),
            datetime(2026, 3, 10, 12, 0),
        )

    def test_brussels_evening_invitation_waits_until_eight_local(self):
        # 20:30 UTC on 10 March is 21:30 in Brussels (CET, UTC+1): held until
        # 08:00 CET on 11 March = 07:00 UTC
        self.assertEqual(
            _send_at(datetime(2026, 3, 10, 20, 30), BRUSSELS),
            datetime(2026, 3, 11, 7, 0),
        )

    def test_same_moment_is_quiet_in_brussels_only(self):
        # 20:30 UTC: 21:30 in Brussels (held), 16:30 in New York (goes)
        moment = datetime(2026, 3, 10, 20, 30)
        self.assertEqual(_send_at(moment, NEW_YORK), moment)
        self.assertNotEqual(_send_at(moment, BRUSSELS), moment)

    def test_after_midnight_invitation_waits_until_eight_the_same_day(self):
        # 05:00 UTC on 10 March is 01:00 EDT on 10 March: held until 08:00
        # EDT the same day = 12:00 UTC
        self.assertEqual(
            _send_at(datetime(2026, 3, 10, 5, 0), NEW_YORK),
            datetime(2026, 3, 10, 12, 0),
        )

    def test_delay_pushing_into_quiet_hours_holds_the_invitation(self):
        # ended 20:45 EDT (00:45 UTC on 11 March), + 30 min = 21:15 EDT:
        # held until 08:00 EDT on 11 March = 12:00 UTC
        self.assertEqual(
            _send_at(datetime(2026, 3, 11, 0, 45), NEW_YORK, delay=30),
            datetime(2026, 3, 11, 12, 0),
        )

    def test_last_minute_before_quiet_hours_goes(self):
        # 00:59 UTC on 11 March = 20:59 EDT on 10 March
        moment = datetime(2026, 3, 11, 0, 59)
        self.assertEqual(_send_at(moment, NEW_YORK), moment)

    def test_start_of_quiet_hours_is_quiet(self):
        # 01:00 UTC on 11 March = 21:00 EDT: held until 12:00 UTC
        self.assertEqual(
            _send_at(datetime(2026, 3, 11, 1, 0), NEW_YORK),
            datetime(2026, 3, 11, 12, 0),
        )

    def test_end_of_quiet_hours_is_not_quiet(self):
        # 12:00 UTC on 10 March = 08:00 EDT
        moment = datetime(2026, 3, 10, 12, 0)
        self.assertEqual(_send_at(moment, NEW_YORK), moment)

    def test_quiet_hours_within_one_day(self):
        # quiet 12:00-14:00 in Brussels; 11:30 UTC = 12:30 CET -> 14:00 CET
        # = 13:00 UTC
        self.assertEqual(
            _send_at(datetime(2026, 3, 10, 11, 30), BRUSSELS, quiet=(720, 840)),
            datetime(2026, 3, 10, 13, 0),
        )

    def test_new_york_spring_forward_releases_at_eight_daylight_time(self):
        # Saturday 7 March 2026 22:00 EST = 03:00 UTC on the 8th; clocks go
        # forward that night; 08:00 EDT (UTC-4) on Sunday 8 March = 12:00 UTC
        # (13:00 UTC would be 09:00 local)
        self.assertEqual(
            _send_at(datetime(2026, 3, 8, 3, 0), NEW_YORK),
            datetime(2026, 3, 8, 12, 0),
        )

    def test_brussels_spring_forward_releases_at_eight_summer_time(self):
        # Saturday 28 March 2026 23:00 CET = 22:00 UTC; clocks go forward at
        # 01:00 UTC on the 29th; 08:00 CEST (UTC+2) = 06:00 UTC
        self.assertEqual(
            _send_at(datetime(2026, 3, 28, 22, 0), BRUSSELS),
            datetime(2026, 3, 29, 6, 0),
        )

    def test_new_york_fall_back_releases_at_eight_standard_time(self):
        # Saturday 31 October 2026 23:00 EDT = 03:00 UTC on 1 November; clocks
        # go back that night; 08:00 EST (UTC-5) on 1 November = 13:00 UTC
        self.assertEqual(
            _send_at(datetime(2026, 11, 1, 3, 0), NEW_YORK),
            datetime(2026, 11, 1, 13, 0),
        )

    def test_brussels_fall_back_releases_at_eight_winter_time(self):
        # Saturday 24 October 2026 22:00 CEST = 20:00 UTC; clocks go back on
        # the 25th; 08:00 CET (UTC+1) = 07:00 UTC
        self.assertEqual(
            _send_at(datetime(2026, 10, 24, 20, 0), BRUSSELS),
            datetime(2026, 10, 25, 7, 0),
        )

    def test_quiet_hours_ending_in_the_skipped_hour_end_at_the_change(self):
        # quiet 22:00-02:30 in New York; Saturday 7 March 23:00 EST = 04:00
        # UTC on the 8th; 02:30 does not exist that night: at 07:00 UTC the
        # clock jumps from 02:00 EST to 03:00 EDT, past 02:30
        self.assertEqual(
            _send_at(datetime(2026, 3, 8, 4, 0), NEW_YORK, quiet=(22 * 60, 150)),
            datetime(2026, 3, 8, 7, 0),
        )

    def test_quiet_hours_ending_in_the_repeated_hour_end_at_its_first_pass(self):
        # quiet 22:00-01:30; 31 October 23:00 EDT = 03:00 UTC on 1 November;
        # 01:30 comes twice: first at 01:30 EDT = 05:30 UTC
        self.assertEqual(
            _send_at(datetime(2026, 11, 1, 3, 0), NEW_YORK, quiet=(22 * 60, 90)),
            datetime(2026, 11, 1, 5, 30),
        )

    def test_due_in_the_second_pass_of_the_repeated_hour_waits_for_its_end(self):
        # 06:10 UTC on 1 November = 01:10 EST (second pass of 01:00-02:00):
        # quiet until 01:30 EST = 06:30 UTC, not the earlier 01:30 EDT
        self.assertEqual(
            _send_at(datetime(2026, 11, 1, 6, 10), NEW_YORK, quiet=(22 * 60, 90)),
            datetime(2026, 11, 1, 6, 30),
        )

    def test_unknown_time_zone_raises(self):
        with self.assertRaises(ValueError):
            _send_at(datetime(2026, 3, 10, 12, 0), "Mars/Olympus_Mons")
        with self.assertRaises(ValueError):
            _send_at(datetime(2026, 3, 10, 12, 0), "")

    def test_negative_delay_raises(self):
        with self.assertRaises(ValueError):
            _send_at(datetime(2026, 3, 10, 12, 0), NEW_YORK, delay=-1)

    def test_quiet_hours_out_of_range_or_all_day_raise(self):
        for quiet in ((21 * 60, 1441), (-1, 8 * 60), (0, 1440), (8.5, 21 * 60)):
            with self.subTest(quiet=quiet), self.assertRaises(ValueError):
                _send_at(datetime(2026, 3, 10, 12, 0), NEW_YORK, quiet=quiet)

    def test_aware_datetime_raises(self):
        with self.assertRaises(ValueError):
            _send_at(datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc), NEW_YORK)


@tagged("post_install", "-at_install")
class TestSampling(BaseCase):
    KEYS = range(1, 10_001)

    def _count(self, percent, seed="rule-1"):
        return sum(survey_rules.is_sampled(key, percent, seed) for key in self.KEYS)

    def test_zero_percent_never_samples(self):
        self.assertEqual(self._count(0), 0)

    def test_hundred_percent_always_samples(self):
        self.assertEqual(self._count(100), 10_000)

    def test_share_is_within_one_and_a_half_points_of_the_percent(self):
        # 1.5 points of 10,000 keys = 150 keys
        for percent, expected in ((10, 1000), (25, 2500), (50, 5000), (90, 9000)):
            with self.subTest(percent=percent):
                self.assertAlmostEqual(self._count(percent), expected, delta=150)

    def test_same_seed_and_key_give_the_same_answer(self):
        first = [survey_rules.is_sampled(key, 30, "seed") for key in range(500)]
        again = [survey_rules.is_sampled(key, 30, "seed") for key in range(500)]
        self.assertEqual(first, again)

    def test_another_seed_draws_another_sample(self):
        one = {k for k in self.KEYS if survey_rules.is_sampled(k, 50, "a")}
        two = {k for k in self.KEYS if survey_rules.is_sampled(k, 50, "b")}
        self.assertNotEqual(one, two)

    def test_raising_the_percent_only_adds_interactions(self):
        low = {k for k in self.KEYS if survey_rules.is_sampled(k, 20, "s")}
        high = {k for k in self.KEYS if survey_rules.is_sampled(k, 40, "s")}
        self.assertLessEqual(low, high)
        self.assertGreater(len(high), len(low))

    def test_percent_out_of_range_raises(self):
        for percent in (-1, 100.5, None, "50"):
            with self.subTest(percent=percent), self.assertRaises(ValueError):
                survey_rules.is_sampled(1, percent, "s")


NOW = datetime(2026, 3, 10, 12, 0)


@tagged("post_install", "-at_install")
class TestThrottle(BaseCase):
    def test_customer_never_invited_may_be_invited(self):
        self.assertTrue(survey_rules.throttle_ok([], NOW, 7, 2))

    def test_invitation_within_min_days_blocks(self):
        sent = [NOW - timedelta(days=6, hours=23)]
        self.assertFalse(survey_rules.throttle_ok(sent, NOW, 7, 0))

    def test_invitation_exactly_min_days_ago_does_not_block(self):
        sent = [NOW - timedelta(days=7)]
        self.assertTrue(survey_rules.throttle_ok(sent, NOW, 7, 0))

    def test_monthly_cap_reached_blocks(self):
        # two in the last 30 days (10 and 29 days 23 hours ago), at most 2
        sent = [NOW - timedelta(days=10), NOW - timedelta(days=29, hours=23)]
        self.assertFalse(survey_rules.throttle_ok(sent, NOW, 7, 2))

    def test_invitation_thirty_days_ago_no_longer_counts(self):
        sent = [NOW - timedelta(days=10), NOW - timedelta(days=30)]
        self.assertTrue(survey_rules.throttle_ok(sent, NOW, 7, 2))

    def test_zero_limits_mean_no_limit(self):
        sent = [NOW - timedelta(hours=hours) for hours in range(1, 6)]
        self.assertTrue(survey_rules.throttle_ok(sent, NOW, 0, 0))

    def test_invitation_planned_after_now_counts_as_sent(self):
        # held by quiet hours until tomorrow morning
        sent = [NOW + timedelta(hours=10)]
        self.assertFalse(survey_rules.throttle_ok(sent, NOW, 7, 0))
        self.assertFalse(survey_rules.throttle_ok(sent, NOW, 0, 1))

    def test_negative_limit_raises(self):
        with self.assertRaises(ValueError):
            survey_rules.throttle_ok([], NOW, -1, 0)
        with self.assertRaises(ValueError):
            survey_rules.throttle_ok([], NOW, 0, -1)


@tagged("post_install", "-at_install")
class TestChooseChannel(BaseCase):
    def test_email_rule_sends_email(self):
        self.assertEqual(
            survey_rules.choose_channel("email", "sms", True, True), "email"
        )

    def test_email_rule_without_email_sends_nothing(self):
        self.assertIsNone(survey_rules.choose_channel("email", None, False, True))

    def test_sms_rule_sends_sms(self):
        self.assertEqual(survey_rules.choose_channel("sms", "email", True, True), "sms")

    def test_sms_rule_without_mobile_sends_nothing(self):
        self.assertIsNone(survey_rules.choose_channel("sms", None, True, False))

    def test_preferred_sms_comes_first(self):
        self.assertEqual(
            survey_rules.choose_channel("preferred", "sms", True, True), "sms"
        )

    def test_preferred_email_comes_first(self):
        self.assertEqual(
            survey_rules.choose_channel("preferred", "email", True, True), "email"
        )

    def test_preferred_sms_falls_back_to_email(self):
        self.assertEqual(
            survey_rules.choose_channel("preferred", "sms", True, False), "email"
        )

    def test_preferred_email_falls_back_to_sms(self):
        self.assertEqual(
            survey_rules.choose_channel("preferred", "email", False, True), "sms"
        )

    def test_no_preference_tries_email_first(self):
        self.assertEqual(
            survey_rules.choose_channel("preferred", None, True, True), "email"
        )
        self.assertEqual(
            survey_rules.choose_channel("preferred", "phone", True, True), "email"
        )

    def test_preferred_without_email_or_mobile_sends_nothing(self):
        self.assertIsNone(survey_rules.choose_channel("preferred", "sms", False, False))

    def test_unknown_rule_channel_raises(self):
        with self.assertRaises(ValueError):
            survey_rules.choose_channel("whatsapp", None, True, True)


@tagged("post_install", "-at_install")
class TestExclusions(BaseCase):
    def test_reachable_customer_is_not_excluded(self):
        self.assertIsNone(
            survey_rules.is_excluded("email", duration_seconds=120, min_seconds=30)
        )

    def test_opted_out_customer_is_excluded(self):
        self.assertEqual(survey_rules.is_excluded("email", opted_out=True), "opted_out")

    def test_internal_user_is_excluded(self):
        self.assertEqual(
            survey_rules.is_excluded("sms", is_internal_user=True), "internal_user"
        )

    def test_no_channel_is_excluded(self):
        self.assertEqual(survey_rules.is_excluded(None), "no_channel")

    def test_blacklisted_email_excludes_an_email_invitation(self):
        self.assertEqual(
            survey_rules.is_excluded("email", email_blacklisted=True),
            "email_blacklisted",
        )

    def test_blacklisted_email_does_not_exclude_an_sms_invitation(self):
        self.assertIsNone(survey_rules.is_excluded("sms", email_blacklisted=True))

    def test_blacklisted_phone_excludes_an_sms_invitation(self):
        self.assertEqual(
            survey_rules.is_excluded("sms", phone_blacklisted=True),
            "phone_blacklisted",
        )

    def test_blacklisted_phone_does_not_exclude_an_email_invitation(self):
        self.assertIsNone(survey_rules.is_excluded("email", phone_blacklisted=True))

    def test_interaction_shorter_than_min_seconds_is_excluded(self):
        self.assertEqual(
            survey_rules.is_excluded("email", duration_seconds=29, min_seconds=30),
            "too_short",
        )

    def test_interaction_of_exactly_min_seconds_is_not_excluded(self):
        self.assertIsNone(
            survey_rules.is_excluded("email", duration_seconds=30, min_seconds=30)
        )

    def test_unknown_duration_is_not_too_short(self):
        self.assertIsNone(
            survey_rules.is_excluded("email", duration_seconds=None, min_seconds=30)
        )

    def test_opt_out_is_reported_before_other_reasons(self):
        self.assertEqual(
            survey_rules.is_excluded(
                "email",
                opted_out=True,
                is_internal_user=True,
                email_blacklisted=True,
                duration_seconds=1,
                min_seconds=30,
            ),
            "opted_out",
        )


@tagged("post_install", "-at_install")
class TestScores(BaseCase):
    def test_csat_accepts_one_to_five(self):
        self.assertEqual(survey_rules.score_kind_value("csat", 1), 1)
        self.assertEqual(survey_rules.score_kind_value("csat", 5), 5)
        for bad in (0, 6):
            with self.subTest(bad=bad), self.assertRaises(ValueError):
                survey_rules.score_kind_value("csat", bad)

    def test_nps_accepts_zero_to_ten(self):
        self.assertEqual(survey_rules.score_kind_value("nps", 0), 0)
        self.assertEqual(survey_rules.score_kind_value("nps", 10), 10)
        for bad in (-1, 11):
            with self.subTest(bad=bad), self.assertRaises(ValueError):
                survey_rules.score_kind_value("nps", bad)

    def test_ces_accepts_one_to_seven(self):
        self.assertEqual(survey_rules.score_kind_value("ces", 1), 1)
        self.assertEqual(survey_rules.score_kind_value("ces", 7), 7)
        for bad in (0, 8):
            with self.subTest(bad=bad), self.assertRaises(ValueError):
                survey_rules.score_kind_value("ces", bad)

    def test_text_and_whole_floats_are_normalised_to_integers(self):
        self.assertEqual(survey_rules.score_kind_value("csat", "4"), 4)
        self.assertEqual(survey_rules.score_kind_value("nps", " 9 "), 9)
        self.assertEqual(survey_rules.score_kind_value("ces", 6.0), 6)
        self.assertEqual(survey_rules.score_kind_value("ces", "7.0"), 7)

    def test_answers_that_are_not_whole_numbers_are_rejected(self):
        for bad in (4.5, "4.5", True, None, "", "five"):
            with self.subTest(bad=bad), self.assertRaises(ValueError):
                survey_rules.score_kind_value("csat", bad)

    def test_unknown_kind_raises(self):
        with self.assertRaises(ValueError):
            survey_rules.score_kind_value("smiley", 3)

    def test_default_low_thresholds(self):
        # CSAT <= 2, NPS <= 6, CES <= 3 (7 = very easy)
        for kind, low, not_low in (("csat", 2, 3), ("nps", 6, 7), ("ces", 3, 4)):
            with self.subTest(kind=kind):
                self.assertTrue(survey_rules.is_low(kind, low))
                self.assertFalse(survey_rules.is_low(kind, not_low))

    def test_custom_threshold(self):
        self.assertTrue(survey_rules.is_low("csat", 3, threshold=3))
        self.assertFalse(survey_rules.is_low("nps", 5, threshold=4))

    def test_nps_with_as_many_promoters_as_detractors_is_zero(self):
        # [10, 9, 8, 6, 0]: 2 promoters (40 %), 2 detractors (40 %)
        self.assertEqual(survey_rules.nps([10, 9, 8, 6, 0]), 0)

    def test_nps_of_promoters_and_a_passive(self):
        # [10, 10, 9, 7]: 3 promoters of 4 = 75 %, no detractor
        self.assertEqual(survey_rules.nps([10, 10, 9, 7]), 75)

    def test_nps_of_detractors_only_is_minus_hundred(self):
        self.assertEqual(survey_rules.nps([0, 6, 3]), -100)

    def test_csat_is_the_share_of_four_and_five(self):
        # [5, 4, 3, 2, 1]: 2 of 5 = 40 %; [5, 5, 4, 1]: 3 of 4 = 75 %
        self.assertEqual(survey_rules.csat([5, 4, 3, 2, 1]), 40)
        self.assertEqual(survey_rules.csat([5, 5, 4, 1]), 75)

    def test_ces_is_the_average(self):
        # (7 + 5 + 3 + 1) / 4 = 4; (7 + 6) / 2 = 6.5
        self.assertEqual(survey_rules.ces([7, 5, 3, 1]), 4)
        self.assertEqual(survey_rules.ces([7, 6]), 6.5)

    def test_no_answers_give_no_score(self):
        self.assertIsNone(survey_rules.nps([]))
        self.assertIsNone(survey_rules.csat([]))
        self.assertIsNone(survey_rules.ces([]))

    def test_out_of_range_answer_in_a_report_raises(self):
        with self.assertRaises(ValueError):
            survey_rules.nps([10, 11])
