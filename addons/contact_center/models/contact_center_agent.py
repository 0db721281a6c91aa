from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools import routing
from .contact_center_agent_presence import PRESENCE_STATES
from .contact_center_ticket import OPEN_DOMAIN

# presences agents pick themselves; the system sets busy and wrap-up
SELF_SERVICE_PRESENCES = ("available", "break", "offline")
TIERS = [
    ("junior", "Junior"),
    ("regular", "Regular"),
    ("senior", "Senior"),
    ("expert", "Expert"),
]


class ContactCenterAgent(models.Model):
    _name = "contact_center.agent"
    _description = "Contact Center Agent"
    _inherit = ["mail.thread"]
    _order = "name"
    _check_company_auto = True

    user_id = fields.Many2one(
        "res.users",
        required=True,
        ondelete="cascade",
        index=True,
        domain=[("share", "=", False)],
        tracking=True,
    )
    name = fields.Char(related="user_id.name", store=True)
    image_128 = fields.Image(related="user_id.image_128")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    team_ids = fields.Many2many(
        "contact_center.team",
        "contact_center_agent_team_rel",
        "agent_id",
        "team_id",
        string="Teams",
        check_company=True,
    )
    skill_line_ids = fields.One2many(
        "contact_center.agent.skill", "agent_id", string="Skills"
    )
    language_ids = fields.Many2many(
        "res.lang", string="Languages", domain=[("active", "=", True)]
    )
    tier = fields.Selection(
        TIERS,
        string="Seniority",
        required=True,
        default="regular",
        help="Senior and expert agents are preferred for VIP customers.",
    )
    capacity_phone = fields.Integer(string="Phone Capacity", default=1)
    capacity_email = fields.Integer(string="Email Capacity", default=5)
    capacity_chat = fields.Integer(string="Chat Capacity", default=3)
    capacity_sms = fields.Integer(string="SMS Capacity", default=5)
    capacity_social = fields.Integer(string="Social Capacity", default=3)
    presence = fields.Selection(
        PRESENCE_STATES,
        required=True,
        default="offline",
        readonly=True,
        index=True,
    )
    presence_since = fields.Datetime(readonly=True)
    presence_ids = fields.One2many(
        "contact_center.agent.presence", "agent_id", string="Presence Log"
    )
    extension = fields.Char(
        help="Phone extension or SIP URI the PBX rings for this agent."
    )
    last_assigned_at = fields.Datetime(
        readonly=True, help="When a contact was last handed to this agent."
    )
    interaction_count = fields.Integer(compute="_compute_interaction_count")

    _sql_constraints = [
        ("user_uniq", "unique(user_id)", "This user is already an agent."),
        (
            "capacity_positive",
            "CHECK(capacity_phone >= 0 AND capacity_email >= 0 AND capacity_chat >= 0"
            " AND capacity_sms >= 0 AND capacity_social >= 0)",
            "Capacities cannot be negative.",
        ),
    ]

    def _compute_interaction_count(self):
        counts = dict(
            self.env["contact_center.interaction"]._read_group(
                [("agent_id", "in", self.ids)], ["agent_id"], ["__count"]
            )
        )
        for agent in self:
            agent.interaction_count = counts.get(agent, 0)

    @api.model_create_multi
    def create(self, vals_list):
        agents = super().create(vals_list)
        # The first period starts when the agent is created (offline).
        now = fields.Datetime.now()
        agents.sudo().write({"presence_since": now})  # sudo: system field
        self.env["contact_center.agent.presence"].sudo().create(
            [
                {
                    "agent_id": agent.id,
                    "state": agent.presence,
                    "start_at": now,
                    "changed_by_id": self.env.uid,
                }
                for agent in agents
            ]
        )
        return agents

    # ------------------------------------------------------------------
    # Presence
    # ------------------------------------------------------------------
    def _check_presence_rights(self):
        """Raise AccessError unless the user may change these agents' presence.

        Agents change their own presence; supervisors change it for the agents
        of the teams they supervise; administrators for everyone.
        """
        user = self.env.user
        if self.env.su or user.has_group("contact_center.group_contact_center_manager"):
            return
        is_supervisor = user.has_group("contact_center.group_contact_center_supervisor")
        for agent in self.sudo():  # sudo: read team membership for the check only
            if agent.user_id == user:
                continue
            if is_supervisor and user in agent.team_ids.supervisor_ids:
                continue
            raise AccessError(
                self.env._(
                    "You cannot change the presence of %(agent)s: only the agent, "
                    "the supervisors of their teams and administrators can.",
                    agent=agent.name,
                )
            )

    def _set_presence(self, state, at=None):
        """Move the agents to ``state``, closing and opening presence periods.

        One write closes every open period and one create opens the new ones,
        whatever the number of agents.
        """
        if state not in dict(PRESENCE_STATES):
            raise UserError(self.env._("Unknown presence state: %s", state))
        self._check_presence_rights()
        agents = self.filtered(lambda a: a.presence != state)
        if not agents:
            return True
        at = at or fields.Datetime.now()
        # sudo: rights were checked above; presence rows are system-written
        Presence = self.env["contact_center.agent.presence"].sudo()
        Presence.search([("agent_id", "in", agents.ids), ("end_at", "=", False)]).write(
            {"end_at": at}
        )
        # close periods in the database before opening the new ones: a partial
        # unique index allows one open period per agent
        Presence.flush_model(["end_at"])
        Presence.create(
            [
                {
                    "agent_id": agent.id,
                    "state": state,
                    "start_at": at,
                    "changed_by_id": self.env.uid,
                }
                for agent in agents
            ]
        )
        agents.sudo().write({"presence": state, "presence_since": at})
        if state == "available":
            agents._assign_waiting_tickets()
        for agent in agents:
            agent.user_id._bus_send(
                "contact_center.presence",
                {"agent_id": agent.id, "presence": state, "since": str(at)},
            )
        return True

    # ------------------------------------------------------------------
    # Routing
    # ------------------------------------------------------------------
    def _routing_states(self, channel, teams):
        """Routing state of the active agents of ``teams`` for ``channel``.

        Returns {agent id: routing.AgentState}. Agents with their teams,
        skills and languages are read in one query and their load in a
        second one: this runs for every routed ticket and every call.
        """
        capacity = f"capacity_{channel}"
        if capacity not in self._fields:
            raise ValueError(f"unknown channel {channel!r}")
        self.flush_model()
        self.env["contact_center.agent.skill"].flush_model()
        teams_field = self._fields["team_ids"]
        langs_field = self._fields["language_ids"]
        self.env.cr.execute(
            SQL(
                """
                SELECT a.id, a.presence, a.tier, a.last_assigned_at, a.%(capacity)s,
                       ARRAY(SELECT r.%(team_col)s FROM %(team_rel)s r
                              WHERE r.%(agent_col)s = a.id),
                       ARRAY(SELECT l.code FROM %(lang_rel)s r
                               JOIN res_lang l ON l.id = r.%(lang_col)s
                              WHERE r.%(lang_agent_col)s = a.id),
                       ARRAY(SELECT ARRAY[s.skill_id, s.level::int]
                               FROM contact_center_agent_skill s
                              WHERE s.agent_id = a.id)
                  FROM contact_center_agent a
                 WHERE a.active
                   AND EXISTS (SELECT 1 FROM %(team_rel)s r
                                WHERE r.%(agent_col)s = a.id
                                  AND r.%(team_col)s = ANY(%(teams)s))
                """,
                capacity=SQL.identifier(capacity),
                team_rel=SQL.identifier(teams_field.relation),
                agent_col=SQL.identifier(teams_field.column1),
                team_col=SQL.identifier(teams_field.column2),
                lang_rel=SQL.identifier(langs_field.relation),
                lang_agent_col=SQL.identifier(langs_field.column1),
                lang_col=SQL.identifier(langs_field.column2),
                teams=teams.ids,
            )
        )
        rows = self.env.cr.fetchall()
        agents = self.browse([row[0] for row in rows])
        loads = (
            agents._open_ticket_loads()
            if channel == "email"
            else agents._open_interaction_loads(channel)
        )
        return {
            agent_id: routing.AgentState(
                id=agent_id,
                presence=presence,
                team_ids=frozenset(team_ids),
                capacity=agent_capacity or 0,
                load=loads.get(agent_id, 0),
                skills=dict(skills),
                languages=frozenset(languages),
                tier=tier,
                last_assigned_at=last_assigned_at or None,
            )
            for (
                agent_id,
                presence,
                tier,
                last_assigned_at,
                agent_capacity,
                team_ids,
                languages,
                skills,
            ) in rows
        }

    def _open_ticket_loads(self):
        """{agent id: number of open tickets assigned}, in one query.

        Runs on every routed ticket: plain SQL on the partial index of open
        assigned tickets, without the domain machinery of a grouped read.
        """
        if not self:
            return {}
        Ticket = self.env["contact_center.ticket"]
        Ticket.flush_model(["agent_id", "is_open", "active"])
        # the predicate of contact_center_ticket_open_agent_idx
        self.env.cr.execute(
            """
            SELECT agent_id, count(*)
              FROM contact_center_ticket
             WHERE agent_id = ANY(%s) AND is_open AND active
               AND agent_id IS NOT NULL
          GROUP BY agent_id
            """,
            (self.ids,),
        )
        return dict(self.env.cr.fetchall())

    def _open_interaction_loads(self, channel):
        """{agent id: contacts of ``channel`` ringing or in progress}."""
        if not self:
            return {}
        self.env["contact_center.interaction"].flush_model(
            ["agent_id", "channel", "state"]
        )
        # the predicate of contact_center_interaction_live_agent_idx
        self.env.cr.execute(
            """
            SELECT agent_id, count(*)
              FROM contact_center_interaction
             WHERE agent_id = ANY(%s) AND channel = %s
               AND state IN ('ringing', 'in_progress')
          GROUP BY agent_id
            """,
            (self.ids, channel),
        )
        return dict(self.env.cr.fetchall())

    def _assign_waiting_tickets(self):
        """Give each of these agents, if free, the waiting tickets due first.

        One search finds the waiting tickets of all their teams; nothing more
        is read when no ticket waits.
        """
        agents = self.sudo().filtered(lambda a: a.presence == "available")
        if not agents:
            return
        Ticket = self.env["contact_center.ticket"].sudo()
        waiting = Ticket.search(
            [
                ("team_id", "in", agents.team_ids.ids),
                ("agent_id", "=", False),
                *OPEN_DOMAIN,
            ],
            order="sla_deadline asc, id",
            limit=200,
        )
        if not waiting:
            return
        states = self._routing_states("email", agents.team_ids)
        previous = waiting._previous_agents()
        now = fields.Datetime.now()
        for agent in agents:
            state = states[agent.id]
            while True:
                item = routing.next_item_for(
                    state, [t._routing_item(previous) for t in waiting]
                )
                if not item:
                    break
                ticket = waiting.browse(item.id)
                ticket.with_context(cc_routing=True).write(
                    {
                        "agent_id": agent.id,
                        "routing_reason": self.env._(
                            "%s became free: earliest deadline of the queue first",
                            agent.name,
                        ),
                    }
                )
                agent.last_assigned_at = now
                waiting -= ticket
                state = routing.AgentState(
                    **{
                        **state.__dict__,
                        "load": state.load + 1,
                        "last_assigned_at": now,
                    }
                )

    def action_set_available(self):
        return self._set_presence("available")

    def action_set_break(self):
        return self._set_presence("break")

    def action_set_offline(self):
        return self._set_presence("offline")

    @api.model
    def _get_my_agent(self):
        return self.search([("user_id", "=", self.env.uid)], limit=1)

    @api.model
    def get_my_presence(self):
        """Presence of the current user's agent, for the systray widget."""
        if not self.env.user.has_group("contact_center.group_contact_center_agent"):
            return False
        agent = self._get_my_agent()
        if not agent:
            return False
        return {
            "agent_id": agent.id,
            "presence": agent.presence,
            "since": fields.Datetime.to_string(agent.presence_since),
            "states": [
                {"code": code, "label": label}
                for code, label in self._fields["presence"]._description_selection(
                    self.env
                )
            ],
        }

    @api.model
    def set_my_presence(self, state):
        agent = self._get_my_agent()
        if not agent:
            raise UserError(self.env._("You are not a contact center agent."))
        if state not in SELF_SERVICE_PRESENCES:
            # busy and wrap-up follow the agent's contacts, not their choice
            raise UserError(
                self.env._("You can only set yourself available, on break or offline.")
            )
        agent._set_presence(state)
        return self.get_my_presence()

    def action_view_presence(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "contact_center.contact_center_agent_presence_action"
        )
        action["domain"] = [("agent_id", "=", self.id)]
        return action

    def action_view_interactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "contact_center.contact_center_interaction_action"
        )
        action["domain"] = [("agent_id", "=", self.id)]
        return action
