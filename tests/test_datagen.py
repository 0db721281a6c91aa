"""The data generator: deterministic, plausible, and loadable."""

import os
import sys
from datetime import datetime

from cc_suite_case import SuiteTransactionCase

from odoo.addons.contact_center.tools import datagen
from odoo.addons.contact_center.tools.phone import to_e164

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "bench"))
from generate_data import generate  # noqa: E402

NOW = datetime(2026, 6, 1, 12, 0)


class TestDataGenerator(SuiteTransactionCase):
    def test_same_seed_gives_same_rows(self):
        a = list(datagen.interactions(200, 50, 5, 2, seed=7, now=NOW))
        b = list(datagen.interactions(200, 50, 5, 2, seed=7, now=NOW))
        c = list(datagen.interactions(200, 50, 5, 2, seed=8, now=NOW))
        self.assertEqual(a, b)
        self.assertNotEqual(a, c)
        self.assertEqual(list(datagen.customers(30, 3)), list(datagen.customers(30, 3)))

    def test_written_numbers_normalise_to_their_e164(self):
        for customer in datagen.customers(300, seed=2):
            for raw, e164 in (
                (customer["phone"], customer["phone_e164"]),
                (customer["mobile"], customer["mobile_e164"]),
            ):
                if raw:
                    self.assertEqual(to_e164(raw, customer["country_code"]), e164, raw)

    def test_interactions_are_plausible(self):
        rows = list(datagen.interactions(2000, 100, 10, 3, days=90, seed=1, now=NOW))
        channels = {r["channel"] for r in rows}
        self.assertEqual(channels, set(datagen.CHANNELS))
        for r in rows:
            stamps = [
                r[k]
                for k in ("queued_at", "answered_at", "ended_at", "wrap_up_ended_at")
                if r[k]
            ]
            self.assertEqual(stamps, sorted(stamps))
            self.assertLessEqual(stamps[-1], NOW)
            self.assertGreaterEqual((NOW - r["queued_at"]).days, 0)
            self.assertLess((NOW - r["queued_at"]).days, 90)
            self.assertGreaterEqual(r["talk_seconds"], 0)
            if r["state"] == "abandoned":
                self.assertIsNone(r["answered_at"])
                self.assertIsNone(r["agent_index"])
        abandoned = sum(r["state"] == "abandoned" for r in rows) / len(rows)
        self.assertTrue(0.01 < abandoned < 0.15, abandoned)

    def test_presence_periods_follow_each_other(self):
        periods = list(datagen.presence_periods(3, days=14, seed=1, now=NOW))
        for agent in range(3):
            mine = [p for p in periods if p["agent_index"] == agent]
            for prev, nxt in zip(mine, mine[1:], strict=False):
                self.assertEqual(prev["end_at"], nxt["start_at"])
                self.assertNotEqual(prev["state"], nxt["state"])
            self.assertIsNone(mine[-1]["end_at"])

    def test_loader_fills_a_database_that_the_orm_reads(self):
        counts = generate(self.env, partners=40, interactions=300, teams=2, agents=4)
        self.assertEqual((counts["customers"], counts["interactions"]), (40, 300))
        self.env.invalidate_all()
        calls = self.env["contact_center.interaction"].search(
            [("agent_id.user_id.login", "=like", "cc_gen_agent_%")]
        )
        self.assertTrue(calls)
        done = calls.filtered(lambda c: c.state == "done" and c.answered_at)
        self.assertTrue(done)
        # stored durations are those the model computes
        sample = done[0]
        stored = sample.talk_seconds
        sample._compute_durations()
        self.assertEqual(sample.talk_seconds, stored)
        customer = self.env["res.partner"].search(
            [("email", "=like", "%.0@%"), ("cc_phone_e164", "!=", False)], limit=1
        )
        self.assertEqual(
            self.env["res.partner"].cc_find_by_phone(
                customer.phone, customer.country_id.code
            ),
            customer,
        )
        agent = self.env["contact_center.agent"].search(
            [("user_id.login", "=like", "cc_gen_agent_%")], limit=1
        )
        open_periods = agent.presence_ids.filtered(lambda p: not p.end_at)
        self.assertEqual(len(open_periods), 1)
        self.assertEqual(agent.presence, open_periods.state)
