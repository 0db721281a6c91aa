"""SLA business-time arithmetic against hand-computed values."""

from datetime import datetime, timedelta

from odoo.tests import BaseCase

from odoo.addons.contact_center.tools import sla_clock


def weekday_intervals(first_day, days, start_hour=9, end_hour=18, holidays=()):
    """9-18 Monday-Friday working intervals (UTC) for ``days`` days."""
    result = []
    for n in range(days):
        day = first_day + timedelta(days=n)
        if day.weekday() < 5 and day.date() not in holidays:
            result.append((day.replace(hour=start_hour), day.replace(hour=end_hour)))
    return result


FRIDAY = datetime(2026, 3, 6)  # a Friday
WEEK = weekday_intervals(FRIDAY, 14)


class TestSlaClock(BaseCase):
    def test_friday_evening_ticket_is_due_monday(self):
        created = FRIDAY.replace(hour=17, minute=30)
        # 30 minutes left on Friday, 3h30 on Monday from 9:00
        deadline = sla_clock.add_working_seconds(created, 4 * 3600, WEEK)
        self.assertEqual(deadline, datetime(2026, 3, 9, 12, 30))

    def test_public_holiday_is_skipped(self):
        monday = datetime(2026, 3, 9).date()
        intervals = weekday_intervals(FRIDAY, 14, holidays={monday})
        created = FRIDAY.replace(hour=17, minute=30)
        deadline = sla_clock.add_working_seconds(created, 4 * 3600, intervals)
        self.assertEqual(deadline, datetime(2026, 3, 10, 12, 30))

    def test_outside_hours_starts_next_morning(self):
        created = datetime(2026, 3, 9, 6, 0)
        self.assertEqual(
            sla_clock.add_working_seconds(created, 3600, WEEK),
            datetime(2026, 3, 9, 10, 0),
        )

    def test_pause_moves_the_deadline_by_the_paused_working_time(self):
        created = datetime(2026, 3, 9, 9, 0)
        pause = [(datetime(2026, 3, 9, 10, 0), datetime(2026, 3, 9, 11, 30))]
        self.assertEqual(
            sla_clock.add_working_seconds(created, 2 * 3600, WEEK, pause),
            datetime(2026, 3, 9, 12, 30),
        )
        # a pause over the night costs no working time
        night = [(datetime(2026, 3, 9, 18, 0), datetime(2026, 3, 10, 9, 0))]
        self.assertEqual(
            sla_clock.add_working_seconds(
                datetime(2026, 3, 9, 17, 0), 2 * 3600, WEEK, night
            ),
            datetime(2026, 3, 10, 10, 0),
        )

    def test_working_seconds_between(self):
        start = FRIDAY.replace(hour=17)
        end = datetime(2026, 3, 9, 10, 0)  # Monday 10:00
        self.assertEqual(sla_clock.working_seconds_between(start, end, WEEK), 2 * 3600)
        self.assertEqual(sla_clock.working_seconds_between(end, start, WEEK), 0)

    def test_horizon_too_short_gives_none(self):
        self.assertIsNone(
            sla_clock.add_working_seconds(FRIDAY.replace(hour=9), 200 * 3600, WEEK)
        )

    def test_status(self):
        start = datetime(2026, 3, 9, 9, 0)
        deadline = sla_clock.add_working_seconds(start, 4 * 3600, WEEK)
        rows = [
            (datetime(2026, 3, 9, 10, 0), None, False, "running"),
            (datetime(2026, 3, 9, 12, 30), None, False, "at_risk"),
            (datetime(2026, 3, 9, 13, 1), None, False, "breached"),
            (datetime(2026, 3, 9, 12, 30), None, True, "paused"),
            (datetime(2026, 3, 9, 14, 0), datetime(2026, 3, 9, 12, 0), False, "met"),
            (
                datetime(2026, 3, 9, 14, 0),
                datetime(2026, 3, 9, 13, 30),
                False,
                "breached",
            ),
        ]
        for now, reached, paused, expected in rows:
            with self.subTest(now=now, reached=reached, paused=paused):
                self.assertEqual(
                    sla_clock.status(
                        now, start, deadline, reached, 4 * 3600, WEEK, paused=paused
                    ),
                    expected,
                )
