from datetime import date, datetime

from odoo.tests import BaseCase, tagged

from ..tools import forecast

MONDAY = 0
NINE = 18  # slot of 09:00-09:30
NOON = 24


@tagged("post_install", "-at_install")
class TestForecastEngine(BaseCase):
    def test_weights_are_linear_most_recent_heaviest(self):
        self.assertEqual(forecast.weights(4), [4, 3, 2, 1])
        with self.assertRaises(ValueError):
            forecast.weights(0)

    def test_steady_weekly_pattern_is_reproduced(self):
        # 10 contacts an hour (5 a half hour) on Mondays 9:00-12:00, nothing
        # at night, the same for 8 weeks
        counts = {
            (week, MONDAY, slot): 5
            for week in range(1, 9)
            for slot in range(NINE, NOON)
        }
        result = forecast.weighted_moving_average(counts, 8)
        self.assertEqual(len(result), 7 * 48)
        for slot in range(NINE, NOON):
            self.assertEqual(result[(MONDAY, slot)], 5.0)
        self.assertEqual(result[(MONDAY, NINE - 1)], 0.0)
        self.assertEqual(result[(MONDAY, NOON)], 0.0)
        self.assertEqual(result[(MONDAY, 4)], 0.0)  # 02:00
        self.assertEqual(result[(1, NINE)], 0.0)  # Tuesday
        self.assertEqual(sum(result.values()), 30.0)

    def test_growth_is_followed_by_the_weighting(self):
        # weeks 4 (oldest) .. 1 (latest): 10, 20, 30, 40 contacts; weights
        # 1, 2, 3, 4: (10 + 40 + 90 + 160) / 10 = 30, above the plain mean 25
        counts = {(4, MONDAY, NINE): 10, (3, MONDAY, NINE): 20}
        counts.update({(2, MONDAY, NINE): 30, (1, MONDAY, NINE): 40})
        self.assertEqual(
            forecast.weighted_moving_average(counts, 4)[(MONDAY, NINE)], 30.0
        )

    def test_weeks_without_data_count_as_zero(self):
        # only the latest of 4 weeks had 10 contacts: 10 * 4 / 10 = 4; only
        # the oldest: 10 * 1 / 10 = 1
        self.assertEqual(
            forecast.weighted_moving_average({(1, 2, NINE): 10}, 4)[(2, NINE)], 4.0
        )
        self.assertEqual(
            forecast.weighted_moving_average({(4, 2, NINE): 10}, 4)[(2, NINE)], 1.0
        )
        empty = forecast.weighted_moving_average({}, 4)
        self.assertEqual(set(empty.values()), {0.0})

    def test_weeks_outside_the_history_are_ignored(self):
        counts = {(5, MONDAY, NINE): 100, (0, MONDAY, NINE): 100, (1, MONDAY, NINE): 4}
        self.assertEqual(
            forecast.weighted_moving_average(counts, 4)[(MONDAY, NINE)], 1.6
        )

    def test_bucket_uses_local_time_and_dst(self):
        # Brussels: UTC+1 in winter, UTC+2 from Sunday 29 March 2026 03:00
        self.assertEqual(
            forecast.bucket(datetime(2026, 3, 23, 8, 10), "Europe/Brussels"), (0, 18)
        )
        self.assertEqual(
            forecast.bucket(datetime(2026, 3, 30, 8, 10), "Europe/Brussels"), (0, 20)
        )
        # 23:40 UTC on a Sunday is Monday 00:40 in Brussels
        self.assertEqual(
            forecast.bucket(datetime(2026, 3, 22, 23, 40), "Europe/Brussels"), (0, 1)
        )

    def test_weekly_counts_number_weeks_back_from_the_forecast(self):
        moments = [
            datetime(2026, 3, 30, 7, 5),  # Mon 30 Mar 09:05 local: week 1
            datetime(2026, 3, 30, 7, 20),  # 09:20: week 1, same slot
            datetime(2026, 3, 29, 21, 59),  # Sun 29 Mar 23:59 local: week 2
            datetime(2026, 3, 29, 22, 0),  # Mon 30 Mar 00:00 local: week 1
            datetime(2026, 4, 6, 8, 0),  # in the forecast week: left out
        ]
        counts = forecast.weekly_counts(moments, "Europe/Brussels", date(2026, 4, 6))
        self.assertEqual(counts, {(1, 0, 18): 2, (2, 6, 47): 1, (1, 0, 0): 1})

    def test_slot_labels(self):
        self.assertEqual(forecast.slot_label(0), "00:00")
        self.assertEqual(forecast.slot_label(19), "09:30")
        self.assertEqual(forecast.slot_label(47), "23:30")
