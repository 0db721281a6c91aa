#!/usr/bin/env python3
"""Benchmark the telephony API over loopback HTTP against a running Odoo.

    python3 tests/bench/bench_telephony.py -d DB [--calls 100000]

Starts Odoo on the database (``--workers 2`` by default) on a free port and,
with the same number of client connections in flight for each measure:
(a) the floor: Odoo's own ``/web/webclient/version_info`` route;
(b) signed route decisions for ``--calls`` calls, with p50 and p99 latency;
(c) the events of ``--event-calls`` calls (ringing, answered, ended;
    ``--batch`` events per signed request), events per second end to end:
    stored, processed and committed.
Figures only: nothing here asserts a timing. The provider, team, agents and
customers it needs are created once (named "Bench ..."); the interactions of
(c) stay in the database.
"""

import hashlib
import hmac
import http.client
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid

from _odoo_env import (
    argument_parser,
    autocommit_connection,
    environment,
    odoo_addons_paths,
    vacuum_analyze,
)

API = "/contact_center/telephony/v1"
FLOOR_PATH = "/web/webclient/version_info"
PROVIDER = "bench-pbx"
SECRET = "bench-secret-not-for-production"
DID = "+3222001100"
AGENTS = 20
CUSTOMERS = 2000
# tables the measured requests write to
WRITTEN_TABLES = (
    "contact_center_interaction",
    "contact_center_telephony_event",
    "contact_center_telephony_signature",
    "contact_center_agent",
    "contact_center_agent_presence",
    "bus_bus",
)
VACUUM_EVERY = 30  # seconds, when the bench stands in for autovacuum


def setup(env):
    """Provider, a 24/7 phone team of available agents, customers with phones."""
    from odoo import Command  # noqa: PLC0415

    Provider = env["contact_center.telephony.provider"]
    provider = Provider.search([("code", "=", PROVIDER)], limit=1)
    if not provider:
        team = env["contact_center.team"].create(
            {"name": "Bench Phone", "resource_calendar_id": False}
        )
        users = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                [
                    {
                        "name": f"Bench Phone Agent {i}",
                        "login": f"bench_phone_agent_{i}",
                        "groups_id": [
                            Command.link(
                                env.ref("contact_center.group_contact_center_agent").id
                            )
                        ],
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
                    "extension": str(3000 + i),
                    "tier": "senior" if i % 4 == 0 else "regular",
                }
                for i, user in enumerate(users)
            ]
        )
        vip = env.ref("contact_center.customer_tier_vip")
        env["res.partner"].create(
            [
                {
                    "name": f"Bench Caller {i}",
                    "phone": f"+32470{i:06d}",
                    **({"cc_tier_id": vip.id} if i % 20 == 0 else {}),
                }
                for i in range(CUSTOMERS)
            ]
        )
        provider = Provider.create(
            {
                "name": "Bench PBX",
                "code": PROVIDER,
                "default_team_id": team.id,
                "did_ids": [Command.create({"number": DID, "team_id": team.id})],
            }
        )
    provider.secret = SECRET
    team = provider.default_team_id
    agents = env["contact_center.agent"].search([("team_ids", "in", team.ids)])
    agents._set_presence("available")
    env.cr.commit()
    return agents.mapped("extension")


class Vacuum:
    """VACUUM ANALYZE the written tables, as autovacuum would.

    A PostgreSQL with autovacuum off (some machines here) never analyzes or
    vacuums: after 100,000 calls the planner still believes the tables are
    empty and every index is full of dead rows, a state no production
    database is in. Then the bench vacuums before each measure that writes
    and, during it, every ``VACUUM_EVERY`` seconds from a thread: that work competes for
    the same CPUs as autovacuum's would. With autovacuum on it does nothing.
    """

    def __init__(self, database):
        self.connection = autocommit_connection(database)
        with self.connection.cursor() as cr:
            cr.execute("SHOW autovacuum")
            self.needed = cr.fetchone()[0] != "on"
        self.stop = threading.Event()
        self.thread = None

    def now(self):
        vacuum_analyze(self.connection, WRITTEN_TABLES)

    def __enter__(self):
        if self.needed:
            self.now()
            self.stop.clear()
            self.thread = threading.Thread(target=self._loop, daemon=True)
            self.thread.start()
        return self

    def _loop(self):
        while not self.stop.wait(VACUUM_EVERY):
            self.now()

    def __exit__(self, *exc):
        if self.thread:
            self.stop.set()
            self.thread.join()
            self.thread = None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_odoo(args, port):
    import odoo  # noqa: PLC0415

    # odoo-bin when the source tree has one: Odoo's prefork server restarts
    # itself from argv[0] for its long-polling process, which `-m` breaks
    launcher = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin")
    command = [
        sys.executable,
        *([launcher] if os.path.isfile(launcher) else ["-m", "odoo"]),
        f"--addons-path={','.join(odoo_addons_paths())}",
        f"--database={args.database}",
        f"--db-filter=^{args.database}$",
        f"--db_host={args.db_host}",
        f"--db_port={args.db_port}",
        f"--db_user={args.db_user}",
        f"--workers={args.workers}",
        "--max-cron-threads=0",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        f"--gevent-port={free_port()}",
        "--limit-time-real=3600",
        "--limit-time-cpu=3600",
        "--log-level=warn",
    ]
    if args.db_password:
        command.append(f"--db_password={args.db_password}")
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            status, _ = request(port, "/web/webclient/version_info", rpc_body())
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.kill()
    sys.exit("Odoo did not start within 120 s")


def rpc_body():
    return json.dumps({"jsonrpc": "2.0", "method": "call", "params": {}}).encode()


