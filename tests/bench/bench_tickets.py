#!/usr/bin/env python3
"""Benchmark email tickets and SLA crons.

    python3 tests/bench/bench_tickets.py -d DB

(a) 2,000 realistic emails through Odoo's mail gateway into tickets, with
    classification, SLA policies, routing and acknowledgements on, against the
    same emails into a plain alias of crm.lead measured in the same run;
(b) the SLA crons (status and escalation) over 100,000 open tickets.
Each measured run happens in a transaction that is rolled back, so runs do
not pile data on each other. Figures only: nothing here asserts a timing.
"""

import base64
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
from generate_data import _copy

DOMAIN = "bench.example.com"
SUBJECTS = [
    "Order {n} has not arrived",
    "Refund for invoice INV/{n}",
    "Cannot log in to my account",
    "Question about my subscription",
    "Wrong item in parcel {n}",
    "Urgent: service down since this morning",
    "Change of billing address",
]
BODIES = [
    "Hello,\n\nI ordered on Monday and nothing arrived yet. Order {n}.\n\nRegards,\n{name}",
    "Hi,\n\nI was charged twice for invoice {n}, please refund one.\n\n{name}",
    "Dear support,\n\nThe password reset link does not work.\n\nThanks, {name}",
]


def emails(count, seed, to):
    rnd = random.Random(f"emails-{seed}")
    senders = [f"customer{i}@mail{i % 37}.example.org" for i in range(count // 3)]
    for i in range(count):
        sender = rnd.choice(senders)
        name = sender.split("@")[0].title()
        n = rnd.randint(10000, 99999)
        subject = rnd.choice(SUBJECTS).format(n=n)
        body = rnd.choice(BODIES).format(n=n, name=name)
        headers = (
            f"From: {name} <{sender}>\r\nTo: {to}\r\nSubject: {subject}\r\n"
            f"Message-ID: <bench-{seed}-{i}@{sender.split('@')[1]}>\r\n"
            f"Date: Mon, 09 Mar 2026 09:{i % 60:02d}:00 +0000\r\nMIME-Version: 1.0\r\n"
        )
        if i % 5 == 0:  # some with an attachment
            pdf = base64.b64encode(
                b"%PDF-1.4 " + bytes(rnd.randrange(256) for _ in range(2000))
            )
            yield (
                headers
                + 'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\n'
                + "Content-Type: text/plain; charset=utf-8\r\n\r\n"
                + body
                + "\r\n--B\r\nContent-Type: application/pdf; name=doc.pdf\r\n"
                + "Content-Disposition: attachment; filename=doc.pdf\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + pdf.decode()
                + "\r\n--B--\r\n"
            )
        elif i % 5 == 1:  # HTML only
            yield (
                headers
                + "Content-Type: text/html; charset=utf-8\r\n\r\n<p>"
                + body.replace("\n", "<br/>")
                + "</p>"
            )
        else:
            yield headers + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body


def setup(env):
    """Alias domain, a support team with agents, policies and rules, a sales team."""
    from odoo import Command  # noqa: PLC0415

    domain = env["mail.alias.domain"].search([("name", "=", DOMAIN)], limit=1)
    if not domain:
        domain = env["mail.alias.domain"].create({"name": DOMAIN})
    env.company.alias_domain_id = domain
    team = env["contact_center.team"].search(
        [("alias_name", "=", "bench-support")], limit=1
    )
    if not team:
        team = env["contact_center.team"].create(
            {
                "name": "Bench Support",
                "alias_name": "bench-support",
                "alias_domain_id": domain.id,
                "resource_calendar_id": False,
            }
        )
        users = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                [
                    {
                        "name": f"Bench Agent {i}",
                        "login": f"bench_agent_{i}",
                        "groups_id": [
                            Command.link(
                                env.ref("contact_center.group_contact_center_agent").id
                            )
                        ],
                    }
                    for i in range(10)
                ]
            )
        )
        agents = env["contact_center.agent"].create(
            [
                {
                    "user_id": u.id,
                    "team_ids": [Command.link(team.id)],
                    "capacity_email": 50,
                }
                for u in users
            ]
        )
        agents._set_presence("available")
        env["contact_center.sla.policy"].create(
            [
                {
                    "name": "Bench standard",
                    "team_ids": [Command.link(team.id)],
                    "first_response_hours": 4,
                    "next_response_hours": 8,
                    "resolution_hours": 24,
                    "escalation_ids": [
                        Command.create({"name": "Warn", "threshold_percent": 80}),
                        Command.create(
                            {
                                "name": "Breach",
                                "threshold_percent": 100,
                                "notify_supervisors": True,
                                "raise_priority": True,
                            }
                        ),
                    ],
                },
                {
                    "name": "Bench urgent",
                    "min_priority": "3",
                    "first_response_hours": 1,
                },
            ]
        )
        env["contact_center.classification.rule"].create(
            [
                {"name": "Refunds", "subject_keywords": "refund", "set_priority": "2"},
                {
                    "name": "Outages",
                    "pattern": r"urgent|service down",
                    "set_priority": "3",
                },
            ]
        )
    sales = env["crm.team"].search([("alias_name", "=", "bench-leads")], limit=1)
    if not sales:
        sales = env["crm.team"].create(
            {
                "name": "Bench Leads",
                "use_leads": True,
                "alias_name": "bench-leads",
                "alias_domain_id": domain.id,
            }
        )
    env.cr.commit()
    return team, sales


