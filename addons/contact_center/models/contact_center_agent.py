import re

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools import presence as presence_engine
from ..tools import routing
from .contact_center_agent_presence import PRESENCE_STATES
from .contact_center_range_mixin import NOT_NEGATIVE
from .contact_center_ticket import OPEN_DOMAIN, TICKET_CHANNELS, ticket_bucket

# channels an agent has a capacity of (capacity_<channel>)
CAPACITY_CHANNELS = ("phone", "email", "chat", "sms", "social")

# presences agents pick themselves; the system sets busy and wrap-up
SELF_SERVICE_PRESENCES = ("available", "break", "offline")
TIERS = [
    ("junior", "Junior"),
    ("regular", "Regular"),
    ("senior", "Senior"),
    ("expert", "Expert"),
]
# What supervisors may change on the agents of the teams they supervise.
# Administrators change everything; agents nothing here (their presence goes
# through _set_presence): teams, seniority, capacity and extension decide which
# tickets they read and which calls ring them.
SUPERVISOR_WRITABLE_FIELDS = frozenset(
    {
        "tier",
        "language_ids",
        "capacity_phone",
        "capacity_email",
        "capacity_chat",
        "capacity_sms",
        "capacity_social",
        "resource_calendar_id",
        "skill_line_ids",
    }
)
# What a PBX dials: digits, *, # and + (201, *97, +3222001122), or a SIP URI
EXTENSION_PATTERN = re.compile(
    r"[0-9*#+]{1,32}"
    r"|sip:[A-Za-z0-9._~+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?::[0-9]{1,5})?"
)


