#!/usr/bin/env python3
"""Selecting and sending survey invitations for the contacts of the last hour.

    python3 tests/bench/bench_survey.py -d DB [--interactions 10000] [--repeat 3]

Creates once (committed) ``--interactions`` customers with an email address,
a mobile number and a time zone. Each run then, in a transaction rolled back
at the end:

- inserts ``--interactions`` phone calls ended (wrapped up) in the last hour,
  one per customer, handled by 20 agents of one team;
- the floor: ``survey.user_input.create`` of as many plain responses to the
  CSAT survey in one batch (partner and email set), in the default context
  as Odoo's own survey invitation does, and again with ``tracking_disable``
  (no chatter logging: a faster floor, printed for comparison); rolled back
  to a savepoint;
- the product: a CSAT rule on ended calls (email, at once, throttling on:
  not twice in 7 days, at most 2 a month; quiet hours 21:00-08:00 in each
  customer's time zone, all of them in daytime here; a generated incentive
  code) and one cron run: the contacts selected in SQL, the engine (sampling,
  exclusions, channel, throttling, quiet hours) run on each, the invitations
  created in batch, then sent: the invitation email rendered per customer
  (one-click score buttons, code, opt-out) and queued as ``mail.mail``.

Prints both rates (invitations per second), the ratio product/floor, the
split between selecting + planning and sending, and the queries spent.
Target (issue 16): ratio under 3.
"""

import statistics
import time
from datetime import datetime, timedelta

from _odoo_env import argument_parser, environment

REF = "bench-survey"
AGENTS = 20
ZONES = ("Europe/Brussels", "Europe/Paris", "Europe/London", "UTC")


def _ensure_customers(env, count):
    Partner = env["res.partner"].with_context(tracking_disable=True)
    have = Partner.search_count([("ref", "=like", f"{REF}-%")])
    if have >= count:
        return
    Partner.create(
        [
            {
                "name": f"Survey customer {n}",
                "ref": f"{REF}-{n}",
                "email": f"survey.customer.{n}@example.com",
                "mobile": f"+3247{n % 10}{n:06d}"[:12],
                "tz": ZONES[n % len(ZONES)],
            }
            for n in range(have, count)
        ]
    )
    env.cr.commit()
    print(f"created {count - have} customers (committed, kept for later runs)")


def _desk(env):
    Users = env["res.users"].with_context(no_reset_password=True)
    team = env["contact_center.team"].search([("name", "=", "Bench surveys")], limit=1)
    if team:
        return team, team.member_ids
    users = Users.create(
        [
            {"name": f"Survey agent {n}", "login": f"bench.survey.agent.{n}"}
            for n in range(AGENTS)
        ]
    )
    agents = env["contact_center.agent"].create([{"user_id": u.id} for u in users])
    team = env["contact_center.team"].create(
        {"name": "Bench surveys", "member_ids": [(6, 0, agents.ids)]}
    )
    env.cr.commit()
    return team, agents


def _insert_calls(env, count, team, agents, now):
    """``count`` calls ended in the last hour, one per bench customer."""
    env.cr.execute(
        """
        WITH customers AS (
            SELECT id, row_number() OVER (ORDER BY id) - 1 AS n
              FROM res_partner WHERE ref LIKE %(ref)s
          ORDER BY id LIMIT %(count)s
        )
        INSERT INTO contact_center_interaction
               (name, channel, direction, state, company_id, partner_id,
                team_id, agent_id, queued_at, answered_at, ended_at,
                wrap_up_ended_at, talk_seconds, handle_seconds, create_uid,
                create_date, write_uid, write_date)
        SELECT 'Bench call ' || c.n, 'phone', 'inbound', 'done', %(company)s,
               c.id, %(team)s, (%(agents)s)[1 + c.n %% %(agent_count)s],
               e - interval '5 minutes', e - interval '4 minutes', e, e,
               240, 300, 1, %(now)s, 1, %(now)s
          FROM customers c,
               LATERAL (SELECT %(now)s - (c.n * interval '3599 seconds')
                               / %(count)s - interval '1 second' AS e) t
        """,
        {
            "ref": f"{REF}-%",
            "count": count,
            "company": env.company.id,
            "team": team.id,
            "agents": agents.ids,
            "agent_count": len(agents),
            "now": now,
        },
    )
    env.invalidate_all()


class QueryCounter:
    def __init__(self, cr):
        self.cr = cr

    def __enter__(self):
        self.start = self.cr.sql_log_count
        return self

    def __exit__(self, *exc):
        self.count = self.cr.sql_log_count - self.start


