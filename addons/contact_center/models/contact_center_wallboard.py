from datetime import datetime, time

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools import kpi as kpi_tools
from ..tools.kpi import LIVE_CHANNELS

# the figures of the day the wallboard shows, each against its target
WALLBOARD_KPIS = ("service_level", "abandon_rate", "aht", "csat")
# how many rows the leaderboard and the urgent tickets list show
LEADERBOARD_SIZE = 8
URGENT_TICKETS_SIZE = 5
# the bus: the client adds this channel, ir.websocket turns it into the
# company channels below (see ir_websocket.py)
BUS_CHANNEL = "contact_center.wallboard"
BUS_TYPE = "contact_center.wallboard/refresh"
PENDING_KEY = "contact_center.wallboard.teams"


class ContactCenterWallboard(models.AbstractModel):
    """The live wallboard of one team or several: who does what, what waits,
    and today's figures against their targets.

    :meth:`get_wallboard_data` reads everything in a constant number of
    set-based queries, whatever the number of agents; :meth:`_cc_notify`
    pings the open wallboards (one bus notification per transaction and
    company, team ids only) so they fetch again through the access-checked
    RPC.
    """

    _name = "contact_center.wallboard"
    _description = "Contact Center Wallboard"

    # ------------------------------------------------------------------
    # Scope
    # ------------------------------------------------------------------
    @api.model
    def _wallboard_teams(self):
        """(teams the user may open the wallboard of, the user's own teams).

        Administrators: every team of their companies; supervisors: the
        teams they supervise or belong to; agents: the teams they belong to.
        """
        user = self.env.user
        # sudo: team names and membership only, restricted to the user's
        # companies here; the figures are filtered on the result
        Team = self.env["contact_center.team"].sudo()
        company_ids = self.env.companies.ids
        mine = Team.search(
            [
                ("company_id", "in", company_ids),
                "|",
                ("supervisor_ids", "in", user.id),
                ("member_ids.user_id", "=", user.id),
            ]
        )
        if user.has_group("contact_center.group_contact_center_manager"):
            allowed = Team.search([("company_id", "in", company_ids)])
        elif user.has_group("contact_center.group_contact_center_agent"):
            allowed = mine
        else:
            allowed = Team
        return allowed, mine

    @api.model
    def _check_wallboard_teams(self, team_ids):
        allowed, mine = self._wallboard_teams()
        if not allowed:
            raise AccessError(
                self.env._("Only contact center users read a wallboard of their teams.")
            )
        if not team_ids:
            return (mine or allowed), allowed
        team_ids = [int(team_id) for team_id in team_ids]
        chosen = allowed.browse(team_ids) & allowed
        if len(chosen) != len(set(team_ids)):
            raise AccessError(
                self.env._("You may only open the wallboard of your own teams.")
            )
        return chosen, allowed

    # ------------------------------------------------------------------
    # Data (JSON-RPC)
    # ------------------------------------------------------------------
    @api.model
    def get_wallboard_data(self, team_ids=None):
        """Everything the wallboard shows for ``team_ids`` (default: the
        user's teams), as plain dicts; times in naive UTC strings."""
        teams, allowed = self._check_wallboard_teams(team_ids)
        now = fields.Datetime.now()
        tz_name = self._wallboard_tz(teams)
        day_start = self._local_midnight(now, tz_name)
        agents = self._agents(teams, now)
        waiting = self._waiting(teams, now)
        figures_sets = self.env["contact_center.kpi"]._compute_sets(
            day_start, now, team_ids=teams.ids, groupbys=(None, "agent_id")
        )
        total = figures_sets[None][0] if figures_sets[None] else {}
        by_agent = {row["key"]: row for row in figures_sets["agent_id"]}
        targets = self._wallboard_targets(teams, [a["id"] for a in agents])
        kpis = []
        for code in WALLBOARD_KPIS:
            value = total.get(code)
            target = targets.get(code)
            kpis.append(
                {
                    "code": code,
                    "label": self.env["contact_center.kpi"]._kpi_label(code),
                    "unit": kpi_tools.KPIS[code].unit,
                    "value": value,
                    "target": target,
                    "status": kpi_tools.status(code, value, target),
                }
            )
        names = {agent["id"]: agent["name"] for agent in agents}
        leaders = sorted(
            (
                {
                    "id": agent_id,
                    "name": names.get(agent_id, ""),
                    "handled": row["handled"] or 0,
                    "aht": row["aht"],
                }
                for agent_id, row in by_agent.items()
                if agent_id in names and row["handled"]
            ),
            key=lambda leader: (-leader["handled"], leader["aht"] or 0, leader["name"]),
        )[:LEADERBOARD_SIZE]
        return {
            "now": fields.Datetime.to_string(now),
            "day_start": fields.Datetime.to_string(day_start),
            "tz": tz_name,
            "teams": [{"id": team.id, "name": team.name} for team in allowed],
            "team_ids": teams.ids,
            "agents": agents,
            "presence_counts": self._presence_counts(agents),
            **waiting,
            "handled": total.get("handled") or 0,
            "offered": total.get("offered") or 0,
            "kpis": kpis,
            "leaderboard": leaders,
        }

    @api.model
    def _wallboard_tz(self, teams):
        """The time zone "today" is measured in: the teams' when they share
        one, else the user's."""
        zones = set(teams.mapped("tz"))
        if len(zones) == 1:
            return zones.pop() or "UTC"
        return self.env.user.tz or "UTC"

    @api.model
    def _local_midnight(self, now, tz_name):
        tz = pytz.timezone(tz_name)
        local_day = pytz.utc.localize(now).astimezone(tz).date()
        midnight = tz.localize(datetime.combine(local_day, time.min))
        return midnight.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _agents(self, teams, now):
        """The active agents of the teams, with presence, time in state and
        their live call (or else their ticket due first): three queries."""
        self.env["contact_center.agent"].flush_model(
            ["name", "presence", "presence_since", "active", "company_id"]
        )
        self.env["contact_center.interaction"].flush_model(
            ["agent_id", "state", "channel", "queued_at", "answered_at", "ended_at"]
        )
        self.env["contact_center.ticket"].flush_model(
            ["agent_id", "is_open", "active", "reference", "sla_deadline"]
        )
        cr = self.env.cr
        cr.execute(
            """
            SELECT a.id, a.name, a.presence, a.presence_since
              FROM contact_center_agent a
             WHERE a.active
               AND a.company_id = ANY(%s)
               AND EXISTS (SELECT 1 FROM contact_center_agent_team_rel r
                            WHERE r.agent_id = a.id AND r.team_id = ANY(%s))
             ORDER BY a.name, a.id
            """,
            (self.env.companies.ids, teams.ids),
        )
        rows = cr.fetchall()
        agent_ids = [row[0] for row in rows]
        calls, tickets = {}, {}
        if agent_ids:
            # the live contact of each agent (ringing, talking or wrapping up)
            cr.execute(
                """
                SELECT DISTINCT ON (agent_id)
                       agent_id, channel, state,
                       COALESCE(answered_at, queued_at), ended_at
                  FROM contact_center_interaction
                 WHERE agent_id = ANY(%s)
                   AND state IN ('ringing', 'in_progress', 'wrap_up')
                 ORDER BY agent_id, queued_at DESC, id DESC
                """,
                (agent_ids,),
            )
            calls = {row[0]: row[1:] for row in cr.fetchall()}
            # else the open ticket due first (reference only: no subject)
            cr.execute(
                """
                SELECT DISTINCT ON (agent_id) agent_id, reference
                  FROM contact_center_ticket
                 WHERE agent_id = ANY(%s) AND is_open AND active
                 ORDER BY agent_id, sla_deadline ASC NULLS LAST, id
                """,
                (agent_ids,),
            )
            tickets = dict(cr.fetchall())
        channels = dict(
            self.env["contact_center.interaction"]
            ._fields["channel"]
            ._description_selection(self.env)
        )
        presences = dict(
            self.env["contact_center.agent"]
            ._fields["presence"]
            ._description_selection(self.env)
        )
        agents = []
        for agent_id, name, presence, since in rows:
            current = None
            if agent_id in calls:
                channel, state, started, ended = calls[agent_id]
                current = {
                    "kind": "contact",
                    "label": channels.get(channel, channel),
                    "state": state,
                    "since": fields.Datetime.to_string(
                        ended if state == "wrap_up" else started
                    ),
                }
            elif agent_id in tickets:
                current = {
                    "kind": "ticket",
                    "label": tickets[agent_id],
                    "state": False,
                    "since": False,
                }
            agents.append(
                {
                    "id": agent_id,
                    "name": name,
                    "presence": presence,
                    "presence_label": presences.get(presence, presence),
                    "since": fields.Datetime.to_string(since) if since else False,
                    "seconds_in_state": (
                        max(int((now - since).total_seconds()), 0) if since else None
                    ),
                    "current": current,
                }
            )
        return agents

    @api.model
    def _presence_counts(self, agents):
        counts = dict.fromkeys(("available", "busy", "wrap_up", "break", "offline"), 0)
        for agent in agents:
            counts[agent["presence"]] = counts.get(agent["presence"], 0) + 1
        return counts

    @api.model
    def _waiting(self, teams, now):
        """Calls and tickets waiting, the longest waits, and the open tickets
        at risk or breached: three grouped queries."""
        cr = self.env.cr
        self.env["contact_center.ticket"].flush_model(
            ["team_id", "agent_id", "is_open", "active", "sla_status", "sla_deadline"]
        )
        cr.execute(
            """
            SELECT count(*), min(queued_at)
              FROM contact_center_interaction
             WHERE state = 'queued' AND team_id = ANY(%s) AND channel = ANY(%s)
            """,
            (teams.ids, list(LIVE_CHANNELS)),
        )
        calls_waiting, oldest_call = cr.fetchone()
        cr.execute(
            """
            SELECT count(*), min(create_date)
              FROM contact_center_ticket
             WHERE is_open AND active AND agent_id IS NULL AND team_id = ANY(%s)
            """,
            (teams.ids,),
        )
        tickets_waiting, oldest_ticket = cr.fetchone()
        # open tickets whose worst SLA target (their stored ``sla_status``,
        # from their contact_center.ticket.sla lines) is at risk or breached:
        # the counts, and the most urgent few
        cr.execute(
            """
            SELECT id, reference, sla_status, sla_deadline,
                   count(*) FILTER (WHERE sla_status = 'at_risk') OVER (),
                   count(*) FILTER (WHERE sla_status = 'breached') OVER ()
              FROM contact_center_ticket
             WHERE is_open AND active AND team_id = ANY(%s)
               AND sla_status IN ('at_risk', 'breached')
             ORDER BY sla_status = 'breached' DESC, sla_deadline ASC NULLS LAST, id
             LIMIT %s
            """,
            (teams.ids, URGENT_TICKETS_SIZE),
        )
        urgent = cr.fetchall()

        def wait(since):
            return max(int((now - since).total_seconds()), 0) if since else None

        return {
            "calls_waiting": calls_waiting,
            "calls_longest_wait": wait(oldest_call),
            "tickets_waiting": tickets_waiting,
            "tickets_longest_wait": wait(oldest_ticket),
            "tickets_at_risk": urgent[0][4] if urgent else 0,
            "tickets_breached": urgent[0][5] if urgent else 0,
            "urgent_tickets": [
                {
                    "id": ticket_id,
                    "reference": reference,
                    "status": status,
                    "deadline": fields.Datetime.to_string(deadline)
                    if deadline
                    else False,
                }
                for ticket_id, reference, status, deadline, _risk, _late in urgent
            ],
        }

    @api.model
    def _wallboard_targets(self, teams, agent_ids):
        """{code: target} of the wallboard's KPIs for these teams: the
        strictest of the teams' targets; the service level falls back on the
        teams' own service-level percentage."""
        Kpi = self.env["contact_center.kpi"]
        targets = Kpi._targets(teams.ids, agent_ids)
        result = {}
        for code in WALLBOARD_KPIS:
            values = [
                targets[(code, "team", team.id)]
                for team in teams
                if (code, "team", team.id) in targets
            ]
            if not values and code == "service_level":
                values = [team.service_level_percent for team in teams]
            if not values:
                result[code] = None
                continue
            better = kpi_tools.KPIS[code].better
            result[code] = max(values) if better == kpi_tools.HIGHER else min(values)
        return result

    # ------------------------------------------------------------------
    # Live updates
    # ------------------------------------------------------------------
    @api.model
    def _cc_notify(self, teams):
        """Ping the wallboards of ``teams`` once this transaction commits.

        Called on the hot paths (calls changing state, presence, tickets):
        no query here, the team ids pile up in the cursor's pre-commit data
        and one notification per company leaves at commit, deduplicated.
        """
        if not teams:
            return
        cr = self.env.cr
        pending = cr.precommit.data.get(PENDING_KEY)
        if pending is None:
            pending = cr.precommit.data[PENDING_KEY] = {}
            cr.precommit.add(self._cc_send_pending)
        # sudo: the company of teams the caller just worked with, read to
        # pick the bus channel
        for team in teams.sudo():
            pending.setdefault(team.company_id.id, set()).add(team.id)

    @api.model
    def _cc_send_pending(self):
        pending = self.env.cr.precommit.data.pop(PENDING_KEY, {})
        Company = self.env["res.company"]
        for company_id, team_ids in pending.items():
            # sudo: the bus is a system table; the message carries team ids,
            # no figure: the clients fetch through get_wallboard_data
            self.env["bus.bus"].sudo()._sendone(
                (Company.browse(company_id), BUS_CHANNEL),
                BUS_TYPE,
                {"team_ids": sorted(team_ids)},
            )
