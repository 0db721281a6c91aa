"""The interaction state machine and durations, as plain Python."""

from datetime import datetime, timedelta

from odoo.tests import BaseCase

from odoo.addons.contact_center.tools import interaction_state as sm


class TestStateMachine(BaseCase):
    def test_normal_call_path_is_allowed(self):
        path = [sm.QUEUED, sm.RINGING, sm.IN_PROGRESS, sm.WRAP_UP, sm.DONE]
        for old, new in zip(path, path[1:], strict=False):
            self.assertTrue(sm.is_allowed(old, new), f"{old} -> {new}")

    def test_skipping_states_is_refused(self):
        self.assertFalse(sm.is_allowed(sm.QUEUED, sm.WRAP_UP))
        self.assertFalse(sm.is_allowed(sm.QUEUED, sm.DONE))
        self.assertFalse(sm.is_allowed(sm.RINGING, sm.DONE))

    def test_terminal_states_never_change(self):
        for state in sm.TERMINAL_STATES:
            for target in sm.STATES:
                if target != state:
                    self.assertFalse(
                        sm.is_allowed(state, target), f"{state} -> {target}"
                    )

    def test_going_back_is_refused_except_unanswered_ring(self):
        self.assertTrue(sm.is_allowed(sm.RINGING, sm.QUEUED))
        self.assertFalse(sm.is_allowed(sm.IN_PROGRESS, sm.RINGING))
        self.assertFalse(sm.is_allowed(sm.WRAP_UP, sm.IN_PROGRESS))

    def test_durations_of_answered_call(self):
        t0 = datetime(2026, 1, 5, 10, 0, 0)
        result = sm.durations(
            t0,
            t0 + timedelta(seconds=30),
            t0 + timedelta(seconds=330),
            t0 + timedelta(seconds=390),
            hold_seconds=45,
        )
        self.assertEqual(result["wait_seconds"], 30)
        self.assertEqual(result["talk_seconds"], 255)
        self.assertEqual(result["after_call_work_seconds"], 60)
        self.assertEqual(result["handle_seconds"], 360)

    def test_durations_of_abandoned_call_count_wait_only(self):
        t0 = datetime(2026, 1, 5, 10, 0, 0)
        result = sm.durations(t0, None, t0 + timedelta(seconds=75), None)
        self.assertEqual(result["wait_seconds"], 75)
        self.assertEqual(result["talk_seconds"], 0)
        self.assertEqual(result["handle_seconds"], 0)
