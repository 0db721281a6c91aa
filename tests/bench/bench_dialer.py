#!/usr/bin/env python3
"""Contact-list import and next-contact hand-out of the dialer, at scale.

    python3 tests/bench/bench_dialer.py -d DB --contacts 1000000 --sessions 50 \
        --seconds 30 --paced-seconds 30

Generates a messy contact list once (deterministic, kept in the system's
temporary directory): names, numbers of seven countries in several formats
(international, national, dotted, ``00`` prefix, no country column), about
3% rows repeating an earlier number in another format, about 1% rows with
letters or too few digits. Then prints:

(a) the floor: a plain ``csv`` read and a ``phonenumbers.parse`` of every
    number cell of the same file (rows/s);
(b) ``campaign._import_contacts`` of the file into a new campaign (rows/s,
    and the ratio to the floor). The first run on a database commits that
    campaign and it is the hand-out campaign of every later run with the
    same ``--rows``; later runs import in a transaction rolled back;
(c) the hand-out: ``--sessions`` processes (each its own Odoo registry
    and database connection, so no GIL is shared) and as many agents of
    the campaign's team (windows open 24/7, time zone UTC), each take in
    its own committed transaction, three runs on the same queue:
    the floor, the bare claim in SQL (``SELECT ... FOR UPDATE SKIP LOCKED
    LIMIT 1`` + ``UPDATE``, READ COMMITTED, psycopg2) for ``--seconds``;
    ``_take_next_contact`` back to back for ``--seconds`` (the saturation
    figure); ``_take_next_contact`` paced, each session taking at most one
    contact a second as an agent does, for ``--paced-seconds``. Each prints
    takes per second, p50/p99 latency of a take (call and commit), the
    ratio of its p99 to the floor's, and duplicates (a contact handed out
    twice: must be 0). Taken contacts are LEFT TAKEN (in progress) for the
    rest of the run, so a contact handed out twice is a real duplicate; the
    next run puts them back in the queue first (one UPDATE, then VACUUM
    ANALYZE, as autovacuum would); the queue is vacuumed before each of
    the three runs too.

Targets (issue 15): import at least 5,000 rows/s; hand-out p99 under 20 ms.
"""

import csv
import multiprocessing
import os
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone

import phonenumbers
import psycopg2
import psycopg2.errors
from _odoo_env import (
    argument_parser,
    autocommit_connection,
    environment,
    vacuum_analyze,
)

SEED = 15
TEAM = "Bench dialer"
# tries of one take on a serialization failure, as an Odoo request retries
RETRIES = 5
TABLES = ("contact_center_campaign_contact", "contact_center_campaign_number")
FIRST = ["Anna", "Bob", "Carla", "Dirk", "Eva", "Femke", "Gert", "Hana", "Ivo"]
LAST = ["Peeters", "Smith", "Dubois", "Müller", "García", "Jansen", "Rossi"]
US_AREAS = ["212", "415", "312", "617", "713", "305", "206", "404", "702"]


def _digits(i, width):
    """``width`` digits, spread over the range, distinct for distinct i."""
    return f"{(i * 7919 + 13) % 10**width:0{width}d}"


