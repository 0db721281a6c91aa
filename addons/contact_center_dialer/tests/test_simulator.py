from datetime import datetime

from odoo.tests import BaseCase, tagged

from ..tools import simulator


def _config(mode, **overrides):
    values = {"mode": mode, "agents": 10, "hours": 4.0}
    values.update(overrides)
    return simulator.SimulationConfig(**values)


@tagged("post_install", "-at_install")
class TestSimulator(BaseCase):
    def test_same_seed_same_figures(self):
        first = simulator.simulate(_config("predictive", agents=5, hours=2.0), 7)
        second = simulator.simulate(_config("predictive", agents=5, hours=2.0), 7)
        other = simulator.simulate(_config("predictive", agents=5, hours=2.0), 8)
        self.assertEqual(first, second)
        self.assertNotEqual(first["dials"], other["dials"])

    def test_progressive_and_preview_never_abandon(self):
        for mode in ("preview", "progressive"):
            for seed in range(3):
                result = simulator.simulate(_config(mode), seed)
                self.assertGreater(result["answered"], 100, mode)
                self.assertEqual(result["abandoned"], 0, mode)
                self.assertEqual(result["abandon_rate"], 0.0, mode)

    def test_predictive_stays_under_the_ceiling_and_beats_progressive(self):
        for seed in range(3):
            predictive = simulator.simulate(_config("predictive"), seed)
            progressive = simulator.simulate(_config("progressive"), seed)
            self.assertLessEqual(predictive["abandon_rate"], 0.03)
            self.assertGreater(predictive["talk_share"], progressive["talk_share"])

    def test_power_and_predictive_respect_windows_and_dnc(self):
        # a fifth of the numbers join the DNC list during the run
        for mode in ("power", "predictive"):
            result = simulator.simulate(
                _config(mode, hours=8.0, dnc_share=0.05, dnc_join_share=0.2), 3
            )
            self.assertEqual(result["outside_window"], 0, mode)
            self.assertEqual(result["to_dnc"], 0, mode)
            self.assertGreater(result["blocked_dnc"], 0, mode)
            zones = result["zones"]
            # the run starts on Monday 9 March 2026 at 13:00 UTC, for 8 hours:
            # Tokyo is at 22:00-06:00, never inside 09:00-21:00
            self.assertEqual(zones["Asia/Tokyo"]["dials"], 0, mode)
            # Los Angeles (PDT since the 8th) opens at 09:00 = 16:00 UTC
            self.assertGreaterEqual(
                zones["America/Los_Angeles"]["first"], datetime(2026, 3, 9, 16, 0)
            )
            # Brussels (still CET) closes at 21:00 = 20:00 UTC
            self.assertLess(
                zones["Europe/Brussels"]["last"], datetime(2026, 3, 9, 20, 0)
            )
            # New York (EDT) opens at 09:00 = 13:00 UTC, the start of the run
            self.assertGreater(zones["America/New_York"]["dials"], 0, mode)

    def test_no_agent_logged_in_no_call(self):
        for mode in ("power", "predictive"):
            result = simulator.simulate(
                _config(mode, agents=0, hours=1.0, contacts=200), 1
            )
            self.assertEqual(result["dials"], 0, mode)

    def test_unknown_mode_is_refused(self):
        with self.assertRaises(ValueError):
            simulator.simulate(_config("telepathic"), 1)