def signed_headers(body, provider=PROVIDER, secret=SECRET):
    """The headers a provider signs a request with."""
    timestamp = str(int(time.time()))
    digest = hmac.new(
        secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return {
        "X-CC-Provider": provider,
        "X-CC-Timestamp": timestamp,
        "X-CC-Signature": f"sha256={digest}",
    }


def request(port, path, body, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _client(job):
    """One client connection: send its requests one after the other. A
    request answered with items it could not apply ("failed") is an error."""
    port, path, credentials, items = job
    latencies, errors = [], 0
    for item in items:
        if path == FLOOR_PATH:
            body, headers = rpc_body(), None
        else:
            body = json.dumps(item).encode()
            headers = signed_headers(body, *credentials)
        start = time.perf_counter()
        status, answer = request(port, path, body, headers)
        latencies.append(time.perf_counter() - start)
        errors += status != 200 or (
            path != FLOOR_PATH and json.loads(answer or b"{}").get("failed", 0) > 0
        )
    return latencies, errors


def run(port, kind, items, clients, api=API, credentials=(PROVIDER, SECRET)):
    """``items`` sent to ``api``/``kind`` (``kind`` "floor": Odoo's own
    cheapest route) by ``clients`` connections at once: rate, p50, p99."""
    path = FLOOR_PATH if kind == "floor" else f"{api}/{kind}"
    chunks = [items[i::clients] for i in range(clients)]
    start = time.perf_counter()
    with multiprocessing.Pool(clients) as pool:
        results = pool.map(
            _client, [(port, path, credentials, chunk) for chunk in chunks]
        )
    elapsed = time.perf_counter() - start
    latencies = sorted(x for lat, _err in results for x in lat)
    return {
        "count": len(items),
        "per_second": len(items) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[max(int(len(latencies) * 0.99) - 1, 0)] * 1000,
        "errors": sum(err for _lat, err in results),
    }


def route_requests(run_id, count):
    return [
        {
            "call_id": f"{run_id}-r{i}",
            # one caller in ten unknown, the others customers (one in 20 VIP)
            "caller": f"+32499{i:06d}" if i % 10 == 0 else f"+32470{i % CUSTOMERS:06d}",
            "called": DID,
            **({"language": "fr_FR"} if i % 3 == 0 else {}),
        }
        for i in range(count)
    ]


def event_requests(run_id, count, extensions, batch=1):
    """ringing, answered, ended of each call; the calls interleave.

    With ``batch`` > 1 a request carries that many events, as a PBX that
    buffers its events sends them.
    """
    now = int(time.time())
    events = []
    for step, kind in enumerate(("ringing", "answered", "ended")):
        for i in range(count):
            call = f"{run_id}-e{i}"
            event = {
                "id": f"{call}-{kind}",
                "call_id": call,
                "type": kind,
                "at": now + step * 30,
                "caller": f"+32470{i % CUSTOMERS:06d}",
                "called": DID,
                "agent": extensions[i % len(extensions)],
            }
            if kind == "ended":
                event["cause"] = "hangup"
            events.append(event)
    return [{"events": events[i : i + batch]} for i in range(0, len(events), batch)]


def main():
    parser = argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument(
        "--event-calls",
        type=int,
        default=None,
        help="calls whose events are sent (default: --calls)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--batch",
        type=int,
        default=10,
        help="events per request (default 10, as a PBX adapter that buffers "
        "its events for 100 ms sends them; 1 to send each event alone)",
    )
    parser.add_argument(
        "--clients",
        type=int,
        default=None,
        help="requests in flight at once (default: --workers)",
    )
    args = parser.parse_args()
    clients = args.clients or args.workers
    event_calls = args.calls if args.event_calls is None else args.event_calls
    with environment(args) as env:
        extensions = setup(env)
    vacuum = Vacuum(args.database)
    port = free_port()
    server = start_odoo(args, port)
    run_id = uuid.uuid4().hex[:8]
    try:
        warm = route_requests(f"{run_id}w", 200)
        run(port, "route", warm, clients)
        run(port, "floor", [None] * 200, clients)
        # the floor writes nothing: nothing for autovacuum to do meanwhile
        floor = run(port, "floor", [None] * args.calls, clients)
        with vacuum:
            route = run(port, "route", route_requests(run_id, args.calls), clients)
        event_bodies = event_requests(run_id, event_calls, extensions, args.batch)
        with vacuum:
            events = run(port, "events", event_bodies, clients)
        # events, not requests, per second
        events["per_second"] *= 3 * event_calls / len(event_bodies)
    finally:
        vacuum.connection.close()
        server.terminate()
        server.wait(30)
    print(f"\n{'measure':<48}{'per s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name, figures in (
        (f"version_info (floor), {args.calls} requests", floor),
        (f"route, {args.calls} calls", route),
        (f"events, {event_calls} calls x 3, {args.batch} per request", events),
    ):
        print(
            f"{name:<48}{figures['per_second']:>10.1f}{figures['p50_ms']:>9.1f}"
            f"{figures['p99_ms']:>9.1f}{figures['errors']:>8}"
        )
    print(
        f"\nroute p99 / floor p99: {route['p99_ms'] / floor['p99_ms']:.2f}x; "
        f"{args.workers} Odoo workers, {clients} requests in flight, "
        f"{os.cpu_count()} CPUs shared by Odoo, PostgreSQL and the client."
    )
    if vacuum.needed:
        print(
            "autovacuum is off on this server: the bench ran VACUUM ANALYZE on "
            "the tables it writes before the route and events measures and "
            f"every {VACUUM_EVERY} s during them."
        )


if __name__ == "__main__":
    main()