def _number(i, rnd):
    """(country cell, number cell) of row i: seven countries, a mobile or
    a landline, written in one of several formats."""
    pick = i % 7
    if pick == 0:  # Belgian mobile
        cc, nat, country = "32", "47" + str(i % 9 + 1) + _digits(i, 6), "BE"
    elif pick == 1:  # Brussels landline
        cc, nat, country = "32", "25" + _digits(i, 6), "BE"
    elif pick == 2:  # French mobile
        cc, nat, country = "33", "6" + _digits(i, 8), "FR"
    elif pick == 3:  # US landline
        exchange = 200 + (i // 7) % 800
        if exchange % 100 == 11:
            exchange += 1
        cc, country = "1", "US"
        nat = US_AREAS[i % len(US_AREAS)] + str(exchange) + _digits(i, 4)
    elif pick == 4:  # Dutch mobile
        cc, nat, country = "31", "6" + str(i % 5 + 1) + _digits(i, 7), "NL"
    elif pick == 5:  # German mobile
        cc, nat, country = "49", "151" + _digits(i, 8), "DE"
    else:  # British mobile
        cc, nat, country = "44", "7" + "4589"[i % 4] + _digits(i, 8), "GB"
    style = rnd.random()
    if style < 0.3:
        text = f"+{cc} {nat[:3]} {nat[3:6]} {nat[6:]}"
    elif style < 0.45 and country != "US":
        text = f"00{cc}{nat}"
    elif style < 0.55:
        text = f"+{cc}{nat}"
    elif country == "US":
        text = f"({nat[:3]}) {nat[3:6]}-{nat[6:]}"
    elif style < 0.8:
        text = "0" + ".".join(nat[k : k + 2] for k in range(0, len(nat), 2))
    else:
        text = "0" + nat
    # national forms need the country; a few rows leave it blank (BE default)
    if country == "BE" and rnd.random() < 0.3:
        country = ""
    return country, text


def generate_csv(rows):
    """Write (once) and return the path of the ``rows``-row list."""
    path = os.path.join(tempfile.gettempdir(), f"bench_dialer_{rows}_{SEED}.csv")
    if os.path.exists(path):
        return path
    rnd = random.Random(SEED)
    earlier = []
    with open(path + ".tmp", "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["Name", "Mobile", "Phone", "Country", "Email"])
        for i in range(rows):
            name = f"{rnd.choice(FIRST)} {rnd.choice(LAST)} {i}"
            roll = rnd.random()
            if roll < 0.01:
                country, text = "BE", rnd.choice(["abc", "12", "n/a", "+32 47"])
            elif roll < 0.04 and earlier:
                country, text = earlier[rnd.randrange(len(earlier))]
                text = text.replace(" ", "")  # the same number, another form
            else:
                country, text = _number(i, rnd)
                if len(earlier) < 10000:
                    earlier.append((country, text))
                elif rnd.random() < 0.01:
                    earlier[rnd.randrange(len(earlier))] = (country, text)
            mobile, phone = (text, "") if i % 3 else ("", text)
            email = f"c{i}@example.com" if i % 4 == 0 else ""
            writer.writerow([name, mobile, phone, country, email])
    os.replace(path + ".tmp", path)
    return path


def floor(path):
    """Rows per second of a csv read plus a parse of every number cell."""
    started = time.perf_counter()
    count = 0
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        next(reader)
        for _name, mobile, phone, country, _email in reader:
            count += 1
            for cell in (mobile, phone):
                if cell:
                    try:
                        phonenumbers.parse(cell, country or "BE")
                    except phonenumbers.NumberParseException:
                        pass
    return count, count / (time.perf_counter() - started)


def ensure_agents(env, sessions):
    """The bench team with ``sessions`` agents (created once, reused)."""
    team = env["contact_center.team"].search([("name", "=", TEAM)], limit=1)
    if not team:
        team = env["contact_center.team"].create({"name": TEAM, "tz": "UTC"})
    agents = team.member_ids
    group = env.ref("contact_center.group_contact_center_agent")
    for i in range(len(agents), sessions):
        login = f"bench_dialer_{i}"
        user = env["res.users"].search([("login", "=", login)], limit=1)
        if not user:
            user = (
                env["res.users"]
                .with_context(no_reset_password=True, mail_create_nolog=True)
                .create(
                    {
                        "name": f"Bench dialer {i}",
                        "login": login,
                        "groups_id": [(6, 0, [group.id])],
                    }
                )
            )
        agent = env["contact_center.agent"].search([("user_id", "=", user.id)])
        agent = agent or env["contact_center.agent"].create({"user_id": user.id})
        team.member_ids = [(4, agent.id)]
    return team, team.member_ids[:sessions]


def new_campaign(env, team, name):
    campaign = env["contact_center.campaign"].create(
        {
            "name": name,
            "team_id": team.id,
            "default_tz": "UTC",
            "window_ids": [(5, 0, 0)]
            + [
                (0, 0, {"weekday": str(day), "hour_from": 0.0, "hour_to": 24.0})
                for day in range(7)
            ],
        }
    )
    return campaign


def import_list(env, team, path, rows):
    """Time the import; keep the campaign when none exists for ``rows``."""
    name = f"Bench dialer ({rows} rows)"
    kept = env["contact_center.campaign"].search([("name", "=", name)], limit=1)
    with open(path, "rb") as handle:
        data = handle.read()
    campaign = new_campaign(env, team, name)
    env.flush_all()
    started = time.perf_counter()
    report = campaign._import_contacts(
        data, os.path.basename(path), default_region="BE"
    )
    env.flush_all()
    elapsed = time.perf_counter() - started
    if kept:
        env.cr.rollback()  # the new campaign and its contacts go
        env.invalidate_all()
        campaign = kept
    else:
        campaign.action_start()
        env.cr.commit()
    return campaign, report, elapsed


def reset_queue(env, campaign):
    """Put the contacts taken by an earlier run back in the queue."""
    env.cr.execute(
        """
        UPDATE contact_center_campaign_contact
           SET state = 'pending', agent_id = NULL, number_id = NULL,
               lease_until = NULL, next_attempt_at = NULL
         WHERE campaign_id = %s AND state <> 'pending'
        """,
        (campaign.id,),
    )
    reset = env.cr.rowcount
    env.cr.execute(
        "DELETE FROM contact_center_campaign_block WHERE campaign_id = %s",
        (campaign.id,),
    )
    if campaign.state != "running":
        campaign.action_start()
    env.cr.commit()
    return reset


QUEUE_SQL = """
    SELECT id
      FROM contact_center_campaign_contact
     WHERE campaign_id = %(campaign)s
       AND state IN ('pending', 'retry', 'callback')
       AND (next_attempt_at IS NULL OR next_attempt_at <= %(now)s)
       AND (callback_agent_id IS NULL OR callback_agent_id = %(agent)s)
     ORDER BY priority DESC, next_attempt_at NULLS FIRST, id
     LIMIT 1
       FOR UPDATE SKIP LOCKED
"""


def _odoo_session(database, campaign_id, agent_id):
    """A take function for one process: its own registry cursor; each take
    is ``_take_next_contact`` and a commit. Returns (take, close)."""
    import odoo  # noqa: PLC0415 - configured before the fork
    from odoo import api  # noqa: PLC0415

    cr = odoo.modules.registry.Registry(database).cursor()
    env = api.Environment(cr, api.SUPERUSER_ID, {})
    campaign = env["contact_center.campaign"].browse(campaign_id)
    agent = env["contact_center.agent"].browse(agent_id)

    def take():
        before = cr.sql_log_count
        try:
            contact_id = campaign._take_next_contact(agent).id
            cr.commit()
            return contact_id
        finally:
            env.invalidate_all()
            take.queries += cr.sql_log_count - before

    take.queries = 0
    return take, cr.close


def _sql_session(database, campaign_id, agent_id):
    """The floor: the bare claim with psycopg2 in READ COMMITTED, the same
    queue query, one UPDATE, a commit."""
    from odoo.sql_db import connection_info_for  # noqa: PLC0415

    _db, info = connection_info_for(database)
    connection = psycopg2.connect(**info)
    connection.set_session(isolation_level="READ COMMITTED")
    cr = connection.cursor()
    params = {"campaign": campaign_id, "agent": agent_id}

    def take():
        params["now"] = now = datetime.now(timezone.utc).replace(tzinfo=None)
        cr.execute(QUEUE_SQL, params)
        row = cr.fetchone()
        if row:
            cr.execute(
                """
                UPDATE contact_center_campaign_contact
                   SET state = 'in_progress', agent_id = %s, lease_until = %s
                 WHERE id = %s
                """,
                (agent_id, now + timedelta(minutes=15), row[0]),
            )
        connection.commit()
        return row[0] if row else False

    take.queries = 0  # not counted
    return take, connection.close


def _session(kind, database, campaign_id, agent_id, start, deadline, pace, out):
    """One process: take contacts back to back (or at most one per ``pace``
    seconds) until ``deadline``; send (taken, latencies, empty, errors,
    retried) to ``out``."""
    taken, latencies, empty, errors, retried, take = [], [], 0, [], 0, None
    warm = None
    try:
        make = _odoo_session if kind == "odoo" else _sql_session
        take, close = make(database, campaign_id, agent_id)
        # a session's first take loads its caches (registry, rules, the
        # campaign): done before the clock starts, its contact still counted
        # for duplicates
        warm = take()
        start.wait()
        # paced agents do not start in step: each takes at its own second
        next_at = time.time() + (random.random() * pace if pace else 0)
        while True:
            if pace:
                time.sleep(max(0.0, next_at - time.time()))
                next_at += pace
            if time.time() >= deadline.value:
                break
            began = time.perf_counter()
            for _try in range(RETRIES):
                try:
                    contact_id = take()
                    break
                except psycopg2.errors.SerializationFailure:
                    # the take itself should not let one escape; counted
                    retried += 1
                except Exception as error:  # noqa: BLE001 - counted, shown
                    errors.append(repr(error))
                    contact_id = None
                    break
            else:
                continue
            if contact_id is None:
                continue
            latencies.append((time.perf_counter() - began) * 1000)
            if contact_id:
                taken.append(contact_id)
            else:
                empty += 1
        close()
    except Exception as error:  # noqa: BLE001 - shown by the parent
        errors.append(repr(error))
    queries = take.queries if take else 0
    out.put((taken, latencies, empty, errors, retried, queries, warm))


def hand_out(kind, database, campaign_id, agent_ids, seconds, pace=0.0):
    """``len(agent_ids)`` processes (each its own connection) taking for
    ``seconds``: returns (taken ids, sorted latencies in ms, empty takes,
    errors, serialization failures retried, queries)."""
    import odoo  # noqa: PLC0415

    # the children must not share the parent's connections
    odoo.sql_db.close_all()
    context = multiprocessing.get_context("fork")
    start = context.Barrier(len(agent_ids) + 1)
    deadline = context.Value("d", float("inf"))
    out = context.Queue()
    processes = [
        context.Process(
            target=_session,
            args=(kind, database, campaign_id, a, start, deadline, pace, out),
        )
        for a in agent_ids
    ]
    for process in processes:
        process.start()
    start.wait()
    deadline.value = time.time() + seconds
    results = [out.get() for _process in processes]
    for process in processes:
        process.join()
    return (
        [i for r in results for i in r[0]],
        sorted(ms for r in results for ms in r[1]),
        sum(r[2] for r in results),
        [e for r in results for e in r[3]],
        sum(r[4] for r in results),
        sum(r[5] for r in results),
        [r[6] for r in results if r[6]],
    )


def _figures(taken, latencies, seconds, warm=()):
    """Rate and latencies of the timed takes; duplicates over every contact
    handed out, the sessions' warm-up takes included."""
    p50 = statistics.median(latencies) if latencies else 0.0
    p99 = latencies[int(0.99 * (len(latencies) - 1))] if latencies else 0.0
    every = list(taken) + list(warm)
    return len(taken) / seconds, p50, p99, len(every) - len(set(every))


def main():
    parser = argument_parser(__doc__.splitlines()[0])
    parser.add_argument(
        "--rows",
        "--contacts",
        dest="rows",
        type=int,
        default=1_000_000,
        help="contacts in the list (50000 for a run of a few minutes)",
    )
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument(
        "--paced-seconds",
        type=float,
        default=30,
        help="length of the paced run (each session takes at most one "
        "contact a second, as an agent does); 0: none",
    )
    parser.add_argument(
        "--skip-import",
        action="store_true",
        help="time only the hand-out when an earlier run kept the campaign",
    )
    args = parser.parse_args()

    started = time.perf_counter()
    path = generate_csv(args.rows)
    print(
        f"list: {args.rows} rows, {os.path.getsize(path) / 1e6:.0f} MB ({path}, "
        f"{time.perf_counter() - started:.1f} s to make or find)"
    )
    count, floor_rate = floor(path)
    print(f"(a) floor, csv read + phonenumbers.parse: {floor_rate:,.0f} rows/s")

    with environment(args) as env:
        team, agents = ensure_agents(env, args.sessions)
        env.cr.commit()
        kept = env["contact_center.campaign"].search(
            [("name", "=", f"Bench dialer ({args.rows} rows)")], limit=1
        )
        if args.skip_import and kept:
            campaign = kept
            print("(b) campaign._import_contacts: skipped (--skip-import)")
        else:
            campaign, report, elapsed = import_list(env, team, path, args.rows)
            rate = count / elapsed
            print(
                f"(b) campaign._import_contacts: {rate:,.0f} rows/s "
                f"({elapsed:.1f} s), {rate / floor_rate:.2f} x the floor; "
                f"imported {report['imported']}, merged {report['merged']}, "
                f"invalid {report['invalid']}, excluded {report['excluded']}, "
                f"{len(report['errors'])} errors listed (target >= 5,000 rows/s)"
            )
        reset = reset_queue(env, campaign)
        connection = autocommit_connection(args.database)
        with connection.cursor() as cr:
            for table in TABLES:
                cr.execute(f"VACUUM ANALYZE {table}")  # names from TABLES
        connection.close()
        env.cr.execute(
            "SELECT count(*) FROM contact_center_campaign_contact"
            " WHERE campaign_id = %s",
            (campaign.id,),
        )
        (size,) = env.cr.fetchone()
        campaign_id, agent_ids = campaign.id, agents.ids

    runs = [
        ("floor", "sql", args.seconds, 0.0),
        ("hand-out", "odoo", args.seconds, 0.0),
    ]
    if args.paced_seconds:
        runs.append(("paced floor", "sql", args.paced_seconds, 1.0))
        runs.append(("paced", "odoo", args.paced_seconds, 1.0))
    print(
        f"(c) hand-out: {len(agent_ids)} processes, each its own connection, "
        f"on {size:,} contacts ({reset} put back first); taken contacts stay "
        "taken (target p99 < 20 ms)"
    )
    floor_p99 = {}
    for label, kind, seconds, pace in runs:
        # the contacts the previous run took leave dead entries at the head
        # of the queue's index: vacuum them as autovacuum would
        connection = autocommit_connection(args.database)
        vacuum_analyze(connection, TABLES[:1])
        connection.close()
        taken, latencies, empty, errors, retried, queries, warm = hand_out(
            kind, args.database, campaign_id, agent_ids, seconds, pace
        )
        rate, p50, p99, duplicates = _figures(taken, latencies, seconds, warm)
        what = {
            "floor": "bare SQL claim (psycopg2, READ COMMITTED)",
            "hand-out": "_take_next_contact, back to back",
            "paced floor": "bare SQL claim, <= 1 take/s per session",
            "paced": "_take_next_contact, <= 1 take/s per session",
        }[label]
        ratio = ""
        if queries:
            ratio += f", {queries / max(len(latencies), 1):.1f} queries a take"
        if kind == "sql":
            floor_p99[pace] = p99
        elif floor_p99.get(pace):
            ratio += f", p99 {p99 / floor_p99[pace]:.1f} x its floor's"
        print(
            f"    {label:11} {what}, {seconds:g} s: {rate:,.0f} takes/s, "
            f"p50 {p50:.1f} ms, p99 {p99:.1f} ms{ratio}, duplicates "
            f"{duplicates} (must be 0), {empty} empty, {len(errors)} errors, "
            f"{retried} serialization failures retried"
        )
        for error in sorted(set(errors))[:5]:
            print("        error:", error)


if __name__ == "__main__":
    main()