class ContactCenterAgent(models.Model):
    _name = "contact_center.agent"
    _description = "Contact Center Agent"
    _inherit = ["mail.thread", "contact_center.range.mixin"]
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
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        check_company=True,
        help="The hours this agent is scheduled to work: schedule adherence "
        "and the agents the staffing forecast counts as scheduled. Empty: the "
        "company's working hours.",
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
        tracking=True,
        help="Senior and expert agents are preferred for VIP customers.",
    )
    capacity_phone = fields.Integer(string="Phone Capacity", default=1, tracking=True)
    capacity_email = fields.Integer(string="Email Capacity", default=5, tracking=True)
    capacity_chat = fields.Integer(string="Chat Capacity", default=3, tracking=True)
    capacity_sms = fields.Integer(string="SMS Capacity", default=5, tracking=True)
    capacity_social = fields.Integer(string="Social Capacity", default=3, tracking=True)
    presence = fields.Selection(
        PRESENCE_STATES,
        required=True,
        default="offline",
        readonly=True,
        index=True,
    )
    presence_since = fields.Datetime(readonly=True)
    break_reason_id = fields.Many2one(
        "contact_center.break.reason",
        string="Break Reason",
        compute="_compute_break_reason_id",
        help="Why the agent is on break now, as the presence log says.",
    )
    session_lost_at = fields.Datetime(
        readonly=True,
        copy=False,
        help="When the presence timeout first found the agent without a live "
        "web client session.",
    )
    presence_ids = fields.One2many(
        "contact_center.agent.presence", "agent_id", string="Presence Log"
    )
    extension = fields.Char(
        tracking=True,
        help="Phone extension or SIP URI the PBX rings for this agent.",
    )
    last_assigned_at = fields.Datetime(
        readonly=True, help="When a contact was last handed to this agent."
    )
    interaction_count = fields.Integer(compute="_compute_interaction_count")
    can_tune = fields.Boolean(
        compute="_compute_user_rights",
        help="The current user may change this agent's skills, languages, "
        "seniority and capacities.",
    )
    can_set_presence = fields.Boolean(
        compute="_compute_user_rights",
        help="The current user may change this agent's presence: the agent, "
        "the supervisors of their teams and administrators.",
    )
    can_manage = fields.Boolean(
        compute="_compute_user_rights",
        help="The current user may change this agent's teams, extension, user "
        "and company.",
    )
    # the supervisors' board: what each agent is doing, how deep the queues are
    current_interaction_id = fields.Many2one(
        "contact_center.interaction",
        string="Current Contact",
        compute="_compute_current_work",
        help="The contact ringing or in progress for this agent.",
    )
    current_ticket_id = fields.Many2one(
        "contact_center.ticket",
        string="Current Ticket",
        compute="_compute_current_work",
        help="The ticket of the current contact, else the agent's open ticket "
        "due first.",
    )
    queue_ticket_count = fields.Integer(
        string="Waiting Tickets",
        compute="_compute_queue_depth",
        help="Open tickets of the agent's teams that no agent has yet.",
    )
    queue_call_count = fields.Integer(
        string="Queued Calls",
        compute="_compute_queue_depth",
        help="Contacts waiting in the queues of the agent's teams.",
    )
    queue_summary = fields.Char(
        string="Queues",
        compute="_compute_queue_depth",
        help="Waiting tickets and queued contacts of each of the agent's teams.",
    )

    _sql_constraints = [
        ("user_uniq", "unique(user_id)", "This user is already an agent."),
        (
            "extension_company_uniq",
            "unique(company_id, extension)",
            "Each extension rings one agent of a company: this one is taken.",
        ),
    ]

    _cc_ranges = {
        "capacity_phone": NOT_NEGATIVE,
        "capacity_email": NOT_NEGATIVE,
        "capacity_chat": NOT_NEGATIVE,
        "capacity_sms": NOT_NEGATIVE,
        "capacity_social": NOT_NEGATIVE,
    }

    @api.onchange(*_cc_ranges)
    def _onchange_cc_ranges(self):
        return self._cc_range_warning()

    @api.depends("presence")
    def _compute_break_reason_id(self):
        reasons = self.filtered(lambda a: a.presence == "break")._break_reasons()
        Reason = self.env["contact_center.break.reason"]
        for agent in self:
            agent.break_reason_id = reasons.get(agent.id, Reason)

    def _compute_interaction_count(self):
        counts = dict(
            self.env["contact_center.interaction"]._read_group(
                [("agent_id", "in", self.ids)], ["agent_id"], ["__count"]
            )
        )
        for agent in self:
            agent.interaction_count = counts.get(agent, 0)

    @api.depends_context("uid")
    def _compute_current_work(self):
        """Each agent's live contact and ticket, as the current user sees them.

        Two searches for all the agents on the board, whatever their number.
        """
        Interaction = self.env["contact_center.interaction"]
        Ticket = self.env["contact_center.ticket"]
        calls, tickets = {}, {}
        if self.ids and Interaction.has_access("read"):
            for call in Interaction.search(
                [
                    ("agent_id", "in", self.ids),
                    ("state", "in", ("ringing", "in_progress")),
                ],
                order="queued_at desc, id desc",
            ):
                calls.setdefault(call.agent_id.id, call)
        if self.ids and Ticket.has_access("read"):
            for ticket in Ticket.search(
                [("agent_id", "in", self.ids), *OPEN_DOMAIN],
                order="sla_deadline asc, priority desc, id",
            ):
                tickets.setdefault(ticket.agent_id.id, ticket)
        # the tickets the agents are on the phone about, those the user reads
        linked_ids = [
            call.res_id
            for call in calls.values()
            if call.res_model == Ticket._name and call.res_id
        ]
        linked = Ticket.search([("id", "in", linked_ids)]) if linked_ids else Ticket
        for agent in self:
            call = calls.get(agent.id, Interaction)
            ticket = tickets.get(agent.id, Ticket)
            if call.res_model == Ticket._name and call.res_id in linked.ids:
                ticket = Ticket.browse(call.res_id)
            agent.current_interaction_id = call
            agent.current_ticket_id = ticket

    @api.depends_context("uid")
    def _compute_queue_depth(self):
        """Waiting tickets and queued contacts of each agent's teams.

        One grouped query per model for all the teams on the board, counting
        what the current user may read.
        """
        teams = self.team_ids
        ticket_counts, call_counts = {}, {}
        if teams:
            Ticket = self.env["contact_center.ticket"]
            if Ticket.has_access("read"):
                ticket_counts = dict(
                    Ticket._read_group(
                        [
                            ("team_id", "in", teams.ids),
                            ("agent_id", "=", False),
                            *OPEN_DOMAIN,
                        ],
                        ["team_id"],
                        ["__count"],
                    )
                )
            Interaction = self.env["contact_center.interaction"]
            if Interaction.has_access("read"):
                call_counts = dict(
                    Interaction._read_group(
                        [("team_id", "in", teams.ids), ("state", "=", "queued")],
                        ["team_id"],
                        ["__count"],
                    )
                )
        for agent in self:
            agent.queue_ticket_count = sum(
                ticket_counts.get(team, 0) for team in agent.team_ids
            )
            agent.queue_call_count = sum(
                call_counts.get(team, 0) for team in agent.team_ids
            )
            agent.queue_summary = "; ".join(
                self.env._(
                    "%(team)s: %(tickets)s waiting tickets, %(calls)s queued calls",
                    team=team.name,
                    tickets=ticket_counts.get(team, 0),
                    calls=call_counts.get(team, 0),
                )
                for team in agent.team_ids
            )

    @api.depends("user_id", "team_ids.supervisor_ids")
    @api.depends_context("uid")
    def _compute_user_rights(self):
        user = self.env.user
        is_manager = self.env.su or user.has_group(
            "contact_center.group_contact_center_manager"
        )
        is_supervisor = user.has_group("contact_center.group_contact_center_supervisor")
        for agent in self:
            supervises = is_supervisor and user in agent.team_ids.supervisor_ids
            agent.can_manage = is_manager
            agent.can_tune = is_manager or (supervises and agent.user_id != user)
            agent.can_set_presence = is_manager or supervises or agent.user_id == user

    @api.constrains("extension", "company_id")
    def _check_extension(self):
        agents = self.filtered("extension")
        for agent in agents:
            if not EXTENSION_PATTERN.fullmatch(agent.extension):
                raise ValidationError(
                    self.env._(
                        "Extension of %(agent)s: '%(extension)s' is not "
                        "something a PBX dials. Use digits, *, # and + (201, *97, "
                        "+3222001122) or a SIP URI (sip:ann@pbx.example.com).",
                        agent=agent.name,
                        extension=agent.extension,
                    )
                )
        if not agents:
            return
        seen = {}
        for agent in agents:
            key = (agent.company_id.id, agent.extension)
            if key in seen:
                agent._raise_extension_taken(seen[key].name)
            seen[key] = agent
        # Read the table without flushing (a flush would hit the unique index
        # first, with a less helpful error); agents with changes not yet
        # flushed are read from the cache instead. Archived agents count too;
        # only the other agent's name is shown.
        Agent = self.env["contact_center.agent"]
        pending = Agent.browse()
        for name in ("extension", "company_id"):
            pending |= self.env.cache.get_dirty_records(Agent, Agent._fields[name])
        pending -= self
        self.env.cr.execute(
            """
            SELECT a.company_id, a.extension, a.name
              FROM contact_center_agent a
             WHERE a.extension = ANY(%s) AND a.company_id = ANY(%s)
               AND a.id != ALL(%s)
            """,
            (
                [agent.extension for agent in agents],
                agents.company_id.ids,
                self.ids + pending.ids,
            ),
        )
        taken = self.env.cr.fetchall() + [
            (other.company_id.id, other.extension, other.name)
            # sudo: compare with every pending agent, whoever may read them
            for other in pending.sudo()
        ]
        for company_id, extension, name in taken:
            agent = seen.get((company_id, extension))
            if agent:
                agent._raise_extension_taken(name)

    def _raise_extension_taken(self, other_name):
        raise ValidationError(
            self.env._(
                "Extension %(extension)s is already %(other)s's in %(company)s: "
                "each extension rings one agent of a company.",
                extension=self.extension,
                other=other_name,
                company=self.company_id.name,
            )
        )

    @api.model
    def _normalize_extension(self, vals):
        if "extension" in vals:
            vals["extension"] = (vals["extension"] or "").strip() or False
        return vals

    def _check_write_fields(self, vals):
        """Raise AccessError unless the user may write ``vals`` on these agents.

        Record rules say which agents a supervisor edits (their teams' agents,
        not themselves); this says which fields: agents change nothing here,
        supervisors only what SUPERVISOR_WRITABLE_FIELDS lists, administrators
        everything. Team membership and extensions stay the administrators'.
        """
        user = self.env.user
        if self.env.su or user.has_group("contact_center.group_contact_center_manager"):
            return
        if user.has_group("contact_center.group_contact_center_supervisor"):
            refused = set(vals) - SUPERVISOR_WRITABLE_FIELDS
        else:
            refused = set(vals)
        if refused:
            labels = ", ".join(
                sorted(
                    self._fields[name]._description_string(self.env)
                    if name in self._fields
                    else name
                    for name in refused
                )
            )
            raise AccessError(
                self.env._(
                    "You cannot change %(fields)s of an agent: teams, extensions, "
                    "users and companies are set by contact center administrators, "
                    "skills, languages, seniority and capacities by the supervisors "
                    "of the agent's teams. Agents change their presence only.",
                    fields=labels,
                )
            )
        if user in self.sudo().user_id:  # sudo: compare users only
            raise AccessError(
                self.env._(
                    "You cannot change your own agent profile: ask a contact center "
                    "administrator."
                )
            )

    def write(self, vals):
        self._check_write_fields(vals)
        return super().write(self._normalize_extension(vals))

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._normalize_extension(vals) for vals in vals_list]
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

    def _check_break_reason(self, state, break_reason_id):
        """The break reason ``break_reason_id`` as a record, checked.

        A reason goes with a break only, must be active, readable by the user
        (record rules: their companies' and shared ones) and of the agents'
        company or shared.
        """
        Reason = self.env["contact_center.break.reason"]
        if not break_reason_id:
            return Reason
        if state != "break":
            raise UserError(self.env._("A break reason goes with a break only."))
        reason = Reason.browse(int(break_reason_id)).exists()
        if not reason:
            raise UserError(self.env._("This break reason does not exist."))
        reason.check_access("read")
        if not reason.active:
            raise UserError(
                self.env._(
                    "Break reason %s is archived: pick another one.", reason.name
                )
            )
        # sudo: compare companies only
        if reason.company_id and reason.company_id != self.sudo().company_id:
            raise AccessError(
                self.env._(
                    "Break reason %(reason)s belongs to another company than "
                    "the agent's.",
                    reason=reason.name,
                )
            )
        return reason

    def _break_reasons(self):
        """{agent id: break reason of their open presence period}, one query."""
        if not self:
            return {}
        Presence = self.env["contact_center.agent.presence"]
        Presence.flush_model(["agent_id", "end_at", "break_reason_id"])
        self.env.cr.execute(
            """
            SELECT agent_id, break_reason_id FROM contact_center_agent_presence
             WHERE agent_id = ANY(%s) AND end_at IS NULL
            """,
            (self.ids,),
        )
        Reason = self.env["contact_center.break.reason"]
        return {
            agent_id: Reason.browse(reason_id or ())
            for agent_id, reason_id in self.env.cr.fetchall()
        }

    def _set_presence(self, state, at=None, reason=False, break_reason_id=False):
        """Move the agents to ``state``, closing and opening presence periods.

        One write closes every open period and one create opens the new ones,
        whatever the number of agents. ``reason`` (see PRESENCE_REASONS) says
        why the system changed it; empty when a person chose it.
        ``break_reason_id`` (a ``contact_center.break.reason`` id, with state
        break only) says why the agent is on break; a new reason during a
        break opens a new period.
        """
        if state not in dict(PRESENCE_STATES):
            raise UserError(self.env._("Unknown presence state: %s", state))
        self._check_presence_rights()
        break_reason = self._check_break_reason(state, break_reason_id)
        agents = self.filtered(lambda a: a.presence != state)
        if state == "break":
            current = self.filtered(lambda a: a.presence == state)._break_reasons()
            agents |= self.filtered(
                lambda a: a.id in current and current[a.id] != break_reason
            )
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
                    "reason": reason,
                    "break_reason_id": break_reason.id,
                }
                for agent in agents
            ]
        )
        # a new presence restarts the clock of the presence timeout
        agents.sudo().write(
            {"presence": state, "presence_since": at, "session_lost_at": False}
        )
        agents.invalidate_recordset(["break_reason_id"])
        self.env["contact_center.wallboard"]._cc_notify(agents.sudo().team_ids)
        if state == "available":
            agents._assign_waiting_tickets()
        for agent in agents:
            agent.user_id._bus_send(
                "contact_center.presence",
                {
                    "agent_id": agent.id,
                    "presence": state,
                    "since": str(at),
                    "reason": reason,
                    "break_reason": (
                        {"id": break_reason.id, "name": break_reason.name}
                        if break_reason
                        else False
                    ),
                },
            )
        return True

    # ------------------------------------------------------------------
    # Routing
    # ------------------------------------------------------------------
    def _routing_rows(self, teams):
        """Active agents of ``teams`` with everything routing reads, in one query.

        Returns [(id, presence, tier, last_assigned_at, {channel: capacity},
        team ids, language codes, [[skill id, level]])].
        """
        self.flush_model()
        self.env["contact_center.agent.skill"].flush_model()
        teams_field = self._fields["team_ids"]
        langs_field = self._fields["language_ids"]
        self.env.cr.execute(
            SQL(
                """
                SELECT a.id, a.presence, a.tier, a.last_assigned_at,
                       %(capacities)s,
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
                capacities=SQL(", ").join(
                    SQL("a.%s", SQL.identifier(f"capacity_{channel}"))
                    for channel in CAPACITY_CHANNELS
                ),
                team_rel=SQL.identifier(teams_field.relation),
                agent_col=SQL.identifier(teams_field.column1),
                team_col=SQL.identifier(teams_field.column2),
                lang_rel=SQL.identifier(langs_field.relation),
                lang_agent_col=SQL.identifier(langs_field.column1),
                lang_col=SQL.identifier(langs_field.column2),
                teams=teams.ids,
            )
        )
        count = len(CAPACITY_CHANNELS)
        return [
            (
                *row[:4],
                dict(zip(CAPACITY_CHANNELS, row[4 : 4 + count], strict=True)),
                *row[4 + count :],
            )
            for row in self.env.cr.fetchall()
        ]

    @staticmethod
    def _routing_state(row, channel, loads):
        """routing.AgentState of one ``_routing_rows`` row on ``channel``."""
        (
            agent_id,
            presence,
            tier,
            last_assigned_at,
            capacities,
            team_ids,
            languages,
            skills,
        ) = row
        return routing.AgentState(
            id=agent_id,
            presence=presence,
            team_ids=frozenset(team_ids),
            capacity=capacities[channel] or 0,
            load=loads.get(agent_id, 0),
            skills=dict(skills),
            languages=frozenset(languages),
            tier=tier,
            last_assigned_at=last_assigned_at or None,
        )

    def _routing_states(self, channel, teams):
        """Routing state of the active agents of ``teams`` for ``channel``.

        Returns {agent id: routing.AgentState}. Agents with their teams,
        skills and languages are read in one query and their load in a
        second one: this runs for every routed ticket and every call. The
        load of email is the agent's open tickets (see
        ``_open_ticket_loads``); of other channels, their live contacts.
        """
        if channel not in CAPACITY_CHANNELS:
            raise ValueError(f"unknown channel {channel!r}")
        rows = self._routing_rows(teams)
        agents = self.browse([row[0] for row in rows])
        if channel == "email":
            loads = agents._open_ticket_loads().get("email", {})
        else:
            loads = agents._open_interaction_loads(channel)
        return {row[0]: self._routing_state(row, channel, loads) for row in rows}

    def _ticket_routing_states(self, teams):
        """{ticket channel: {agent id: routing.AgentState}} for ticket routing.

        A chat, SMS or social ticket takes the agent's capacity of its
        channel and counts against the open tickets of that channel; any
        other ticket (email, phone, ...) the email capacity and the other
        open tickets. Two queries whatever the channels (see ``ticket_bucket``).
        """
        rows = self._routing_rows(teams)
        loads = self.browse([row[0] for row in rows])._open_ticket_loads()
        return {
            bucket: {
                row[0]: self._routing_state(row, bucket, loads.get(bucket, {}))
                for row in rows
            }
            for bucket in TICKET_CHANNELS
        }

    def _open_ticket_loads(self):
        """{ticket channel: {agent id: number of open tickets assigned}}.

        Keys are those of ``ticket_bucket``: chat, SMS and social tickets
        count apart, every other ticket under email. One query, on every
        routed ticket: plain SQL on the partial index of open assigned
        tickets, without the domain machinery of a grouped read.
        """
        if not self:
            return {}
        Ticket = self.env["contact_center.ticket"]
        Ticket.flush_model(["agent_id", "is_open", "active", "channel"])
        # the predicate of contact_center_ticket_open_agent_idx
        self.env.cr.execute(
            """
            SELECT agent_id,
                   CASE WHEN channel = ANY(%s) THEN channel ELSE 'email' END,
                   count(*)
              FROM contact_center_ticket
             WHERE agent_id = ANY(%s) AND is_open AND active
               AND agent_id IS NOT NULL
          GROUP BY 1, 2
            """,
            (list(TICKET_CHANNELS[1:]), self.ids),
        )
        loads = {}
        for agent_id, bucket, count in self.env.cr.fetchall():
            loads.setdefault(bucket, {})[agent_id] = count
        return loads

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
        # one state per ticket channel: an SMS ticket fills the agent's SMS
        # capacity, an email one their email capacity (see ticket_bucket)
        states = self._ticket_routing_states(agents.team_ids)
        previous = waiting._previous_agents()
        now = fields.Datetime.now()
        Team = self.env["contact_center.team"]
        held_reasons = {}
        for agent, bucket in (
            (agent, bucket)
            for agent in agents
            for bucket in TICKET_CHANNELS
            if any(ticket_bucket(t.channel) == bucket for t in waiting)
        ):
            state = states[bucket][agent.id]
            while True:
                assignment = routing.next_assignment(
                    state,
                    [
                        t._routing_item(previous)
                        for t in waiting
                        if ticket_bucket(t.channel) == bucket
                    ],
                    now,
                )
                for held, code in assignment.held:
                    held_reasons[held.id] = code
                item = assignment.item
                if not item:
                    break
                ticket = waiting.browse(item.id)
                held_reasons.pop(ticket.id, None)
                reason = self.env._(
                    "%s became free: earliest deadline of the queue first",
                    agent.name,
                )
                if assignment.reason.startswith("vip_"):
                    # say which part of the team's VIP rule let this agent take it
                    reason = self.env._(
                        "%(agent)s became free: %(rule)s",
                        agent=agent.name,
                        rule=Team._routing_reason_text(
                            assignment.reason,
                            vip_wait_minutes=ticket.team_id.vip_senior_wait_minutes,
                        ),
                    )
                ticket.with_context(cc_routing=True).write(
                    {"agent_id": agent.id, "routing_reason": reason}
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
        # VIP tickets a free agent passed over say they wait for a senior agent
        for ticket in waiting.filtered(lambda t: t.id in held_reasons):
            text = Team._routing_reason_text(
                held_reasons[ticket.id],
                vip_wait_minutes=ticket.team_id.vip_senior_wait_minutes,
            )
            if ticket.routing_reason != text:
                ticket.with_context(cc_routing=True).write({"routing_reason": text})

    def action_set_available(self):
        return self._set_presence("available")

    def action_set_break(self):
        return self._set_presence("break")

    def action_open_break_reasons(self):
        """Put these agents on break, with a reason, from the agents board."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "contact_center.contact_center_agent_break_action"
        )
        action["context"] = {"default_agent_ids": self.ids}
        return action

    def action_set_offline(self):
        return self._set_presence("offline")

    @api.model
    def _get_my_agent(self):
        return self.search([("user_id", "=", self.env.uid)], limit=1)

    @api.model
    def get_my_presence(self):
        """Presence of the current user's agent, for the systray widget.

        The web client asks when it starts: an agent the presence timeout set
        offline is back, and becomes available again if one of their teams
        says so.
        """
        if not self.env.user.has_group("contact_center.group_contact_center_agent"):
            return False
        agent = self._get_my_agent()
        if not agent:
            return False
        reason = agent._presence_reasons().get(agent.id)
        if (
            agent.presence == "offline"
            and reason == presence_engine.REASON_DISCONNECTED
            # sudo: read the agent's own teams' setting, nothing is returned
            and any(agent.sudo().team_ids.mapped("presence_auto_return"))
        ):
            reason = presence_engine.REASON_RECONNECTED
            agent._set_presence("available", reason=reason)
        break_reason = agent._break_reasons().get(agent.id)
        # as the agent: record rules give their companies' and shared reasons
        offered = self.env["contact_center.break.reason"].search(
            [("company_id", "in", [False, agent.company_id.id])]
        )
        return {
            "agent_id": agent.id,
            "presence": agent.presence,
            "since": fields.Datetime.to_string(agent.presence_since),
            "reason": reason or False,
            "break_reason": (
                {"id": break_reason.id, "name": break_reason.name}
                if break_reason
                else False
            ),
            "break_reasons": [
                {"id": r.id, "name": r.name, "code": r.code} for r in offered
            ],
            "states": [
                {"code": code, "label": label}
                for code, label in self._fields["presence"]._description_selection(
                    self.env
                )
            ],
        }

    @api.model
    def set_my_presence(self, state, break_reason_id=False):
        """Set the current user's own presence; on break, optionally why."""
        agent = self._get_my_agent()
        if not agent:
            raise UserError(self.env._("You are not a contact center agent."))
        if state not in SELF_SERVICE_PRESENCES:
            # busy and wrap-up follow the agent's contacts, not their choice
            raise UserError(
                self.env._("You can only set yourself available, on break or offline.")
            )
        agent._set_presence(state, break_reason_id=break_reason_id)
        return self.get_my_presence()

    def _presence_reasons(self):
        """{agent id: reason of their open presence period}, in one query."""
        if not self:
            return {}
        self.env["contact_center.agent.presence"].flush_model(
            ["agent_id", "end_at", "reason"]
        )
        self.env.cr.execute(
            """
            SELECT agent_id, reason FROM contact_center_agent_presence
             WHERE agent_id = ANY(%s) AND end_at IS NULL
            """,
            (self.ids,),
        )
        return dict(self.env.cr.fetchall())

    # ------------------------------------------------------------------
    # Presence timeout: presence follows the agent's web client
    # ------------------------------------------------------------------
    def _presence_connections(self, now):
        """Connection state of the agents the presence timeout may act on.

        One query: active agents available or on break, those it set offline
        (they may come back), and those it has seen without a session; with
        their user's ``bus.presence`` status and their teams' timeout (the
        shortest that is set) and auto-return settings.
        """
        self.flush_model()
        self.env["contact_center.team"].flush_model(
            ["presence_timeout_minutes", "presence_auto_return", "active"]
        )
        self.env["contact_center.agent.presence"].flush_model(
            ["agent_id", "end_at", "reason"]
        )
        self.env["bus.presence"].flush_model(["user_id", "status"])
        teams_field = self._fields["team_ids"]
        self.env.cr.execute(
            SQL(
                """
                SELECT a.id, a.presence, a.presence_since, p.reason, b.status,
                       a.session_lost_at,
                       CASE WHEN t.team_count = 0 THEN %(default)s
                            ELSE COALESCE(t.timeout, 0) END,
                       COALESCE(t.auto_return, FALSE)
                  FROM contact_center_agent a
             LEFT JOIN contact_center_agent_presence p
                    ON p.agent_id = a.id AND p.end_at IS NULL
             LEFT JOIN bus_presence b ON b.user_id = a.user_id
                 CROSS JOIN LATERAL (
                       SELECT count(tm.id) AS team_count,
                              min(NULLIF(tm.presence_timeout_minutes, 0)) AS timeout,
                              bool_or(tm.presence_auto_return) AS auto_return
                         FROM %(team_rel)s r
                         JOIN contact_center_team tm ON tm.id = r.%(team_col)s
                        WHERE r.%(agent_col)s = a.id AND tm.active
                   ) t
                 WHERE a.active
                   AND (a.presence IN ('available', 'break')
                        OR a.session_lost_at IS NOT NULL
                        OR (a.presence = 'offline' AND p.reason = %(disconnected)s))
                """,
                default=presence_engine.DEFAULT_TIMEOUT_MINUTES,
                disconnected=presence_engine.REASON_DISCONNECTED,
                team_rel=SQL.identifier(teams_field.relation),
                agent_col=SQL.identifier(teams_field.column1),
                team_col=SQL.identifier(teams_field.column2),
            )
        )
        return [
            presence_engine.AgentConnection(
                agent_id=agent_id,
                presence=presence,
                presence_since=presence_since or now,
                presence_reason=reason,
                bus_status=status,
                session_lost_at=lost_at,
                timeout_minutes=timeout,
                auto_return=auto_return,
            )
            for (
                agent_id,
                presence,
                presence_since,
                reason,
                status,
                lost_at,
                timeout,
                auto_return,
            ) in self.env.cr.fetchall()
        ]

    @api.model
    def _cron_presence_timeout(self, batch_size=200):
        """Set offline the agents without a live web client, bring back others.

        Agents available or on break whose web client session has been gone
        longer than their team's timeout become offline (reason
        "disconnected") and their unanswered tickets are routed again; those
        whose session is back return to available when a team says so. The
        agents acted on are locked ``FOR UPDATE SKIP LOCKED``: two workers
        never act on the same agent, and a run that leaves work behind asks
        the scheduler to run again.
        """
        now = fields.Datetime.now()
        plan = presence_engine.plan(self._presence_connections(now), now)
        todo = plan.agent_ids
        batch = todo[:batch_size]
        if not batch:
            return 0
        self.env.cr.execute(
            """
            SELECT id FROM contact_center_agent
             WHERE id = ANY(%s)
               FOR UPDATE SKIP LOCKED
            """,
            (batch,),
        )
        locked = {row[0] for row in self.env.cr.fetchall()}
        # sudo: the cron acts as the system on every agent it found
        Agent = self.sudo()

        def take(ids):
            return Agent.browse([i for i in ids if i in locked])

        take(plan.mark_lost).write({"session_lost_at": now})
        take(plan.clear_lost).write({"session_lost_at": False})
        gone = take(plan.disconnect).filtered(
            lambda a: a.presence in presence_engine.TIMED_OUT_PRESENCES
        )
        gone._set_presence(
            "offline", at=now, reason=presence_engine.REASON_DISCONNECTED
        )
        gone._reroute_unanswered_tickets()
        back = take(plan.reconnect).filtered(lambda a: a.presence == "offline")
        back._set_presence(
            "available", at=now, reason=presence_engine.REASON_RECONNECTED
        )
        self.env["ir.cron"]._notify_progress(
            done=len(locked), remaining=len(todo) - len(batch)
        )
        return len(locked)

    def _reroute_unanswered_tickets(self):
        """Route again the open tickets of these agents they have not answered.

        Each goes to a free colleague, or waits unassigned in its team's queue.
        """
        if not self:
            return
        # sudo: routing sees every ticket and agent, as when a ticket arrives
        tickets = (
            self.env["contact_center.ticket"]
            .sudo()
            .search(
                [
                    ("agent_id", "in", self.ids),
                    ("first_response_at", "=", False),
                    *OPEN_DOMAIN,
                ]
            )
        )
        tickets._reroute(exclude=self)

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
