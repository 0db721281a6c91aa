#!/usr/bin/env python3
"""Fill an installed database with a realistic, deterministic contact center.

    python3 tests/bench/generate_data.py -d DB --partners 20000 --interactions 100000

Teams, agent users and agents go through the ORM (few records, so defaults,
groups and presence logs are right); customers, interactions and presence
history are bulk-loaded with COPY, computed columns filled with the same
functions the models use. The same seed gives the same data.
"""

import io
import time
from datetime import datetime

from _odoo_env import argument_parser, environment

BATCH = 50_000


def _copy(cr, table, columns, rows):
    """COPY ``rows`` (tuples) into ``table`` in batches; return the row count."""
    count = 0
    buf = io.StringIO()

    def flush():
        buf.seek(0)
        cr._obj.copy_expert(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT text)", buf
        )
        buf.seek(0)
        buf.truncate()

    for row in rows:
        buf.write("\t".join(_text(v) for v in row))
        buf.write("\n")
        count += 1
        if count % BATCH == 0:
            flush()
    if buf.tell():
        flush()
    return count


def _text(value):
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace("\t", " ")
        .replace("\n", " ")
        .replace("\r", " ")
    )


def ensure_people(env, teams, agents, seed):
    """Create (or reuse) generated teams and agents; return their ids."""
    from odoo import Command  # noqa: PLC0415

    Team = env["contact_center.team"].with_context(tracking_disable=True)
    found = Team.search([("name", "=like", "Generated Team %")], order="id")
    for i in range(len(found), teams):
        found |= Team.create({"name": f"Generated Team {i + 1:02d}"})
    team_ids = found[:teams].ids
    group = env.ref("contact_center.group_contact_center_agent")
    Users = env["res.users"].with_context(no_reset_password=True, tracking_disable=True)
    existing = env["contact_center.agent"].search(
        [("user_id.login", "=like", "cc_gen_agent_%")], order="id"
    )
    new_users = Users.create(
        [
            {
                "name": f"Generated Agent {i + 1:03d}",
                "login": f"cc_gen_agent_{seed}_{i + 1:03d}",
                "groups_id": [Command.link(group.id)],
            }
            for i in range(len(existing), agents)
        ]
    )
    if new_users:
        tiers = ["junior", "regular", "regular", "senior", "expert"]
        existing |= env["contact_center.agent"].create(
            [
                {
                    "user_id": user.id,
                    "tier": tiers[i % len(tiers)],
                    "team_ids": [Command.link(team_ids[i % len(team_ids)])],
                }
                for i, user in enumerate(new_users)
            ]
        )
    agent_recs = existing[:agents]
    return team_ids, agent_recs.ids, agent_recs.mapped("user_id").ids


def load_customers(env, n, seed):
    import datagen  # noqa: PLC0415 - needs the addons path set up first

    cr = env.cr
    countries = dict(
        env.cr.execute("SELECT code, id FROM res_country") or cr.fetchall()
    )
    tiers = [
        env.ref(f"contact_center.customer_tier_{t}").id
        for t in ("standard", "silver", "gold", "vip")
    ]
    langs = set(env["res.lang"].search([]).mapped("code"))
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM res_partner")
    (before,) = cr.fetchone()
    now = datetime.now().replace(microsecond=0)
    columns = (
        "name", "complete_name", "email", "email_normalized", "phone", "mobile",
        "country_id", "lang", "active", "type", "is_company", "partner_share",
        "cc_tier_id", "cc_phone_e164", "cc_mobile_e164",
        "create_uid", "write_uid", "create_date", "write_date",
    )  # fmt: skip
    rows = (
        (
            c["name"],
            c["name"],
            c["email"],
            c["email"],
            c["phone"],
            c["mobile"],
            countries.get(c["country_code"]),
            c["lang"] if c["lang"] in langs else "en_US",
            True,
            "contact",
            False,
            True,
            tiers[c["tier"]],
            c["phone_e164"],
            c["mobile_e164"],
            1,
            1,
            now,
            now,
        )  # fmt: skip
        for c in datagen.customers(n, seed)
    )
    count = _copy(cr, "res_partner", columns, rows)
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id "
        "WHERE id > %s AND commercial_partner_id IS NULL",
        (before,),
    )
    cr.execute("SELECT id FROM res_partner WHERE id > %s ORDER BY id", (before,))
    return count, [r[0] for r in cr.fetchall()]


