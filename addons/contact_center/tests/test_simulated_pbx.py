"""The simulated PBX: the calls it plans, the events it makes up, and the
events it reports to Odoo's own telephony API over HTTP."""

import random
import time
from collections import Counter
from datetime import datetime, timedelta

from odoo.exceptions import ValidationError
from odoo.tests import BaseCase, HttpCase, TransactionCase, new_test_user, tagged

from ..tools import simulated_pbx, telephony
from ..tools.simulated_pbx import CallPlan, SimProfile
from ..tools.telephony_connectors import SIMULATED_CALLS

T0 = datetime(2026, 3, 2, 9, 0, 0)
NUMBER = "+32470123456"


def outcome_events(plan):
    """The dial events of ``plan`` as {type: (delay, event)}, by last of a type."""
    return {
        event["type"]: (delay, event)
        for delay, event in simulated_pbx.dial_events("c1", NUMBER, plan, T0)
    }


@tagged("post_install", "-at_install")
class TestSimulatedPbxEngine(BaseCase):
    def test_fates_follow_the_profile(self):
        profile = SimProfile(
            human_percent=50, machine_percent=20, busy_percent=10, failed_percent=5
        )
        rng = random.Random(42)
        counts = Counter(
            simulated_pbx.plan_call(rng, profile, 30).outcome for _ in range(10000)
        )
        # 10 000 calls: each share within 1.5 points of the profile's
        expected = {
            "human": 5000,
            "machine": 2000,
            "busy": 1000,
            "failed": 500,
            "no_answer": 1500,
        }
        for outcome, count in expected.items():
            with self.subTest(outcome=outcome):
                self.assertAlmostEqual(counts[outcome], count, delta=150)

    def test_answered_calls_ring_and_talk_within_the_profile(self):
        profile = SimProfile(
            human_percent=100,
            machine_percent=0,
            busy_percent=0,
            ring_min_seconds=3,
            ring_max_seconds=12,
            talk_min_seconds=20,
            talk_max_seconds=40,
        )
        rng = random.Random(7)
        plans = [simulated_pbx.plan_call(rng, profile, 30) for _ in range(500)]
        self.assertEqual({plan.outcome for plan in plans}, {"human"})
        self.assertEqual(min(p.ring_seconds for p in plans), 3)
        self.assertEqual(max(p.ring_seconds for p in plans), 12)
        self.assertGreaterEqual(min(p.talk_seconds for p in plans), 20)
        self.assertLessEqual(max(p.talk_seconds for p in plans), 40)

    def test_answer_comes_within_the_ring_limit(self):
        profile = SimProfile(
            human_percent=100, ring_min_seconds=10, ring_max_seconds=60
        )
        rng = random.Random(3)
        rings = {
            simulated_pbx.plan_call(rng, profile, 15).ring_seconds for _ in range(200)
        }
        self.assertLessEqual(max(rings), 15)

    def test_unanswered_call_rings_out_after_the_ring_limit(self):
        profile = SimProfile(human_percent=0, machine_percent=0, busy_percent=0)
        plan = simulated_pbx.plan_call(random.Random(1), profile, 25)
        self.assertEqual(plan.outcome, "no_answer")
        events = outcome_events(plan)
        self.assertEqual(events["ringing"][0], 0)
        delay, ended = events["ended"]
        self.assertEqual(delay, 25)
        self.assertEqual(ended["cause"], "no_answer")
        self.assertEqual(ended["at"], "2026-03-02T09:00:25Z")
        self.assertNotIn("answered", events)

    def test_busy_line_is_reported_after_one_second(self):
        profile = SimProfile(human_percent=0, machine_percent=0, busy_percent=100)
        plan = simulated_pbx.plan_call(random.Random(1), profile, 30)
        delay, ended = outcome_events(plan)["ended"]
        self.assertEqual((delay, ended["cause"]), (1, "busy"))

    def test_failed_call_ends_at_once(self):
        profile = SimProfile(
            human_percent=0, machine_percent=0, busy_percent=0, failed_percent=100
        )
        plan = simulated_pbx.plan_call(random.Random(1), profile, 30)
        delay, ended = outcome_events(plan)["ended"]
        self.assertEqual((delay, ended["cause"]), (0, "failed"))

    def test_person_answers_after_ring_and_hangs_up_unbridged_after_talk(self):
        events = outcome_events(CallPlan("human", ring_seconds=7, talk_seconds=40))
        delay, answered = events["answered"]
        self.assertEqual(delay, 7)
        self.assertEqual(answered["answered_by"], "human")
        self.assertNotIn("agent", answered)
        self.assertEqual(events["ended"][0], 47)

    def test_machine_call_ends_after_a_few_seconds(self):
        events = outcome_events(CallPlan("machine", ring_seconds=4, talk_seconds=90))
        self.assertEqual(events["answered"][1]["answered_by"], "machine")
        self.assertLessEqual(events["ended"][0] - 4, 10)

    def test_events_pass_the_api_validation_with_unique_ids(self):
        plan = CallPlan("human", ring_seconds=5, talk_seconds=30)
        events = [
            *simulated_pbx.dial_events("c1", NUMBER, plan, T0, caller_id="+3222"),
            *simulated_pbx.bridge_events("c1", "201", 30, T0, number=NUMBER),
            *simulated_pbx.play_message_events("c1", T0),
            *simulated_pbx.hangup_events("c1", T0),
            *simulated_pbx.originate_events("c2", "201", NUMBER, plan, T0),
        ]
        parsed = telephony.validate_events({"events": [e for _d, e in events]})
        ids = [event["id"] for event in parsed]
        self.assertEqual(len(ids), len(set(ids)))
        self.assertEqual({e["direction"] for e in parsed}, {"outbound"})
        self.assertEqual(parsed[0]["called"], NUMBER)
        self.assertEqual(parsed[0]["caller"], "+3222")

    def test_bridged_call_is_connected_and_folds_with_the_dial(self):
        plan = CallPlan("human", ring_seconds=5, talk_seconds=30)
        dial = simulated_pbx.dial_events("c1", NUMBER, plan, T0)[:2]  # ring, answer
        bridge = simulated_pbx.bridge_events(
            "c1", "201", 60, datetime(2026, 3, 2, 9, 0, 8), number=NUMBER
        )
        events = telephony.validate_events({"events": [e for _d, e in dial + bridge]})
        (leg,) = telephony.fold_call(events)
        self.assertEqual(leg.answered_by, "human")
        self.assertEqual(leg.answered_at, datetime(2026, 3, 2, 9, 0, 5))
        self.assertEqual(leg.connected_at, datetime(2026, 3, 2, 9, 0, 8))
        self.assertEqual(leg.ended_at, datetime(2026, 3, 2, 9, 1, 8))
        self.assertEqual(leg.agent, "201")

    def test_click_to_dial_rings_the_agent_first(self):
        plan = CallPlan("human", ring_seconds=4, talk_seconds=50)
        ringing, answered, ended = simulated_pbx.originate_events(
            "c2", "201", NUMBER, plan, T0
        )
        self.assertEqual((ringing[0], ringing[1]["agent"]), (0, "201"))
        self.assertEqual((answered[0], answered[1]["agent"]), (4, "201"))
        self.assertEqual(ended[0], 54)

    def test_profile_problems(self):
        self.assertEqual(SimProfile().problems(), [])
        self.assertEqual(
            SimProfile(human_percent=80, machine_percent=30).problems(),
            ["percent_sum"],
        )
        self.assertEqual(SimProfile(busy_percent=-1).problems(), ["percent_range"])
        self.assertEqual(
            SimProfile(ring_min_seconds=9, ring_max_seconds=5).problems(), ["ring"]
        )


