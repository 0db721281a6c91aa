#!/usr/bin/env python3
"""Server time of the reports on a year of a large contact center.

    python3 tests/bench/bench_reports.py -d DB --interactions 1000000 \
        --agents 200 --days 365 --tickets 100000

Fills the database once (generated teams, agents, a year of interactions and
presence, tickets with their SLA lines; skipped when already there), then
times, in this process, warm, the median of ``--runs`` calls of:

* the supervisor dashboard over the last full month (one team's supervisor,
  and an administrator over every team),
* the wallboard refresh of one team and of every team,
* the staffing forecast of one team for the coming week,
* the SLA compliance report (pivot by team and target kind) over a quarter,

against the floor measured in the same run: a ``read_group`` count of the
interactions that ended in the same month. The ratios are what holds from
machine to machine. The generator writes contacts in the order they happen,
as a table filled over a year is; on a PostgreSQL with autovacuum off the
bench vacuums and analyzes the report tables first, as autovacuum would.
"""

import random
import statistics
import time
from datetime import datetime, timedelta

from _odoo_env import (
    argument_parser,
    autocommit_connection,
    environment,
    vacuum_analyze,
)
from generate_data import _copy, generate

SEED = 14
TABLES = (
    "contact_center_interaction",
    "contact_center_agent_presence",
    "contact_center_ticket",
    "contact_center_ticket_sla",
)


def timed(function, runs):
    """Median and p90 milliseconds of ``runs`` warm calls (one warm-up)."""
    function()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.9 * (len(samples) - 1))]


def load_tickets(env, count, team_ids, agent_ids, days, now):
    """``count`` tickets over ``days`` with first-response and resolution
    SLA lines, 70% solved; returns the number of SLA lines."""
    cr = env.cr
    rnd = random.Random(f"tickets-{SEED}")
    stages = {
        "new": env.ref("contact_center.ticket_stage_new").id,
        "solved": env["contact_center.ticket.stage"]
        .search([("is_solved", "=", True)], limit=1)
        .id,
    }
    policy = env["contact_center.sla.policy"].search([], limit=1)
    if not policy:
        policy = env["contact_center.sla.policy"].create({"name": "Bench reports"})
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM contact_center_ticket")
    (before,) = cr.fetchone()
    plans = []
    for i in range(count):
        received = now - timedelta(seconds=rnd.randint(0, days * 86400))
        solved = rnd.random() < 0.7
        first = received + timedelta(minutes=rnd.randint(5, 600))
        done = first + timedelta(hours=rnd.randint(1, 72))
        if done > now:
            solved = False
        if first > now:
            first = None
        plans.append((i, received, first, done if solved else None))
    agent_of = {i: agent_ids[i % len(agent_ids)] for i in range(count)}
    _copy(
        cr,
        "contact_center_ticket",
        (
            "name",
            "reference",
            "company_id",
            "team_id",
            "agent_id",
            "stage_id",
            "priority",
            "channel",
            "active",
            "received_at",
            "first_response_at",
            "solved_at",
            "reopen_count",
            "sla_status",
            "create_uid",
            "write_uid",
            "create_date",
            "write_date",
        ),  # fmt: skip
        (
            (
                f"Report bench ticket {i}",
                f"RPT/{i:06d}",
                env.company.id,
                team_ids[i % len(team_ids)],
                agent_of[i],
                stages["solved" if solved else "new"],
                "1",
                "email",
                True,
                received,
                first,
                solved,
                1 if rnd.random() < 0.05 else 0,
                "met" if solved else "running",
                1,
                1,
                received,
                received,
            )  # fmt: skip
            for i, received, first, solved in plans
        ),
    )
    cr.execute(
        "SELECT id FROM contact_center_ticket WHERE id > %s ORDER BY id", (before,)
    )
    ids = [r[0] for r in cr.fetchall()]

    def lines():
        for ticket_id, (_i, received, first, solved) in zip(ids, plans, strict=True):
            for kind, target, reached in (
                ("first_response", 4 * 3600, first),
                ("resolution", 48 * 3600, solved),
            ):
                deadline = received + timedelta(seconds=target)
                if reached:
                    status = "met" if reached <= deadline else "breached"
                else:
                    status = "breached" if deadline < now else "running"
                yield (
                    ticket_id, policy.id, env.company.id, kind, target, received,
                    received, 0, deadline, deadline - timedelta(minutes=48),
                    reached, status, 1, 1, received, received,
                )  # fmt: skip

    columns = (
        "ticket_id", "policy_id", "company_id", "kind", "target_seconds",
        "start_at", "resumed_at", "consumed_seconds", "deadline", "at_risk_at",
        "reached_at", "status", "create_uid", "write_uid", "create_date",
        "write_date",
    )  # fmt: skip
    n_lines = _copy(cr, "contact_center_ticket_sla", columns, lines())
    # columns the reports keep on SLA lines, filled as the models would
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'contact_center_ticket_sla'"
    )
    present = {r[0] for r in cr.fetchall()}
    if "settled_at" in present:
        cr.execute(
            """
            UPDATE contact_center_ticket_sla
               SET settled_at = CASE WHEN status = 'met' THEN reached_at
                                     WHEN status = 'breached' THEN deadline END
             WHERE ticket_id > %s
            """,
            (before,),
        )
    if hasattr(env["contact_center.ticket"], "_kpi_fill_existing"):
        env["contact_center.ticket"]._kpi_fill_existing()
    cr.execute("ANALYZE contact_center_ticket")
    cr.execute("ANALYZE contact_center_ticket_sla")
    return n_lines