def load_interactions(
    env, m, partner_ids, team_ids, agent_ids, user_ids, days, seed, now=None
):
    import datagen  # noqa: PLC0415 - needs the addons path set up first

    dispositions = {d.code: d.id for d in env["contact_center.disposition"].search([])}
    company_id = env.company.id
    now = (now or datetime.now()).replace(microsecond=0)
    columns = (
        "name", "channel", "direction", "state", "company_id", "partner_id",
        "team_id", "agent_id", "user_id", "queued_at", "answered_at", "ended_at",
        "wrap_up_ended_at", "hold_seconds", "wait_seconds", "talk_seconds",
        "after_call_work_seconds", "handle_seconds", "disposition_id",
        "is_resolved", "is_transferred",
        "create_uid", "write_uid", "create_date", "write_date",
    )  # fmt: skip

    def rows():
        for r in datagen.interactions(
            m, len(partner_ids), len(agent_ids), len(team_ids), days, seed, now
        ):
            agent = r["agent_index"]
            yield (
                r["name"], r["channel"], r["direction"], r["state"], company_id,
                partner_ids[r["partner_index"]] if partner_ids else None,
                team_ids[r["team_index"]] if team_ids else None,
                agent_ids[agent] if agent is not None else None,
                user_ids[agent] if agent is not None else None,
                r["queued_at"], r["answered_at"], r["ended_at"], r["wrap_up_ended_at"],
                r["hold_seconds"], r["wait_seconds"], r["talk_seconds"],
                r["after_call_work_seconds"], r["handle_seconds"],
                dispositions.get(r["disposition"]), r["is_resolved"], r["is_transferred"],
                1, 1, r["queued_at"], r["queued_at"],
            )  # fmt: skip

    # written in the order they happen, as a table filled day after day is:
    # a month's contacts then sit together on disk, not all over the table
    ordered = sorted(rows(), key=lambda row: row[columns.index("queued_at")])
    return _copy(env.cr, "contact_center_interaction", columns, ordered)


def load_presence(env, agent_ids, days, seed, now=None):
    import datagen  # noqa: PLC0415 - needs the addons path set up first

    cr = env.cr
    # the generated history replaces the periods the ORM opened at creation
    cr.execute(
        "DELETE FROM contact_center_agent_presence WHERE agent_id = ANY(%s)",
        (agent_ids,),
    )
    company_id = env.company.id
    agents = env["contact_center.agent"].browse(agent_ids)
    users = dict(zip(agents.ids, agents.mapped("user_id").ids, strict=True))
    columns = (
        "agent_id", "user_id", "company_id", "state", "start_at", "end_at",
        "duration_seconds", "changed_by_id", "create_uid", "write_uid",
        "create_date", "write_date",
    )  # fmt: skip
    last = {}

    def rows():
        for p in datagen.presence_periods(len(agent_ids), days, seed, now):
            agent = agent_ids[p["agent_index"]]
            end = p["end_at"]
            seconds = int((end - p["start_at"]).total_seconds()) if end else 0
            last[agent] = (p["state"], p["start_at"])
            yield (
                agent, users[agent], company_id, p["state"], p["start_at"], end,
                seconds, users[agent], 1, 1, p["start_at"], end or p["start_at"],
            )  # fmt: skip

    count = _copy(cr, "contact_center_agent_presence", columns, rows())
    for agent, (state, since) in last.items():
        cr.execute(
            "UPDATE contact_center_agent SET presence = %s, presence_since = %s "
            "WHERE id = %s",
            (state, since, agent),
        )
    return count


def generate(
    env, partners, interactions, days=90, seed=1, teams=6, agents=60, now=None
):
    """Generate the data set; return a dict of counts.

    Timestamps end at ``now`` (default: the current time), so a demo database
    always shows the last ``days`` days; pass ``now`` for identical rows.
    """
    started = time.perf_counter()
    team_ids, agent_ids, user_ids = ensure_people(env, teams, agents, seed)
    n_partners, partner_ids = (
        load_customers(env, partners, seed) if partners else (0, [])
    )
    if interactions and not partner_ids:
        env.cr.execute(
            "SELECT id FROM res_partner WHERE cc_phone_e164 IS NOT NULL ORDER BY id"
        )
        partner_ids = [r[0] for r in env.cr.fetchall()]
    n_interactions = load_interactions(
        env, interactions, partner_ids, team_ids, agent_ids, user_ids, days, seed, now
    )
    n_presence = load_presence(env, agent_ids, days, seed, now)
    # first-contact resolution: flag the contacts customers followed up on,
    # as the model does when a contact is recorded
    env["contact_center.interaction"]._cc_flag_repeat_contacts_since(
        None, datetime(1970, 1, 1)
    )
    env.invalidate_all()
    for table in (
        "res_partner",
        "contact_center_interaction",
        "contact_center_agent_presence",
    ):
        env.cr.execute(f"ANALYZE {table}")  # table names are constants
    return {
        "teams": len(team_ids),
        "agents": len(agent_ids),
        "customers": n_partners,
        "interactions": n_interactions,
        "presence periods": n_presence,
        "seconds": round(time.perf_counter() - started, 1),
    }


def main():
    parser = argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=2000)
    parser.add_argument("--interactions", type=int, default=20000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--teams", type=int, default=6)
    parser.add_argument("--agents", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--now",
        type=datetime.fromisoformat,
        help="end of the generated period (default: now), e.g. 2026-06-01T12:00",
    )
    args = parser.parse_args()
    with environment(args) as env:
        counts = generate(
            env, args.partners, args.interactions, args.days, args.seed,
            args.teams, args.agents, args.now,
        )  # fmt: skip
    for key, value in counts.items():
        print(f"{key:>18}: {value}")


if __name__ == "__main__":
    main()