@tagged("post_install", "-at_install")
class TestSimulatedProvider(TransactionCase):
    def _provider(self, **vals):
        return self.env["contact_center.telephony.provider"].create(
            {"name": "Demo PBX", "code": "sim-check", "connector": "simulated", **vals}
        )

    def test_percentages_over_100_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "add up to 100 at most"):
            self._provider(sim_human_percent=70, sim_machine_percent=40)

    def test_percentage_out_of_range_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self._provider(sim_busy_percent=-5)

    def test_shortest_talk_longer_than_longest_is_refused(self):
        provider = self._provider()
        with self.assertRaisesRegex(ValidationError, "shortest talk time"):
            provider.sim_talk_min_seconds = 200

    def test_connector_url_defaults_to_the_database_url(self):
        self.env["ir.config_parameter"].set_param(
            "web.base.url", "http://odoo.example.com"
        )
        connector = self._provider()._connector()
        self.assertEqual(
            connector.events_url,
            "http://odoo.example.com/contact_center/telephony/v1/events",
        )


@tagged("post_install", "-at_install")
class TestSimulatedPbxOverHttp(HttpCase):
    """The simulated PBX reports its calls through the signed events API."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls.env["contact_center.telephony.provider"].create(
            {
                "name": "Demo PBX",
                "code": "sim-pbx",
                "secret": "secret-of-the-simulated-pbx",
                "connector": "simulated",
                "sim_human_percent": 0,
                "sim_machine_percent": 0,
                "sim_busy_percent": 100,
                "sim_failed_percent": 0,
            }
        )

    def _call(self, external_id):
        return self.env["contact_center.interaction"].create(
            {
                "channel": "phone",
                "direction": "outbound",
                "state": "queued",
                "phone": NUMBER,
                "provider": "sim-pbx",
                "external_id": external_id,
            }
        )

    def setUp(self):
        super().setUp()
        self.provider.connector_url = self.base_url()
        # no event of this test may reach Odoo after it
        self.addCleanup(SIMULATED_CALLS.cancel_all)

    def _wait_for_state(self, call, state, timeout=15):
        """Poll the interaction while the PBX's events arrive over HTTP.

        The HTTP server's requests share this test's cursor, one at a time
        under the registry's test lock: read under it too, between them.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.registry.test_lock:
                self.env.invalidate_all()
                current = call.state
            if current == state:
                return
            time.sleep(0.2)
        self.fail(f"the call is {current} after {timeout} s, not {state}")

    def test_busy_call_is_reported_missed_through_the_api(self):
        call = self._call("sim-call-1")
        self.assertEqual(
            self.provider._dial(NUMBER, call, ring_seconds=20), "sim-call-1"
        )
        self._wait_for_state(call, "missed")
        events = self.env["contact_center.telephony.event"].search(
            [("provider_id", "=", self.provider.id), ("call_id", "=", "sim-call-1")]
        )
        self.assertEqual(sorted(events.mapped("event_type")), ["ended", "ringing"])
        self.assertEqual(set(events.mapped("state")), {"done"})
        ended = events.filtered(lambda e: e.event_type == "ended")
        self.assertEqual(ended.payload["cause"], "busy")
        self.assertTrue(call.ended_at)
        self.assertFalse(call.answered_at)

    def test_answered_call_bridged_to_agent_reaches_wrap_up(self):
        self.provider.write(
            {
                "sim_human_percent": 100,
                "sim_busy_percent": 0,
                "sim_ring_min_seconds": 1,
                "sim_ring_max_seconds": 1,
                "sim_talk_min_seconds": 2,
                "sim_talk_max_seconds": 2,
            }
        )
        user = new_test_user(
            self.env, "cc_sim_ann", groups="contact_center.group_contact_center_agent"
        )
        agent = self.env["contact_center.agent"].create(
            {"user_id": user.id, "extension": "2901"}
        )
        call = self._call("sim-call-2")
        self.provider._dial(NUMBER, call)
        # the person picks up: answered, nobody on it yet
        self._wait_for_state(call, "in_progress")
        self.assertFalse(call.agent_id)
        with self.registry.test_lock:
            self.provider._bridge(call, agent)
        self._wait_for_state(call, "wrap_up")
        self.assertEqual(call.agent_id, agent)
        # answered a second after the dial, then two seconds with the agent
        self.assertGreaterEqual(call.talk_seconds, 2)
        self.assertGreaterEqual(call.ended_at - call.queued_at, timedelta(seconds=3))
