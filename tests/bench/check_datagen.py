#!/usr/bin/env python3
"""Self-check of the benchmark data generator (not part of the test suite).

    python3 tests/bench/check_datagen.py              # the generator alone
    python3 tests/bench/check_datagen.py -d DB        # and its loader, rolled back

The generator must be deterministic (same seed, same rows) and plausible
(ordered timestamps, valid phone numbers); the loader must leave rows that the
ORM reads back as it would have computed them. Run it after changing
``datagen.py`` or ``generate_data.py``; it prints what it checked and exits
non-zero on the first failure.
"""

import sys
from datetime import datetime

from _odoo_env import argument_parser, configure, environment

NOW = datetime(2026, 6, 1, 12, 0)


def check_same_seed_gives_same_rows(datagen):
    a = list(datagen.interactions(200, 50, 5, 2, seed=7, now=NOW))
    b = list(datagen.interactions(200, 50, 5, 2, seed=7, now=NOW))
    c = list(datagen.interactions(200, 50, 5, 2, seed=8, now=NOW))
    assert a == b, "the same seed gave different interactions"
    assert a != c, "two seeds gave the same interactions"
    assert list(datagen.customers(30, 3)) == list(datagen.customers(30, 3))


def check_written_numbers_normalise_to_their_e164(datagen):
    from odoo.addons.contact_center.tools.phone import to_e164  # noqa: PLC0415

    for customer in datagen.customers(300, seed=2):
        for raw, e164 in (
            (customer["phone"], customer["phone_e164"]),
            (customer["mobile"], customer["mobile_e164"]),
        ):
            if raw:
                got = to_e164(raw, customer["country_code"])
                assert got == e164, f"{raw!r} gives {got}, not {e164}"


def check_interactions_are_plausible(datagen):
    rows = list(datagen.interactions(2000, 100, 10, 3, days=90, seed=1, now=NOW))
    assert {r["channel"] for r in rows} == set(datagen.CHANNELS)
    for r in rows:
        keys = ("queued_at", "answered_at", "ended_at", "wrap_up_ended_at")
        stamps = [r[k] for k in keys if r[k]]
        assert stamps == sorted(stamps), r
        assert stamps[-1] <= NOW, r
        assert 0 <= (NOW - r["queued_at"]).days < 90, r
        assert r["talk_seconds"] >= 0, r
        if r["state"] == "abandoned":
            assert r["answered_at"] is None and r["agent_index"] is None, r
    abandoned = sum(r["state"] == "abandoned" for r in rows) / len(rows)
    assert 0.01 < abandoned < 0.15, abandoned


def check_presence_periods_follow_each_other(datagen):
    periods = list(datagen.presence_periods(3, days=14, seed=1, now=NOW))
    for agent in range(3):
        mine = [p for p in periods if p["agent_index"] == agent]
        for prev, nxt in zip(mine, mine[1:], strict=False):
            assert prev["end_at"] == nxt["start_at"], (prev, nxt)
            assert prev["state"] != nxt["state"], (prev, nxt)
        assert mine[-1]["end_at"] is None, mine[-1]


def check_loader_fills_a_database_that_the_orm_reads(env):
    from generate_data import generate  # noqa: PLC0415

    counts = generate(env, partners=40, interactions=300, teams=2, agents=4)
    assert (counts["customers"], counts["interactions"]) == (40, 300), counts
    env.invalidate_all()
    calls = env["contact_center.interaction"].search(
        [("agent_id.user_id.login", "=like", "cc_gen_agent_%")]
    )
    done = calls.filtered(lambda c: c.state == "done" and c.answered_at)
    assert done, "no finished call was generated"
    sample = done[0]
    stored = sample.talk_seconds
    sample._compute_durations()
    assert sample.talk_seconds == stored, "stored durations differ from the model's"
    customer = env["res.partner"].search(
        [("email", "=like", "%.0@%"), ("cc_phone_e164", "!=", False)], limit=1
    )
    found = env["res.partner"].cc_find_by_phone(
        customer.phone, customer.country_id.code
    )
    assert found == customer, (customer.phone, found)
    agent = env["contact_center.agent"].search(
        [("user_id.login", "=like", "cc_gen_agent_%")], limit=1
    )
    open_periods = agent.presence_ids.filtered(lambda p: not p.end_at)
    assert len(open_periods) == 1, open_periods
    assert agent.presence == open_periods.state


def main():
    args = argument_parser(
        __doc__.splitlines()[0], database_required=False
    ).parse_args()
    configure(args)
    import datagen  # noqa: PLC0415 - needs the addons path set up first

    checks = [
        check_same_seed_gives_same_rows,
        check_written_numbers_normalise_to_their_e164,
        check_interactions_are_plausible,
        check_presence_periods_follow_each_other,
    ]
    for check in checks:
        check(datagen)
        print(f"ok  {check.__name__}")
    if args.database:
        with environment(args) as env:
            try:
                check_loader_fills_a_database_that_the_orm_reads(env)
            finally:
                env.cr.rollback()  # leave the database as it was
        print("ok  check_loader_fills_a_database_that_the_orm_reads (rolled back)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
