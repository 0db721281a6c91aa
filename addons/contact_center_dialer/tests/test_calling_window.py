from datetime import datetime

from odoo.tests import BaseCase, tagged

from ..tools import calling_window

NEW_YORK = "America/New_York"
BRUSSELS = "Europe/Brussels"
TOKYO = "Asia/Tokyo"
NINE_TO_NINE = {day: [(9 * 60, 21 * 60)] for day in range(7)}
WEEKDAYS_NINE_TO_NINE = {day: [(9 * 60, 21 * 60)] for day in range(5)}


@tagged("post_install", "-at_install")
class TestCallingWindow(BaseCase):
    def test_one_instant_three_time_zones(self):
        # Tuesday 10 March 2026, 13:30 UTC: 09:30 in New York (EDT since the
        # 8th), 14:30 in Brussels (CET), 22:30 in Tokyo
        moment = datetime(2026, 3, 10, 13, 30)
        self.assertTrue(calling_window.is_callable(moment, NEW_YORK, NINE_TO_NINE))
        self.assertTrue(calling_window.is_callable(moment, BRUSSELS, NINE_TO_NINE))
        self.assertFalse(calling_window.is_callable(moment, TOKYO, NINE_TO_NINE))
        # an hour earlier New York is at 08:30: too early there only
        earlier = datetime(2026, 3, 10, 12, 30)
        self.assertFalse(calling_window.is_callable(earlier, NEW_YORK, NINE_TO_NINE))
        self.assertTrue(calling_window.is_callable(earlier, BRUSSELS, NINE_TO_NINE))
        # 00:30 UTC on Wednesday is 09:30 on Wednesday in Tokyo
        self.assertTrue(
            calling_window.is_callable(
                datetime(2026, 3, 11, 0, 30), TOKYO, NINE_TO_NINE
            )
        )

    def test_us_dst_change_moves_the_window_an_hour_earlier_in_utc(self):
        # Saturday 7 March 2026, EST (UTC-5): 09:00 local is 14:00 UTC
        self.assertFalse(
            calling_window.is_callable(
                datetime(2026, 3, 7, 13, 59), NEW_YORK, NINE_TO_NINE
            )
        )
        self.assertTrue(
            calling_window.is_callable(
                datetime(2026, 3, 7, 14, 0), NEW_YORK, NINE_TO_NINE
            )
        )
        # Monday 9 March 2026, EDT (UTC-4): 09:00 local is 13:00 UTC
        self.assertFalse(
            calling_window.is_callable(
                datetime(2026, 3, 9, 12, 59), NEW_YORK, NINE_TO_NINE
            )
        )
        self.assertTrue(
            calling_window.is_callable(
                datetime(2026, 3, 9, 13, 0), NEW_YORK, NINE_TO_NINE
            )
        )
        # Brussels has not changed yet: 13:00 UTC is still 14:00 there
        self.assertEqual(
            calling_window.local_time(datetime(2026, 3, 9, 13, 0), BRUSSELS).hour, 14
        )

    def test_eu_dst_change_moves_the_window_an_hour_earlier_in_utc(self):
        # Saturday 28 March 2026, CET (UTC+1): 09:00 local is 08:00 UTC
        self.assertFalse(
            calling_window.is_callable(
                datetime(2026, 3, 28, 7, 30), BRUSSELS, NINE_TO_NINE
            )
        )
        self.assertTrue(
            calling_window.is_callable(
                datetime(2026, 3, 28, 8, 0), BRUSSELS, NINE_TO_NINE
            )
        )
        # Monday 30 March 2026, CEST (UTC+2): 09:00 local is 07:00 UTC and the
        # 21:00 end is 19:00 UTC
        self.assertFalse(
            calling_window.is_callable(
                datetime(2026, 3, 30, 6, 59), BRUSSELS, NINE_TO_NINE
            )
        )
        self.assertTrue(
            calling_window.is_callable(
                datetime(2026, 3, 30, 7, 0), BRUSSELS, NINE_TO_NINE
            )
        )
        self.assertTrue(
            calling_window.is_callable(
                datetime(2026, 3, 30, 18, 59), BRUSSELS, NINE_TO_NINE
            )
        )
        self.assertFalse(
            calling_window.is_callable(
                datetime(2026, 3, 30, 19, 0), BRUSSELS, NINE_TO_NINE
            )
        )

    def test_window_end_is_exclusive_in_local_time(self):
        # Tuesday 10 March 2026 in New York (EDT): 20:59 local is 00:59 UTC on
        # Wednesday; the local weekday (Tuesday) decides
        windows = {1: [(9 * 60, 21 * 60)]}  # Tuesday only
        self.assertTrue(
            calling_window.is_callable(datetime(2026, 3, 11, 0, 59), NEW_YORK, windows)
        )
        self.assertTrue(
            calling_window.is_callable(
                datetime(2026, 3, 11, 0, 59, 59), NEW_YORK, windows
            )
        )
        self.assertFalse(
            calling_window.is_callable(datetime(2026, 3, 11, 1, 0), NEW_YORK, windows)
        )
        self.assertTrue(
            calling_window.is_callable(datetime(2026, 3, 10, 13, 0), NEW_YORK, windows)
        )
        self.assertFalse(
            calling_window.is_callable(
                datetime(2026, 3, 10, 12, 59, 59), NEW_YORK, windows
            )
        )

    def test_no_window_on_a_day_means_no_call(self):
        # Sunday 15 March 2026 noon in New York
        self.assertFalse(
            calling_window.is_callable(
                datetime(2026, 3, 15, 16, 0), NEW_YORK, WEEKDAYS_NINE_TO_NINE
            )
        )
        self.assertFalse(
            calling_window.is_callable(datetime(2026, 3, 10, 16, 0), NEW_YORK, {})
        )

    def test_next_start_is_now_when_the_window_is_open(self):
        moment = datetime(2026, 3, 10, 15, 0)
        self.assertEqual(
            calling_window.next_window_start(moment, NEW_YORK, NINE_TO_NINE), moment
        )

    def test_next_start_later_the_same_day(self):
        # Tuesday 10 March 2026 07:00 EDT (11:00 UTC) -> 09:00 EDT (13:00 UTC)
        self.assertEqual(
            calling_window.next_window_start(
                datetime(2026, 3, 10, 11, 0), NEW_YORK, NINE_TO_NINE
            ),
            datetime(2026, 3, 10, 13, 0),
        )

    def test_next_start_over_the_weekend(self):
        # Friday 13 March 2026 21:30 EDT (Saturday 01:30 UTC) -> Monday 16
        # March 09:00 EDT, 13:00 UTC
        self.assertEqual(
            calling_window.next_window_start(
                datetime(2026, 3, 14, 1, 30), NEW_YORK, WEEKDAYS_NINE_TO_NINE
            ),
            datetime(2026, 3, 16, 13, 0),
        )
        # Friday 13 March 2026 21:00 JST (12:00 UTC) -> Monday 16 March
        # 09:00 JST, 00:00 UTC
        self.assertEqual(
            calling_window.next_window_start(
                datetime(2026, 3, 13, 12, 0), TOKYO, WEEKDAYS_NINE_TO_NINE
            ),
            datetime(2026, 3, 16, 0, 0),
        )

    def test_next_start_over_a_weekend_with_a_dst_change(self):
        # Saturday 7 March 2026 (EST) -> Monday 9 March 09:00 EDT: 13:00 UTC,
        # not 14:00 as it would be in winter time
        self.assertEqual(
            calling_window.next_window_start(
                datetime(2026, 3, 7, 15, 0), NEW_YORK, WEEKDAYS_NINE_TO_NINE
            ),
            datetime(2026, 3, 9, 13, 0),
        )
        # Brussels, Saturday 28 March 2026 22:00 CET -> Monday 30 March
        # 09:00 CEST: 07:00 UTC
        self.assertEqual(
            calling_window.next_window_start(
                datetime(2026, 3, 28, 21, 0), BRUSSELS, WEEKDAYS_NINE_TO_NINE
            ),
            datetime(2026, 3, 30, 7, 0),
        )

    def test_window_starting_in_the_skipped_hour_opens_at_the_change(self):
        # Sunday 8 March 2026, New York skips 02:00-03:00 local (07:00 UTC);
        # a window from 02:30 opens at 03:00 EDT, 07:00 UTC
        windows = {6: [(2 * 60 + 30, 5 * 60)]}
        self.assertEqual(
            calling_window.next_window_start(
                datetime(2026, 3, 8, 5, 0), NEW_YORK, windows
            ),
            datetime(2026, 3, 8, 7, 0),
        )

    def test_next_start_without_windows_is_none(self):
        self.assertIsNone(
            calling_window.next_window_start(datetime(2026, 3, 10, 12, 0), NEW_YORK, {})
        )
        self.assertIsNone(
            calling_window.next_window_start(
                datetime(2026, 3, 10, 12, 0), NEW_YORK, {0: []}
            )
        )

    def test_unknown_time_zone_is_refused(self):
        for name in ("Mars/Olympus_Mons", "", None, "../etc/passwd"):
            with self.assertRaises(ValueError):
                calling_window.is_callable(
                    datetime(2026, 3, 10, 12, 0), name, NINE_TO_NINE
                )
        with self.assertRaises(ValueError):
            calling_window.next_window_start(
                datetime(2026, 3, 10, 12, 0), "Nowhere/Town", NINE_TO_NINE
            )

    def test_malformed_windows_are_refused(self):
        with self.assertRaises(ValueError):
            calling_window.validate_windows({0: [(21 * 60, 9 * 60)]})
        with self.assertRaises(ValueError):
            calling_window.validate_windows({7: [(9 * 60, 21 * 60)]})
        with self.assertRaises(ValueError):
            calling_window.validate_windows({0: [(0, 25 * 60)]})
        self.assertEqual(
            calling_window.validate_windows(
                {0: [(14 * 60, 18 * 60), (9 * 60, 12 * 60)]}
            ),
            {0: [(9 * 60, 12 * 60), (14 * 60, 18 * 60)]},
        )