def seed_history(env, team, sales, count):
    """Give both models the history of a working desk: ``count`` closed
    tickets and as many leads, from other senders, committed once.

    On a nearly empty table PostgreSQL plans the foreign-key checks that
    point at it (SLA lines and interactions at the ticket) as sequential
    scans and keeps those plans for the session: every email of a run
    would then pay for the tickets the run already created. A desk in use
    has thousands of tickets, and plans that use the primary key.
    """
    cr = env.cr
    cr.execute(
        "SELECT count(*) FROM contact_center_ticket WHERE reference LIKE 'HIST/%%'"
    )
    have = cr.fetchone()[0]
    if have >= count:
        return
    now = datetime(2026, 1, 5, 9, 0)
    closed = env.ref("contact_center.ticket_stage_closed").id
    agents = team.member_ids.ids
    rnd = random.Random("history")

    def sender(i):
        return f"past{i % (count // 3 + 1)}@history{i % 41}.example.net"

    _copy(
        cr,
        "contact_center_ticket",
        (
            "name",
            "reference",
            "company_id",
            "team_id",
            "stage_id",
            "agent_id",
            "priority",
            "channel",
            "active",
            "email_from",
            "email_normalized",
            "received_at",
            "create_uid",
            "write_uid",
            "create_date",
            "write_date",
        ),
        (
            (
                f"Past question {i}",
                f"HIST/{i:07d}",
                env.company.id,
                team.id,
                closed,
                rnd.choice(agents),
                "1",
                "email",
                True,
                sender(i),
                sender(i),
                now - timedelta(hours=i % 5000),
                1,
                1,
                now,
                now,
            )
            for i in range(have, count)
        ),
    )
    _copy(
        cr,
        "crm_lead",
        (
            "name",
            "type",
            "active",
            "team_id",
            "company_id",
            "email_from",
            "email_normalized",
            "create_uid",
            "write_uid",
            "create_date",
            "write_date",
        ),
        (
            (
                f"Past question {i}",
                "lead",
                True,
                sales.id,
                env.company.id,
                sender(i),
                sender(i),
                1,
                1,
                now,
                now,
            )
            for i in range(have, count)
        ),
    )
    env.cr.commit()


# tables both paths write to; each rolled-back run leaves dead rows in them
TOUCHED_TABLES = (
    "contact_center_ticket",
    "contact_center_ticket_sla",
    "contact_center_interaction",
    "crm_lead",
    "res_partner",
    "mail_message",
    "mail_mail",
    "mail_followers",
    "mail_message_res_partner_rel",
    "mail_mail_res_partner_rel",
    "mail_tracking_value",
    "ir_attachment",
)


def vacuum(env):
    """VACUUM ANALYZE the tables a run writes to, before each run.

    A rolled-back run leaves its rows behind as dead tuples; without
    autovacuum (off on some machines) every later run, of either path,
    would wade through them.
    """
    connection = autocommit_connection(env.cr.dbname)
    try:
        vacuum_analyze(connection, TOUCHED_TABLES)
    finally:
        connection.close()


def run_gateway(env, raws):
    MailThread = env["mail.thread"]
    vacuum(env)
    start = time.perf_counter()
    for raw in raws:
        MailThread.message_process(None, raw)
    env.flush_all()
    elapsed = time.perf_counter() - start
    env.cr.rollback()
    env.invalidate_all()
    return elapsed


def bench_gateway(env, count, rounds):
    ticket_mails = list(emails(count, 1, f"bench-support@{DOMAIN}"))
    lead_mails = [
        m.replace(f"bench-support@{DOMAIN}", f"bench-leads@{DOMAIN}")
        for m in ticket_mails
    ]
    tickets, leads = [], []
    run_gateway(env, ticket_mails[:50])  # warm-up
    run_gateway(env, lead_mails[:50])
    for _ in range(rounds):
        tickets.append(run_gateway(env, ticket_mails))
        leads.append(run_gateway(env, lead_mails))
    return (
        statistics.median(tickets),
        statistics.median(leads),
        [tk / ld for tk, ld in zip(tickets, leads, strict=True)],
    )