def _floor(env, count, context=None):
    env = env(context=context or {})
    survey = env.ref("contact_center_survey.survey_csat")
    partners = env["res.partner"].search(
        [("ref", "=like", f"{REF}-%")], limit=count, order="id"
    )
    values = [
        {"survey_id": survey.id, "partner_id": p.id, "email": p.email} for p in partners
    ]
    env.flush_all()
    with env.cr.savepoint(flush=False) as savepoint:
        start = time.perf_counter()
        env["survey.user_input"].create(values)
        env.flush_all()
        elapsed = time.perf_counter() - start
        savepoint.rollback()
    env.invalidate_all()
    return elapsed


def _product(env, count, team, now):
    rule = env["contact_center.survey.rule"].create(
        {
            "name": "Bench CSAT",
            "trigger": "call_ended",
            "team_ids": [(6, 0, team.ids)],
            "survey_id": env.ref("contact_center_survey.survey_csat").id,
            "send_channel": "email",
            "quiet_start": 21.0,
            "quiet_end": 8.0,
            "min_days_between": 7,
            "max_per_month": 2,
            "incentive": "generated",
            "incentive_text": "10% off your next order",
            "default_tz": "UTC",
        }
    )
    env.flush_all()
    with env.cr.savepoint(flush=False) as savepoint:
        with QueryCounter(env.cr) as plan_queries:
            start = time.perf_counter()
            invitations = rule._plan(now)
            env.flush_all()
            planned = time.perf_counter()
        with QueryCounter(env.cr) as send_queries:
            sent = env["survey.user_input"]._cc_send_due(now)
            env.flush_all()
            done = time.perf_counter()
        mails = env["mail.mail"].search_count(
            [("model", "=", "survey.user_input"), ("res_id", "in", invitations.ids)]
        )
        result = {
            "planned": len(invitations),
            "sent": len(sent),
            "mails": mails,
            "plan_s": planned - start,
            "send_s": done - planned,
            "total_s": done - start,
            "plan_queries": plan_queries.count,
            "send_queries": send_queries.count,
        }
        savepoint.rollback()
    env.invalidate_all()
    return result


def main():
    parser = argument_parser(__doc__.split("\n\n")[0])
    parser.add_argument("--interactions", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    count = args.interactions
    with environment(args) as env:
        if "contact_center.survey.rule" not in env:
            raise SystemExit("contact_center_survey is not installed")
        _ensure_customers(env, count)
        team, agents = _desk(env)
        # a working day's afternoon in Europe: no customer in quiet hours
        now = datetime.now().replace(hour=14, minute=0, second=0, microsecond=0)
        # other rules of the database stay out of the measure
        env["contact_center.survey.rule"].search([]).active = False
        _insert_calls(env, count, team, agents, now)
        print(f"{count} calls ended in the last hour (rolled back at the end)")
        floors, quiet_floors, products = [], [], []
        for run in range(args.repeat):
            floors.append(_floor(env, count))
            quiet_floors.append(_floor(env, count, {"tracking_disable": True}))
            products.append(_product(env, count, team, now))
            last = products[-1]
            print(
                f"run {run + 1}: floor {count / floors[-1]:,.0f}/s "
                f"(tracking off {count / quiet_floors[-1]:,.0f}/s), "
                f"invitations {last['sent'] / last['total_s']:,.0f}/s "
                f"(plan {last['plan_s']:.2f} s, send {last['send_s']:.2f} s)"
            )
        env.cr.rollback()
    floor_s = statistics.median(floors)
    quiet_rate = count / statistics.median(quiet_floors)
    best = sorted(products, key=lambda r: r["total_s"])[len(products) // 2]
    if best["sent"] != count or best["mails"] != count:
        raise SystemExit(
            f"expected {count} invitations and emails, got {best['sent']} "
            f"and {best['mails']}"
        )
    floor_rate = count / floor_s
    rate = best["sent"] / best["total_s"]
    print()
    print(f"contacts ended in the last hour:           {count:,}")
    print(f"floor, plain survey.user_input create:     {floor_rate:,.0f} /s")
    print(f"  the same, tracking_disable context:      {quiet_rate:,.0f} /s")
    print(
        f"select + plan + send (cron run):           {rate:,.0f} /s"
        f"  ({best['total_s']:.2f} s)"
    )
    print(
        f"  select + plan (engine, batch create):    {best['plan_s']:.2f} s, "
        f"{best['plan_queries']} queries"
    )
    print(
        f"  send (render + queue {best['mails']:,} emails):   "
        f"{best['send_s']:.2f} s, {best['send_queries']} queries"
    )
    print(f"ratio floor rate / invitation rate:        {floor_rate / rate:.2f}x")
    print(f"  against the tracking_disable floor:      {quiet_rate / rate:.2f}x")
    print("target (issue 16): under 3x (against the plain create)")


if __name__ == "__main__":
    start = datetime.now()
    main()
    print(f"(run took {(datetime.now() - start) / timedelta(seconds=1):.0f} s)")
