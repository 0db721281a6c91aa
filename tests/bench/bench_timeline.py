#!/usr/bin/env python3
"""Benchmark the customer timeline and the caller-ID look-up.

    python3 tests/bench/bench_timeline.py -d DB

On an installed database, makes sure there are at least 200,000 customers and
1,000,000 interactions (generating what is missing) and one customer with
200,000 interactions and 50,000 chatter messages, then prints, in ms:
  (a) the timeline's first page and a page 150,000 entries deep, against the
      naive way measured in the same run (search_read every source, merge and
      sort in Python, slice);
  (b) caller-ID look-up of E.164 numbers among the customers' phone and
      mobile numbers, against matching the raw (unindexed) columns.
Figures only: nothing here asserts a timing.
"""

import random
import statistics
import time
from datetime import datetime, timedelta

from _odoo_env import argument_parser, environment
from generate_data import _copy, generate

HEAVY_EMAIL = "heavy.customer@bench.example"
PAGE = 40


def timed(fn, runs, env):
    samples = []
    result = None
    for _ in range(runs):
        env.invalidate_all()
        start = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples, result


def stats(samples):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered), p95


def ensure_volume(env, partners, interactions, seed):
    cr = env.cr
    cr.execute("SELECT COUNT(*) FROM res_partner WHERE cc_phone_e164 IS NOT NULL")
    (have_partners,) = cr.fetchone()
    cr.execute("SELECT COUNT(*) FROM contact_center_interaction")
    (have_interactions,) = cr.fetchone()
    missing_p = max(0, partners - have_partners)
    missing_i = max(0, interactions - have_interactions)
    if missing_p or missing_i:
        print(f"generating {missing_p} customers and {missing_i} interactions...")
        counts = generate(env, missing_p, missing_i, seed=seed)
        print(f"  done in {counts['seconds']} s")
        env.cr.commit()


def ensure_heavy_customer(env, n_interactions, n_messages, seed):
    cr = env.cr
    heavy = env["res.partner"].search([("email", "=", HEAVY_EMAIL)], limit=1)
    if heavy:
        return heavy
    print(
        f"creating the heavy customer: {n_interactions} interactions, {n_messages} messages..."
    )
    started = time.perf_counter()
    heavy = env["res.partner"].create(
        {"name": "Heavy Customer (benchmark)", "email": HEAVY_EMAIL}
    )
    leads = env["crm.lead"].create(
        [{"name": f"Bench deal {i}", "partner_id": heavy.id} for i in range(3)]
    )
    generate(env, 0, 0, seed=seed)  # teams and agents exist
    import datagen  # noqa: PLC0415 - needs the addons path set up first

    agents = env["contact_center.agent"].search([], limit=60)
    rnd = random.Random(f"heavy-{seed}")
    now = datetime.now().replace(microsecond=0)
    columns = (
        "name", "channel", "direction", "state", "company_id", "partner_id",
        "agent_id", "user_id", "queued_at", "answered_at", "ended_at",
        "wrap_up_ended_at", "hold_seconds", "wait_seconds", "talk_seconds",
        "after_call_work_seconds", "handle_seconds", "is_resolved",
        "create_uid", "write_uid", "create_date", "write_date",
    )  # fmt: skip

    def interaction_rows():
        for _ in range(n_interactions):
            r = datagen.interaction(rnd, now, 365, 0, len(agents), 0)
            agent = agents[r["agent_index"]] if r["agent_index"] is not None else None
            yield (
                r["name"], r["channel"], r["direction"], r["state"], env.company.id,
                heavy.id, agent.id if agent else None,
                agent.user_id.id if agent else None, r["queued_at"], r["answered_at"],
                r["ended_at"], r["wrap_up_ended_at"], r["hold_seconds"],
                r["wait_seconds"], r["talk_seconds"], r["after_call_work_seconds"],
                r["handle_seconds"], r["is_resolved"], 1, 1, r["queued_at"],
                r["queued_at"],
            )  # fmt: skip

    _copy(cr, "contact_center_interaction", columns, interaction_rows())
    note = env.ref("mail.mt_note").id
    comment = env.ref("mail.mt_comment").id
    author = env.user.partner_id.id

    def message_rows():
        for i in range(n_messages):
            at = now - timedelta(seconds=rnd.randint(0, 365 * 86400))
            kind = rnd.random()
            model, res_id = "res.partner", heavy.id
            if i % 100 == 0:
                model, res_id = "crm.lead", leads[i % 3].id
            if kind < 0.5:
                mtype, subtype, author_id = "email", comment, heavy.id
            elif kind < 0.8:
                mtype, subtype, author_id = "comment", comment, author
            else:
                mtype, subtype, author_id = "comment", note, author
            yield (
                model, res_id, mtype, subtype, author_id, at,
                f"<p>Message {i} about order {rnd.randint(1000, 9999)}</p>",
                f"Subject {i}", 1, 1, at, at,
            )  # fmt: skip

    _copy(
        cr,
        "mail_message",
        ("model", "res_id", "message_type", "subtype_id", "author_id", "date",
         "body", "subject", "create_uid", "write_uid", "create_date", "write_date"),
        message_rows(),
    )  # fmt: skip
    for table in ("contact_center_interaction", "mail_message"):
        cr.execute(f"ANALYZE {table}")  # constant table names
    cr.commit()
    print(f"  done in {time.perf_counter() - started:.1f} s")
    return heavy