def bench_crons(env, team, n_tickets):
    """100,000 open tickets with SLA lines; time the two SLA crons."""
    cr = env.cr
    now = datetime.now().replace(microsecond=0)
    stage = env.ref("contact_center.ticket_stage_new").id
    policy = env["contact_center.sla.policy"].search(
        [("name", "=", "Bench standard")], limit=1
    )
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM contact_center_ticket")
    (before,) = cr.fetchone()
    rnd = random.Random("crons")
    _copy(
        cr,
        "contact_center_ticket",
        (
            "name",
            "reference",
            "company_id",
            "team_id",
            "stage_id",
            "priority",
            "channel",
            "active",
            "received_at",
            "sla_status",
            "create_uid",
            "write_uid",
            "create_date",
            "write_date",
        ),
        (
            (
                f"Bench ticket {i}",
                f"BENCH/{i:06d}",
                env.company.id,
                team.id,
                stage,
                "1",
                "email",
                True,
                now - timedelta(hours=rnd.randint(0, 48)),
                "running",
                1,
                1,
                now,
                now,
            )
            for i in range(n_tickets)
        ),
    )
    cr.execute(
        "SELECT id, received_at FROM contact_center_ticket WHERE id > %s", (before,)
    )
    rows = cr.fetchall()
    levels = policy.escalation_ids.sorted("threshold_percent")

    def lines():
        for ticket_id, received in rows:
            # about 1% due for escalation, 2% past their deadline, the rest later
            r = rnd.random()
            due = (
                now - timedelta(minutes=5)
                if r < 0.01
                else now + timedelta(hours=rnd.randint(1, 40))
            )
            deadline = (
                now - timedelta(minutes=1) if r < 0.03 else now + timedelta(hours=4)
            )
            yield (
                ticket_id,
                policy.id,
                env.company.id,
                "first_response",
                4 * 3600,
                received,
                received,
                0,
                deadline,
                deadline - timedelta(minutes=48),
                due,
                "running",
                1,
                1,
                now,
                now,
            )

    _copy(
        cr,
        "contact_center_ticket_sla",
        (
            "ticket_id",
            "policy_id",
            "company_id",
            "kind",
            "target_seconds",
            "start_at",
            "resumed_at",
            "consumed_seconds",
            "deadline",
            "at_risk_at",
            "next_escalation_at",
            "status",
            "create_uid",
            "write_uid",
            "create_date",
            "write_date",
        ),
        lines(),
    )
    cr.execute("ANALYZE contact_center_ticket")
    cr.execute("ANALYZE contact_center_ticket_sla")
    Line = env["contact_center.ticket.sla"]
    env.invalidate_all()
    t0 = time.perf_counter()
    status = Line._cron_update_status()
    t_status = time.perf_counter() - t0
    t0 = time.perf_counter()
    escalated = 0
    while True:  # the cron runs batch after batch until nothing is due
        done = Line._cron_escalate()
        escalated += done
        if not done:
            break
    t_escalate = time.perf_counter() - t0
    env.flush_all()
    cr.rollback()
    return t_status, status, t_escalate, escalated, levels


def main():
    parser = argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--emails", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument(
        "--history",
        type=int,
        default=20_000,
        help="closed tickets and leads present before the runs (created once)",
    )
    args = parser.parse_args()
    with environment(args) as env:
        env = env(context={"mail_notify_force_send": False})
        team, sales = setup(env)
        seed_history(env, team, sales, args.history)
        t_tickets, t_leads, ratios = bench_gateway(env, args.emails, args.rounds)
        t_status, status, t_escalate, escalated, _levels = bench_crons(
            env, team, args.tickets
        )
    print(f"\n{'measure':<58}{'value':>14}")
    print(
        f"{'emails into tickets (classify, SLA, route, acknowledge)':<58}{args.emails / t_tickets:>10.1f} /s"
    )
    print(
        f"{'same emails into a crm.lead alias (baseline)':<58}{args.emails / t_leads:>10.1f} /s"
    )
    print(
        f"{'ratio tickets/leads time (median of runs)':<58}{statistics.median(ratios):>13.2f}x"
    )
    print(
        f"{f'SLA status cron over {args.tickets} open tickets':<58}{t_status:>12.2f} s"
        f"   ({status['breached']} breached, {status['at_risk']} at risk)"
    )
    print(
        f"{f'SLA escalation cron over {args.tickets} open tickets':<58}{t_escalate:>12.2f} s"
        f"   ({escalated} lines escalated)"
    )
    print(
        f"\nmedian of {args.rounds} rounds of {args.emails} emails each; each run rolled back."
    )


if __name__ == "__main__":
    main()