def ensure_data(env, args, now):
    cr = env.cr
    cr.execute("SELECT count(*) FROM contact_center_interaction")
    (interactions,) = cr.fetchone()
    if interactions >= args.interactions:
        print(f"data already there: {interactions} interactions")
        return
    print("generating the data set (once per database)...", flush=True)
    counts = generate(
        env,
        args.partners,
        args.interactions,
        days=args.days,
        seed=SEED,
        teams=args.teams,
        agents=args.agents,
        now=now,
    )
    for key, value in counts.items():
        print(f"{key:>18}: {value}")
    team_ids, agent_ids = _generated(env)
    started = time.perf_counter()
    n_lines = load_tickets(env, args.tickets, team_ids, agent_ids, args.days, now)
    print(
        f"{'tickets':>18}: {args.tickets} ({n_lines} SLA lines, "
        f"{time.perf_counter() - started:.1f} s)"
    )
    env.cr.commit()


def _generated(env):
    teams = env["contact_center.team"].search(
        [("name", "=like", "Generated Team %")], order="id"
    )
    agents = env["contact_center.agent"].search(
        [("user_id.login", "=like", "cc_gen_agent_%")], order="id"
    )
    return teams.ids, agents.ids


def supervisor_of(env, team):
    from odoo import Command  # noqa: PLC0415

    Users = env["res.users"].with_context(no_reset_password=True)
    user = Users.search([("login", "=", "cc_bench_supervisor")])
    if not user:
        user = Users.create(
            {
                "name": "Bench Supervisor",
                "login": "cc_bench_supervisor",
                "tz": "UTC",
                "groups_id": [
                    Command.link(
                        env.ref("contact_center.group_contact_center_supervisor").id
                    )
                ],
            }
        )
    team.supervisor_ids = [Command.link(user.id)]
    manager = Users.search([("login", "=", "cc_bench_manager")])
    if not manager:
        manager = Users.create(
            {
                "name": "Bench Manager",
                "login": "cc_bench_manager",
                "tz": "UTC",
                "groups_id": [
                    Command.link(
                        env.ref("contact_center.group_contact_center_manager").id
                    )
                ],
            }
        )
    env.cr.commit()
    return user, manager