def naive_page(env, partner, skip, limit):
    """The naive timeline: read every source whole, merge, sort, slice."""
    interactions = env["contact_center.interaction"].search_read(
        [("partner_id", "=", partner.id)],
        ["queued_at", "channel", "direction", "name", "note", "agent_id",
         "talk_seconds", "handle_seconds", "disposition_id", "state", "recording_url"],
    )  # fmt: skip
    lead_ids = env["crm.lead"].search([("partner_id", "=", partner.id)]).ids
    fields = ["date", "message_type", "subtype_id", "subject", "record_name", "body",
              "author_id", "email_from", "model", "res_id"]  # fmt: skip
    messages = env["mail.message"].search_read(
        [("model", "=", "res.partner"), ("res_id", "=", partner.id),
         ("message_type", "in", ["email", "email_outgoing", "comment"])],
        fields,
    ) + env["mail.message"].search_read(
        [("model", "=", "crm.lead"), ("res_id", "in", lead_ids),
         ("message_type", "in", ["email", "email_outgoing", "comment"])],
        fields,
    )  # fmt: skip
    rows = [(i["queued_at"], 30, i["id"], i) for i in interactions]
    rows += [
        (m["date"], 20 if m["model"] == "res.partner" else 10, m["id"], m)
        for m in messages
    ]
    rows.sort(key=lambda r: (r[0], r[1], r[2]), reverse=True)
    return rows[skip : skip + limit]


def deep_cursor(env, partner, depth):
    """The cursor after the first ``depth`` entries of the timeline."""
    from odoo.addons.contact_center.tools import keyset  # noqa: PLC0415

    lead_ids = tuple(env["crm.lead"].search([("partner_id", "=", partner.id)]).ids) or (
        0,
    )
    env.cr.execute(
        """
        SELECT at, rank, id FROM (
            SELECT queued_at AS at, 30 AS rank, id FROM contact_center_interaction
             WHERE partner_id = %(p)s
            UNION ALL
            SELECT date, 20, id FROM mail_message
             WHERE model = 'res.partner' AND res_id = %(p)s
               AND message_type IN ('email', 'email_outgoing', 'comment')
            UNION ALL
            SELECT date, 10, id FROM mail_message
             WHERE model = 'crm.lead' AND res_id IN %(leads)s
               AND message_type IN ('email', 'email_outgoing', 'comment')
        ) t ORDER BY at DESC, rank DESC, id DESC OFFSET %(skip)s LIMIT 1
        """,
        {"p": partner.id, "leads": lead_ids, "skip": depth - 1},
    )
    return keyset.encode(*env.cr.fetchone())


