#!/usr/bin/env python3
"""Benchmark the messaging webhook (inbound SMS) over loopback HTTP.

    python3 tests/bench/bench_messaging.py -d DB [--messages 2000]

Starts Odoo on the database (``--workers 2`` by default) on a free port and,
with the same number of client connections in flight for each measure:
(a) the floor: Odoo's own ``/web/webclient/version_info`` route;
(b) ``--messages`` signed inbound SMS, one message per request;
(c) ``--messages`` more, ``--batch`` (10) messages per request.
Messages come from ``--conversations`` numbers (half of them customers), so
a run both opens tickets and continues conversations. Figures are messages
per second end to end (stored raw, processed into tickets, chatter messages
and interactions, committed), with each request's p50 and p99 latency, and
their ratio to the floor. Nothing here asserts a timing. The provider, team,
agents and customers are created once (named "Bench ..."); the tickets stay.
"""

import os
import uuid

from _odoo_env import argument_parser, environment, vacuum_analyze
from bench_telephony import Vacuum, free_port, run, start_odoo

API = "/contact_center/messaging/v1"
PROVIDER = "bench-msg"
SECRET = "bench-messaging-secret-not-for-production"
OUR_NUMBER = "+3222001200"
AGENTS = 20
CUSTOMERS = 1000
WRITTEN_TABLES = (
    "contact_center_ticket",
    "contact_center_ticket_sla",
    "contact_center_interaction",
    "contact_center_telephony_event",
    "contact_center_telephony_signature",
    "mail_message",
    "mail_notification",
    "mail_followers",
    "bus_bus",
)


class MessagingVacuum(Vacuum):
    """The telephony bench's stand-in for autovacuum, on these tables."""

    def now(self):
        vacuum_analyze(self.connection, WRITTEN_TABLES)


def setup(env):
    """Provider, a 24/7 team of available agents, customers with mobiles."""
    from odoo import Command  # noqa: PLC0415

    Provider = env["contact_center.telephony.provider"]
    provider = Provider.search([("code", "=", PROVIDER)], limit=1)
    if not provider:
        team = env["contact_center.team"].create(
            {"name": "Bench Text", "resource_calendar_id": False}
        )
        group = env.ref("contact_center.group_contact_center_agent")
        users = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                [
                    {
                        "name": f"Bench Text Agent {i}",
                        "login": f"bench_text_agent_{i}",
                        "groups_id": [Command.link(group.id)],
                    }
                    for i in range(AGENTS)
                ]
            )
        )
        env["contact_center.agent"].create(
            [
                {
                    "user_id": user.id,
                    "team_ids": [Command.link(team.id)],
                    "capacity_sms": 5,
                }
                for user in users
            ]
        )
        env["res.partner"].create(
            [
                {"name": f"Bench Texter {i}", "mobile": f"+32471{i:06d}"}
                for i in range(CUSTOMERS)
            ]
        )
        provider = Provider.create(
            {"name": "Bench Gateway", "code": PROVIDER, "default_team_id": team.id}
        )
    provider.secret = SECRET
    agents = env["contact_center.agent"].search(
        [("team_ids", "in", provider.default_team_id.ids)]
    )
    agents._set_presence("available")
    env.cr.commit()


def message_requests(run_id, count, conversations, batch):
    """``count`` SMS from ``conversations`` numbers, ``batch`` per request.

    Even conversations are customers' mobiles (their tickets may continue
    across runs), odd ones numbers nobody knows, new in each run.
    """
    offset = int(run_id[:5], 16) % 500_000
    messages = []
    for i in range(count):
        conversation = i % conversations
        number = (
            f"+32471{conversation // 2 % CUSTOMERS:06d}"
            if conversation % 2 == 0
            else f"+32472{offset + conversation:06d}"
        )
        messages.append(
            {
                "id": f"{run_id}-m{i}",
                "channel": "sms",
                "from": number,
                "to": OUR_NUMBER,
                "text": f"Message {i}: where is my order number {1000 + i}?",
            }
        )
    return [
        {"messages": messages[i : i + batch]} for i in range(0, len(messages), batch)
    ]


def main():
    parser = argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--conversations", type=int, default=500)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--clients",
        type=int,
        default=None,
        help="requests in flight at once (default: --workers)",
    )
    args = parser.parse_args()
    clients = args.clients or args.workers
    with environment(args) as env:
        setup(env)
    vacuum = MessagingVacuum(args.database)
    port = free_port()
    server = start_odoo(args, port)
    run_id = uuid.uuid4().hex[:8]
    try:
        run(
            port,
            "messages",
            message_requests(f"{run_id}w", 50, 50, 1),
            clients,
            API,
            (PROVIDER, SECRET),
        )
        run(port, "floor", [None] * 200, clients)
        floor = run(port, "floor", [None] * args.messages, clients)
        single_bodies = message_requests(
            f"{run_id}a", args.messages, args.conversations, 1
        )
        with vacuum:
            single = run(
                port, "messages", single_bodies, clients, API, (PROVIDER, SECRET)
            )
        batch_bodies = message_requests(
            f"{run_id}b", args.messages, args.conversations, args.batch
        )
        with vacuum:
            batched = run(
                port, "messages", batch_bodies, clients, API, (PROVIDER, SECRET)
            )
        # messages, not requests, per second
        batched["messages_per_second"] = (
            batched["per_second"] * args.messages / len(batch_bodies)
        )
        single["messages_per_second"] = single["per_second"]
    finally:
        vacuum.connection.close()
        server.terminate()
        server.wait(30)
    print(
        f"\n{'measure':<46}{'req/s':>9}{'msg/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'errors':>8}"
    )
    rows = (
        (f"version_info (floor), {args.messages} requests", floor),
        (f"messages, {args.messages} x 1 per request", single),
        (f"messages, {args.messages}, {args.batch} per request", batched),
    )
    for name, figures in rows:
        per_message = figures.get("messages_per_second")
        print(
            f"{name:<46}{figures['per_second']:>9.1f}"
            f"{(f'{per_message:.1f}' if per_message else '-'):>9}"
            f"{figures['p50_ms']:>9.1f}{figures['p99_ms']:>9.1f}{figures['errors']:>8}"
        )
    print(
        f"\nmessages/s over floor requests/s: 1 per request "
        f"{single['messages_per_second'] / floor['per_second']:.3f}, "
        f"{args.batch} per request "
        f"{batched['messages_per_second'] / floor['per_second']:.3f}; "
        f"request p50 over floor p50: 1 per request "
        f"{single['p50_ms'] / floor['p50_ms']:.1f}x, {args.batch} per request "
        f"{batched['p50_ms'] / floor['p50_ms']:.1f}x.\n"
        f"{args.workers} Odoo workers, {clients} requests in flight, "
        f"{args.conversations} conversations, {os.cpu_count()} CPUs shared by "
        "Odoo, PostgreSQL and the client."
    )
    if vacuum.needed:
        print(
            "autovacuum is off on this server: the bench ran VACUUM ANALYZE on "
            "the tables it writes before each messages measure and during it."
        )


if __name__ == "__main__":
    main()