def main():
    parser = argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--teams", type=int, default=10)
    parser.add_argument("--partners", type=int, default=50_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    now = datetime.now().replace(microsecond=0)
    # the last full month and quarter before today
    month_to = now.replace(day=1, hour=0, minute=0, second=0)
    month_from = (month_to - timedelta(days=1)).replace(day=1)
    quarter_to = month_to.replace(month=(month_to.month - 1) // 3 * 3 + 1)
    quarter_from = (quarter_to - timedelta(days=80)).replace(day=1)
    quarter_from = quarter_from.replace(month=(quarter_from.month - 1) // 3 * 3 + 1)
    last_day = (month_to - timedelta(days=1)).date().isoformat()
    with environment(args) as env:
        ensure_data(env, args, now)
        team_ids, _agent_ids = _generated(env)
        team = env["contact_center.team"].browse(team_ids[0])
        supervisor, manager = supervisor_of(env, team)
        env.cr.execute("SHOW autovacuum")
        if env.cr.fetchone()[0] != "on":
            # what autovacuum would have done after the load and the updates
            print("autovacuum is off: VACUUM ANALYZE of the report tables")
            connection = autocommit_connection(args.database)
            vacuum_analyze(connection, TABLES)
            connection.close()
        Interaction = env["contact_center.interaction"]
        results = []

        def floor():
            env.invalidate_all()
            return Interaction._read_group(
                [("ended_at", ">=", month_from), ("ended_at", "<", month_to)],
                [],
                ["__count"],
            )

        base, base_p90 = timed(floor, args.runs)
        (count,) = floor()[0]
        results.append(
            (f"floor: read_group count, {month_from:%B %Y} ({count})", base, base_p90)
        )

        def measure(label, function):
            try:
                median, p90 = timed(function, args.runs)
            except (KeyError, AttributeError) as error:  # a part not installed
                print(f"{label}: skipped ({error})")
                return
            results.append((label, median, p90))

        def dashboard(user, teams):
            def run():
                env.invalidate_all()
                env["contact_center.kpi"].with_user(user).get_supervisor_dashboard(
                    month_from.date().isoformat(), last_day, teams
                )

            return run

        measure(
            "supervisor dashboard, month, 1 team (supervisor)",
            dashboard(supervisor, team.ids),
        )
        measure(
            f"supervisor dashboard, month, {len(team_ids)} teams (administrator)",
            dashboard(manager, team_ids),
        )

        def wallboard(user, teams):
            def run():
                env.invalidate_all()
                env["contact_center.wallboard"].with_user(user).get_wallboard_data(
                    teams
                )

            return run

        measure("wallboard refresh, 1 team", wallboard(supervisor, team.ids))
        measure(
            f"wallboard refresh, {len(team_ids)} teams", wallboard(manager, team_ids)
        )

        def forecast():
            env.invalidate_all()
            env["contact_center.staffing"].with_user(supervisor).get_forecast(team.id)

        measure("staffing forecast, 1 team, next week", forecast)

        def sla_report():
            env.invalidate_all()
            Report = env["contact_center.report.sla"].with_user(manager)
            date_field = "date" if "date" in Report._fields else "settled_at"
            Report.read_group(
                [(date_field, ">=", quarter_from), (date_field, "<", quarter_to)],
                ["compliance:avg"],
                ["team_id", "kind"],
                lazy=False,
            )

        measure("SLA compliance report, quarter, by team and kind", sla_report)
        env.cr.rollback()
    print(f"\n{'measure':<62}{'median ms':>10}{'p90 ms':>9}{'x floor':>9}")
    for label, median, p90 in results:
        print(f"{label:<62}{median:>10.1f}{p90:>9.1f}{median / base:>9.1f}")
    print(
        f"\nserver time in this process, warm, median of {args.runs} runs; "
        "targets: dashboard < 500 ms, wallboard < 100 ms, forecast < 2 s, "
        "SLA report < 500 ms."
    )


if __name__ == "__main__":
    main()