def bench_timeline(env, heavy, runs):
    Timeline = env["contact_center.timeline"]
    depth = 150_000
    cursor = deep_cursor(env, heavy, depth)
    first, first_page = timed(
        lambda: Timeline.get_page(heavy.id, limit=PAGE), runs, env
    )
    deep, deep_page = timed(
        lambda: Timeline.get_page(heavy.id, cursor=cursor, limit=PAGE), runs, env
    )
    naive_runs = max(3, runs // 5)
    naive_first, naive_first_page = timed(
        lambda: naive_page(env, heavy, 0, PAGE), naive_runs, env
    )
    naive_deep, naive_deep_page = timed(
        lambda: naive_page(env, heavy, depth, PAGE), naive_runs, env
    )

    def keys(entries):
        return [e["key"].rsplit("-", 1)[1] for e in entries]

    same_first = keys(first_page["entries"]) == [str(r[2]) for r in naive_first_page]
    same_deep = keys(deep_page["entries"]) == [str(r[2]) for r in naive_deep_page]
    return {
        "first": (stats(first), stats(naive_first), same_first),
        "deep": (stats(deep), stats(naive_deep), same_deep),
    }


def bench_caller_id(env, lookups, seed):
    rnd = random.Random(f"callerid-{seed}")
    cr = env.cr
    cr.execute(
        """
        SELECT p.phone, p.mobile, p.cc_phone_e164, p.cc_mobile_e164, c.code
          FROM res_partner p LEFT JOIN res_country c ON c.id = p.country_id
         WHERE p.cc_phone_e164 IS NOT NULL
         ORDER BY p.id
        """
    )
    rows = cr.fetchall()
    sample = [rows[rnd.randrange(len(rows))] for _ in range(lookups)]
    Partner = env["res.partner"]
    indexed, baseline, sql = [], [], []
    misses = 0
    for phone, mobile, phone_e164, mobile_e164, country in sample:
        raw, e164 = (
            (mobile, mobile_e164)
            if mobile and rnd.random() < 0.5
            else (phone, phone_e164)
        )
        env.invalidate_all()
        t0 = time.perf_counter()
        found = Partner.cc_find_by_phone(raw, country)
        indexed.append((time.perf_counter() - t0) * 1000)
        misses += not found
        t0 = time.perf_counter()
        cr.execute(
            "SELECT id FROM res_partner WHERE cc_phone_e164 = %s OR cc_mobile_e164 = %s",
            (e164, e164),
        )
        cr.fetchall()
        sql.append((time.perf_counter() - t0) * 1000)
        if len(baseline) < 30:
            env.invalidate_all()
            t0 = time.perf_counter()
            Partner.search(["|", ("phone", "=", raw), ("mobile", "=", raw)])
            baseline.append((time.perf_counter() - t0) * 1000)
    return stats(indexed), stats(sql), stats(baseline), misses


def main():
    parser = argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=200_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--heavy-interactions", type=int, default=200_000)
    parser.add_argument("--heavy-messages", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with environment(args) as env:
        ensure_volume(env, args.partners, args.interactions, args.seed)
        heavy = ensure_heavy_customer(
            env, args.heavy_interactions, args.heavy_messages, args.seed
        )
    with environment(args, uid=2) as env:  # the admin user, with access rules
        cr = env.cr
        cr.execute("SELECT COUNT(*) FROM res_partner")
        (n_partners,) = cr.fetchone()
        cr.execute("SELECT COUNT(*) FROM contact_center_interaction")
        (n_interactions,) = cr.fetchone()
        cr.execute(
            "SELECT COUNT(*) FROM contact_center_interaction WHERE partner_id = %s",
            (heavy.id,),
        )
        (h_int,) = cr.fetchone()
        cr.execute(
            "SELECT COUNT(*) FROM mail_message WHERE model = 'res.partner' AND res_id = %s",
            (heavy.id,),
        )
        (h_msg,) = cr.fetchone()
        print(
            f"\ndatabase: {n_partners} partners, {n_interactions} interactions; "
            f"heavy customer: {h_int} interactions, {h_msg} messages on the partner\n"
        )
        timeline = bench_timeline(env, heavy, args.runs)
        caller = bench_caller_id(env, args.lookups, args.seed)
    print(
        f"{'measure':<42}{'median ms':>11}{'p95 ms':>9}{'baseline ms':>13}{'ratio':>9}"
    )
    for label, key in (
        ("timeline first page (40)", "first"),
        ("timeline page 150,000 deep (40)", "deep"),
    ):
        (med, p95), (b_med, _b95), same = timeline[key]
        print(
            f"{label:<42}{med:>11.2f}{p95:>9.2f}{b_med:>13.1f}{b_med / med:>8.0f}x"
            f"   same entries as naive: {'yes' if same else 'NO'}"
        )
    (med, p95), (s_med, s_p95), (b_med, _b95), misses = caller
    print(
        f"{'caller-ID look-up (cc_find_by_phone)':<42}{med:>11.2f}{p95:>9.2f}{b_med:>13.1f}{b_med / med:>8.0f}x"
    )
    print(f"{'  of which the indexed SQL alone':<42}{s_med:>11.2f}{s_p95:>9.2f}")
    print("\nbaselines: timeline = search_read of every source, merged and sorted in")
    print("Python; caller-ID = search on the raw phone/mobile columns (no index).")
    print(f"caller-ID look-ups that found no partner: {misses} of {args.lookups}")


if __name__ == "__main__":
    main()
