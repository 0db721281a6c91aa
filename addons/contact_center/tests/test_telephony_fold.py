"""Who answered a call and when an agent was connected, from its events."""

from datetime import datetime, timedelta

from odoo.tests import BaseCase, tagged

from ..tools import telephony

T0 = datetime(2026, 3, 2, 9, 0, 0)


def event(n, kind, seconds, **extra):
    """An event as the PBX sends it, ``seconds`` after T0."""
    return {
        "id": f"e{n}",
        "call_id": "c1",
        "type": kind,
        "at": (T0 + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        **extra,
    }


@tagged("post_install", "-at_install")
class TestAnsweredBy(BaseCase):
    def test_answered_by_is_kept_in_the_event(self):
        (parsed,) = telephony.validate_events(
            event(1, "answered", 5, answered_by="machine")
        )
        self.assertEqual(parsed["answered_by"], "machine")

    def test_event_without_answered_by_has_none(self):
        (parsed,) = telephony.validate_events(event(1, "answered", 5))
        self.assertIsNone(parsed["answered_by"])

    def test_unknown_answered_by_is_refused_naming_the_field(self):
        payload = {"events": [event(1, "answered", 5, answered_by="robot")]}
        with self.assertRaises(telephony.PayloadError) as caught:
            telephony.validate_events(payload)
        self.assertEqual(caught.exception.field, "events[0].answered_by")
        self.assertIn("robot", str(caught.exception))

    def test_inbound_call_answered_by_agent_is_connected_when_answered(self):
        events = telephony.validate_events(
            {
                "events": [
                    event(1, "queued", 0),
                    event(2, "ringing", 10, agent="201"),
                    event(3, "answered", 14, agent="201"),
                    event(4, "ended", 70),
                ]
            }
        )
        (leg,) = telephony.fold_call(events)
        self.assertEqual(leg.answered_at, datetime(2026, 3, 2, 9, 0, 14))
        self.assertEqual(leg.connected_at, datetime(2026, 3, 2, 9, 0, 14))
        self.assertIsNone(leg.answered_by)

    def test_dialer_call_is_answered_by_person_then_connected_to_agent(self):
        events = telephony.validate_events(
            {
                "events": [
                    event(1, "ringing", 0, direction="outbound"),
                    event(2, "answered", 8, answered_by="human", direction="outbound"),
                    event(3, "answered", 11, agent="201", direction="outbound"),
                    event(4, "ended", 90, direction="outbound"),
                ]
            }
        )
        (leg,) = telephony.fold_call(events)
        self.assertEqual(leg.answered_at, datetime(2026, 3, 2, 9, 0, 8))
        self.assertEqual(leg.connected_at, datetime(2026, 3, 2, 9, 0, 11))
        self.assertEqual(leg.answered_by, "human")
        self.assertEqual(leg.agent, "201")
        self.assertEqual(leg.state(), "wrap_up")

    def test_machine_answer_without_agent_is_never_connected(self):
        events = telephony.validate_events(
            {
                "events": [
                    event(1, "ringing", 0),
                    event(2, "answered", 6, answered_by="machine"),
                    event(3, "ended", 9),
                ]
            }
        )
        (leg,) = telephony.fold_call(events)
        self.assertEqual(leg.answered_by, "machine")
        self.assertEqual(leg.answered_at, datetime(2026, 3, 2, 9, 0, 6))
        self.assertIsNone(leg.connected_at)

    def test_events_stored_before_answered_by_existed_still_fold(self):
        # an event stored raw by an older version has no answered_by key
        (parsed,) = telephony.validate_events(event(1, "answered", 5, agent="201"))
        del parsed["answered_by"]
        (leg,) = telephony.fold_call([parsed])
        self.assertIsNone(leg.answered_by)
        self.assertEqual(leg.connected_at, datetime(2026, 3, 2, 9, 0, 5))
