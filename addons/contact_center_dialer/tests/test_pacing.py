from datetime import datetime, timedelta

from odoo.tests import BaseCase, tagged

from ..tools import pacing


@tagged("post_install", "-at_install")
class TestPacing(BaseCase):
    def test_nothing_is_dialed_when_no_agent_is_logged_in(self):
        for mode in pacing.MODES:
            self.assertEqual(
                pacing.calls_to_start(
                    mode,
                    logged_in=0,
                    ready=3,  # stale presence must not matter
                    calls_in_flight=0,
                    answer_rate=0.3,
                    handle_seconds=140,
                ),
                0,
                mode,
            )

    def test_preview_and_progressive_give_one_call_per_free_ready_agent(self):
        for mode in (pacing.PREVIEW, pacing.PROGRESSIVE):
            # 3 ready agents, one of whom already has a call dialing
            self.assertEqual(
                pacing.calls_to_start(mode, logged_in=5, ready=3, calls_in_flight=1), 2
            )
            self.assertEqual(
                pacing.calls_to_start(mode, logged_in=5, ready=3, calls_in_flight=3), 0
            )
            self.assertEqual(
                pacing.calls_to_start(mode, logged_in=5, ready=0, calls_in_flight=0), 0
            )

    def test_power_dials_ratio_lines_per_ready_agent_minus_calls_ringing(self):
        self.assertEqual(
            pacing.calls_to_start(
                "power", logged_in=5, ready=3, calls_in_flight=4, ratio=2.0
            ),
            2,
        )
        # 1.5 x 3 = 4.5 lines: never more than the ratio, so 4
        self.assertEqual(
            pacing.calls_to_start(
                "power", logged_in=5, ready=3, calls_in_flight=0, ratio=1.5
            ),
            4,
        )
        self.assertEqual(
            pacing.calls_to_start(
                "power", logged_in=5, ready=3, calls_in_flight=9, ratio=2.0
            ),
            0,
        )

    def test_predictive_lines_by_hand(self):
        # 2 ready agents, nobody busy, answer rate 1/2, alpha = 10%:
        # 3 lines: overflow E[(A-2)+] = P(A=3) = 1/8 <= 0.1 x 1.5 = 0.15;
        # 4 lines: overflow = 1 x P(A=3) + 2 x P(A=4) = 4/16 + 2/16 = 0.375,
        # above 0.1 x 2 = 0.2. So 3 lines; one is already ringing: start 2.
        self.assertEqual(
            pacing.calls_to_start(
                "predictive",
                logged_in=2,
                ready=2,
                calls_in_flight=1,
                answer_rate=0.5,
                handle_seconds=100,
                horizon_seconds=0,
                ceiling=0.1,
                safety_margin=0.0,
            ),
            2,
        )

    def test_predictive_dials_ahead_of_ready_agents_at_a_low_answer_rate(self):
        kwargs = {
            "logged_in": 20,
            "ready": 10,
            "busy": 10,
            "calls_in_flight": 0,
            "handle_seconds": 140,
        }
        at_30 = pacing.calls_to_start("predictive", answer_rate=0.3, **kwargs)
        at_60 = pacing.calls_to_start("predictive", answer_rate=0.6, **kwargs)
        # more than one call per ready agent, and more when fewer people answer
        self.assertGreater(at_30, 10)
        self.assertGreater(at_30, at_60)
        self.assertLessEqual(at_30, 100)  # 5 lines per logged-in agent at most

    def test_predictive_counts_agents_about_to_free_up(self):
        kwargs = {
            "logged_in": 10,
            "ready": 0,
            "busy": 10,
            "calls_in_flight": 0,
            "answer_rate": 0.3,
        }
        # handle 60 s, answers expected within 30 s: each busy agent frees in
        # time with probability 1 - e^-0.5 = 39%
        self.assertGreater(
            pacing.calls_to_start(
                "predictive", handle_seconds=60, horizon_seconds=30, **kwargs
            ),
            0,
        )
        # nobody frees up in no time: no call for nobody
        self.assertEqual(
            pacing.calls_to_start(
                "predictive", handle_seconds=60, horizon_seconds=0, **kwargs
            ),
            0,
        )

    def test_predictive_falls_back_to_progressive_at_the_ceiling(self):
        kwargs = {
            "logged_in": 10,
            "ready": 5,
            "busy": 5,
            "calls_in_flight": 1,
            "answer_rate": 0.3,
        }
        kwargs["handle_seconds"] = 140
        self.assertEqual(
            pacing.calls_to_start(
                "predictive", abandon_rate=0.03, ceiling=0.03, **kwargs
            ),
            4,
        )
        self.assertEqual(
            pacing.calls_to_start(
                "predictive", abandon_rate=0.05, ceiling=0.03, **kwargs
            ),
            4,
        )
        self.assertGreater(
            pacing.calls_to_start(
                "predictive", abandon_rate=0.029, ceiling=0.03, **kwargs
            ),
            4,
        )
        self.assertEqual(
            pacing.effective_mode("predictive", 0.03, 0.03, 0.3, 140), "progressive"
        )
        self.assertEqual(
            pacing.effective_mode("predictive", 0.01, 0.03, 0.3, 140), "predictive"
        )

    def test_predictive_without_measurements_dials_like_progressive(self):
        self.assertEqual(
            pacing.calls_to_start(
                "predictive", logged_in=10, ready=5, calls_in_flight=0, answer_rate=None
            ),
            5,
        )
        self.assertEqual(
            pacing.calls_to_start(
                "predictive",
                logged_in=10,
                ready=5,
                calls_in_flight=0,
                answer_rate=0.3,
                handle_seconds=None,
            ),
            5,
        )

    def test_unknown_mode_is_refused(self):
        with self.assertRaises(ValueError):
            pacing.calls_to_start("telepathic", logged_in=1, ready=1, calls_in_flight=0)

    def test_abandoned_means_no_agent_within_two_seconds(self):
        self.assertFalse(pacing.is_abandoned(10.0, 11.5))
        self.assertFalse(pacing.is_abandoned(10.0, 12.0))  # exactly 2 s: in time
        self.assertTrue(pacing.is_abandoned(10.0, 12.1))
        self.assertTrue(pacing.is_abandoned(10.0, None))
        answered = datetime(2026, 3, 10, 14, 0, 0)
        self.assertFalse(pacing.is_abandoned(answered, answered + timedelta(seconds=2)))
        self.assertTrue(pacing.is_abandoned(answered, answered + timedelta(seconds=3)))

    def test_rolling_abandon_rate_counts_answered_calls_in_the_window(self):
        calls = [
            (40, 41),  # before the window (50, 100]
            (60, 61),
            (70, None),  # abandoned
            (80, 83),  # agent after 3 s: abandoned
            (90, 92),
            (None, None),  # never answered: not counted
            (120, None),  # after now
        ]
        self.assertEqual(pacing.rolling_abandon_rate(calls, 100, 50), 0.5)
        self.assertEqual(pacing.rolling_abandon_rate([], 100, 50), 0.0)
        now = datetime(2026, 3, 10, 12, 0)
        day_calls = [
            (now - timedelta(hours=25), None),  # outside 24 h (UK rule)
            (now - timedelta(hours=23), None),
            (now - timedelta(hours=1), now - timedelta(hours=1) + timedelta(seconds=1)),
            (
                now - timedelta(minutes=5),
                now - timedelta(minutes=5) + timedelta(seconds=1),
            ),
            (
                now - timedelta(minutes=1),
                now - timedelta(minutes=1) + timedelta(seconds=1),
            ),
        ]
        self.assertEqual(
            pacing.rolling_abandon_rate(day_calls, now, timedelta(hours=24)), 0.25
        )

    def test_abandon_meter_forgets_calls_leaving_the_window(self):
        meter = pacing.AbandonMeter(100)
        meter.add(0, True)
        meter.add(50, False)
        self.assertEqual(meter.rate(60), 0.5)
        # at 100 the call answered at 0 leaves the window (100 - 100, 100]
        self.assertEqual(meter.rate(100), 0.0)
        self.assertEqual(meter.rate(200), 0.0)
