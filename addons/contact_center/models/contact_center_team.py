import ast

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.base.models.res_partner import _tz_get

from ..tools import presence, routing
from .contact_center_range_mixin import NOT_NEGATIVE, PERCENT, POSITIVE
from .contact_center_ticket import OPEN_DOMAIN

CHANNELS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("chat", "Chat"),
    ("sms", "SMS"),
    ("social", "Social"),
    ("other", "Other"),
]


class ContactCenterTeam(models.Model):
    _name = "contact_center.team"
    _description = "Contact Center Team"
    _order = "sequence, name"
    _check_company_auto = True
    _inherit = ["mail.alias.mixin.optional", "contact_center.range.mixin"]

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    member_ids = fields.Many2many(
        "contact_center.agent",
        "contact_center_agent_team_rel",
        "team_id",
        "agent_id",
        string="Members",
        check_company=True,
    )
    supervisor_ids = fields.Many2many(
        "res.users",
        "contact_center_team_supervisor_rel",
        "team_id",
        "user_id",
        string="Supervisors",
        domain=lambda self: [
            (
                "groups_id",
                "in",
                self.env.ref("contact_center.group_contact_center_supervisor").id,
            )
        ],
    )
    handles_phone = fields.Boolean(string="Phone", default=True)
    handles_email = fields.Boolean(string="Email", default=True)
    handles_chat = fields.Boolean(string="Chat")
    handles_sms = fields.Boolean(string="SMS")
    handles_social = fields.Boolean(string="Social")
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Business Hours",
        default=lambda self: self.env.company.resource_calendar_id,
        check_company=True,
        help="Working hours and public holidays of the team; contacts outside "
        "them go to the overflow team.",
    )
    tz = fields.Selection(
        _tz_get,
        string="Time Zone",
        compute="_compute_tz",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
    )
    language_ids = fields.Many2many(
        "res.lang",
        string="Languages",
        domain=[("active", "=", True)],
        help="Languages the team serves customers in.",
    )
    skill_ids = fields.Many2many("contact_center.skill", string="Expected Skills")
    overflow_team_id = fields.Many2one(
        "contact_center.team",
        string="Overflow Team",
        check_company=True,
        help="Team that takes contacts outside business hours or when the queue "
        "is full.",
    )
    max_queue_size = fields.Integer(
        string="Queue Capacity",
        help="Contacts waiting beyond this number overflow. 0 means unlimited.",
    )
    service_level_percent = fields.Float(
        string="Service Level Target (%)",
        default=80.0,
        help="Share of contacts to answer within the service-level threshold.",
    )
    wrap_up_seconds = fields.Integer(
        string="Wrap-up Limit (s)",
        default=60,
        help="After-call work an agent may take before becoming available "
        "again by themselves; 0: until they close it.",
    )
    service_level_seconds = fields.Integer(
        string="Service Level Threshold (s)",
        default=20,
        help="Service level: the share of offered calls and chats answered "
        "within this many seconds, out of those answered plus those abandoned "
        "after it (short abandons excluded).",
    )
    short_abandon_seconds = fields.Integer(
        string="Short Abandon (s)",
        default=5,
        help="Callers who hang up in the queue within this many seconds are "
        "short abandons: reported apart and left out of the offered contacts, "
        "the abandon rate and the service level. 0: every abandon counts.",
    )
    fcr_window_days = fields.Integer(
        string="First-contact Window (days)",
        default=7,
        help="A resolved contact is resolved at first contact when the same "
        "customer does not contact the team again for the same reason within "
        "this many days.",
    )
    shrinkage_percent = fields.Float(
        string="Shrinkage (%)",
        default=30.0,
        help="Share of paid time agents are not available for contacts "
        "(breaks, training, absence): the staffing forecast schedules "
        "required agents / (1 - shrinkage).",
    )
    forecast_weeks = fields.Integer(
        string="Forecast History (weeks)",
        default=8,
        help="Past weeks the staffing forecast and the busiest-times heatmap read.",
    )
    presence_timeout_minutes = fields.Integer(
        string="Offline After (min)",
        default=presence.DEFAULT_TIMEOUT_MINUTES,
        help="Minutes an available or on-break member may go without a live "
        "web client session (all tabs closed, connection lost, logged out) "
        "before being set offline and their unanswered tickets routed again. "
        "For agents of several teams the shortest applies; 0: never.",
    )
    presence_auto_return = fields.Boolean(
        string="Back When Reconnected",
        help="Members set offline because they were disconnected become "
        "available again as soon as their web client is back; otherwise they "
        "choose their presence themselves.",
    )
    vip_routing = fields.Selection(
        [
            ("senior_first", "Senior agents first"),
            ("senior_only", "Senior agents only"),
        ],
        string="VIP Customers",
        required=True,
        default="senior_first",
        help="VIP customers go to a free senior or expert agent. When none is "
        "free: 'Senior agents first' waits the time below, then gives the "
        "contact to the first free agent; 'Senior agents only' keeps it "
        "waiting until a senior or expert agent is free.",
    )
    vip_senior_wait_minutes = fields.Integer(
        string="Wait for a Senior Agent (min)",
        default=10,
        help="Minutes a VIP contact waits for a senior or expert agent before "
        "any free agent may take it; 0: any free agent at once.",
    )
    interaction_ids = fields.One2many("contact_center.interaction", "team_id")
    ticket_ids = fields.One2many("contact_center.ticket", "team_id")
    open_ticket_count = fields.Integer(compute="_compute_open_ticket_count")
    member_count = fields.Integer(compute="_compute_member_count")
    open_interaction_count = fields.Integer(compute="_compute_open_interaction_count")
    alias_domain_missing = fields.Boolean(
        compute="_compute_alias_domain_missing",
        help="Neither the team's alias nor its company has an alias domain: "
        "the mail gateway cannot deliver emails to the team.",
    )

    _cc_ranges = {
        "service_level_percent": PERCENT,
        "service_level_seconds": NOT_NEGATIVE,
        "presence_timeout_minutes": NOT_NEGATIVE,
        "max_queue_size": NOT_NEGATIVE,
        "wrap_up_seconds": NOT_NEGATIVE,
        "vip_senior_wait_minutes": NOT_NEGATIVE,
        "short_abandon_seconds": NOT_NEGATIVE,
        "fcr_window_days": NOT_NEGATIVE,
        "shrinkage_percent": PERCENT,
        "forecast_weeks": POSITIVE,
    }

    @api.onchange(*_cc_ranges)
    def _onchange_cc_ranges(self):
        return self._cc_range_warning()

    @api.depends("resource_calendar_id")
    def _compute_tz(self):
        # A new team on its company's default hours starts in the time zone
        # of the user who sets it up, else the company's: that calendar often
        # still says UTC, as created at install. Hours chosen for the team
        # bring their own time zone.
        default_tz = self.env.user.tz or self.env.company.partner_id.tz or "UTC"
        for team in self:
            calendar = team.resource_calendar_id
            if team.tz and calendar.tz:
                team.tz = calendar.tz
            elif not team.tz:
                own_hours = (
                    calendar and calendar != team.company_id.resource_calendar_id
                )
                team.tz = (own_hours and calendar.tz) or default_tz

    @api.depends("member_ids")
    def _compute_member_count(self):
        for team in self:
            team.member_count = len(team.member_ids)

    def _compute_open_interaction_count(self):
        counts = dict(
            self.env["contact_center.interaction"]._read_group(
                [
                    ("team_id", "in", self.ids),
                    ("state", "in", ["queued", "ringing", "in_progress", "wrap_up"]),
                ],
                ["team_id"],
                ["__count"],
            )
        )
        for team in self:
            team.open_interaction_count = counts.get(team, 0)

    @api.depends("alias_domain_id", "company_id.alias_domain_id")
    def _compute_alias_domain_missing(self):
        for team in self:
            team.alias_domain_missing = not (
                team.alias_domain_id or team.company_id.alias_domain_id
            )

    @api.model
    def _cc_demo_alias_domain(self, name="example.com"):
        """Demo data: give the company an alias domain if it has none.

        Without one, team aliases are bare names the mail gateway never
        matches; a demo database must route emails to its teams.
        """
        company = self.env.company
        if not company.alias_domain_id:
            Domain = self.env["mail.alias.domain"]
            company.alias_domain_id = Domain.search(
                [("name", "=", name)], limit=1
            ) or Domain.create({"name": name})
        return company.alias_domain_id

    def _compute_open_ticket_count(self):
        counts = dict(
            self.env["contact_center.ticket"]._read_group(
                [("team_id", "in", self.ids), *OPEN_DOMAIN],
                ["team_id"],
                ["__count"],
            )
        )
        for team in self:
            team.open_ticket_count = counts.get(team, 0)

    def _is_open_at(self, at):
        """True when ``at`` (naive UTC) falls in the team's business hours."""
        self.ensure_one()
        calendar = self.resource_calendar_id
        if not calendar:
            return True
        # the SLA clock's per-cursor cache of working intervals serves here too
        intervals = self.env["contact_center.ticket.sla"]._intervals(calendar, at, 1)
        return any(start <= at < stop for start, stop in intervals)

    def _routing_vip_rule(self):
        """The team's VIP rule for the routing engine."""
        self.ensure_one()
        return routing.VipRule(
            senior_only=self.vip_routing == "senior_only",
            wait_minutes=max(self.vip_senior_wait_minutes, 0),
        )

    @api.model
    def _routing_reason_text(self, reason, overflow=False, vip_wait_minutes=0):
        """What a user reads for a routing decision, in the env's language.

        ``reason`` is a code of ``tools.routing.REASONS`` (or ``no_team``);
        ``overflow`` says the team was reached through overflow;
        ``vip_wait_minutes`` is the team's wait for a senior agent, which the
        VIP reasons quote.
        """
        minutes = vip_wait_minutes or 0
        labels = {
            "affinity": self.env._("the customer's previous agent is free"),
            "least_loaded": self.env._("the free agent with the fewest open items"),
            "no_free_agent": self.env._(
                "no agent of the team is available with free capacity"
            ),
            "no_skilled_agent": self.env._("no free agent has the required skills"),
            "vip_senior": self.env._("VIP customer: a free senior agent"),
            "vip_waited": (
                self.env._(
                    "VIP customer: no senior agent free for %(minutes)s minutes, "
                    "given to the first free agent",
                    minutes=minutes,
                )
                if minutes
                else self.env._(
                    "VIP customer: no senior agent free, given to the first "
                    "free agent (the team does not wait for one)"
                )
            ),
            "vip_waiting": self.env._(
                "VIP customer: waits for a senior agent; the first free agent "
                "takes it after %(minutes)s minutes",
                minutes=minutes,
            ),
            "vip_held": self.env._(
                "VIP customer: held until a senior agent is free (the team "
                "serves VIP customers with senior agents only)"
            ),
            "overflow": self.env._(
                "the team is closed or its queue is full: sent to the overflow team"
            ),
            "closed": self.env._("the team and its overflow are closed or full"),
            "no_team": self.env._("no team takes calls to this number"),
        }
        text = labels.get(reason, reason)
        if overflow and reason != "overflow":
            text = self.env._(
                "%(overflow)s; %(reason)s", overflow=labels["overflow"], reason=text
            )
        return text

    def _routing_team_states(self, channel="email"):
        """{team id: routing.TeamState} with queue sizes in one grouped query.

        The queue of email is the team's unassigned open tickets; of other
        channels, its contacts waiting (queued) on that channel.
        """
        now = fields.Datetime.now()
        # queue sizes matter only to teams with a maximum
        limited = self.filtered("max_queue_size")
        if channel == "email":
            model, domain = (
                "contact_center.ticket",
                [
                    ("agent_id", "=", False),
                    *OPEN_DOMAIN,
                ],
            )
        else:
            model, domain = (
                "contact_center.interaction",
                [
                    ("channel", "=", channel),
                    ("state", "=", "queued"),
                ],
            )
        waiting = (
            dict(
                self.env[model]
                .sudo()
                ._read_group(
                    [("team_id", "in", limited.ids), *domain],
                    ["team_id"],
                    ["__count"],
                )
            )
            if limited
            else {}
        )
        return {
            team.id: routing.TeamState(
                id=team.id,
                is_open=team._is_open_at(now),
                queue_size=waiting.get(team, 0),
                max_queue_size=team.max_queue_size,
                overflow_team_id=team.overflow_team_id.id or None,
                vip_rule=team._routing_vip_rule(),
            )
            for team in self
        }

    def _alias_get_creation_values(self):
        """Emails to the team's alias become tickets of the team."""
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get("contact_center.ticket").id
        if self.id:
            defaults = ast.literal_eval(self.alias_defaults or "{}")
            defaults["team_id"] = self.id
            values["alias_defaults"] = defaults
        return values

    @api.constrains("overflow_team_id")
    def _check_overflow_team_id(self):
        for team in self:
            seen = team
            current = team.overflow_team_id
            while current:
                if current in seen:
                    raise ValidationError(
                        self.env._(
                            "Team %(team)s overflows into itself through %(chain)s: "
                            "choose another overflow team.",
                            team=team.display_name,
                            chain=" → ".join(seen.mapped("name")),
                        )
                    )
                seen |= current
                current = current.overflow_team_id

    def channel_codes(self):
        """Return the channel codes this team handles."""
        self.ensure_one()
        return [
            code
            for code, _label in CHANNELS
            if f"handles_{code}" in self._fields and self[f"handles_{code}"]
        ]

    def action_view_interactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "contact_center.contact_center_interaction_action"
        )
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {"default_team_id": self.id}
        return action
