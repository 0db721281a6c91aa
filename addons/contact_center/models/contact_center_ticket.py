import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools.mail import parse_contact_from_email

from ..tools import classification, routing, sla_clock

# "[TCK/00042]" in a subject: replies whose headers were lost still thread
REFERENCE_RE = re.compile(r"\[(TCK/\d+)\]")
# tickets someone still has to work on
OPEN_DOMAIN = [("is_open", "=", True)]
PRIORITIES = [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Urgent")]
# "by {expected}", written when {expected} was a bare date: {expected} now
# brings its own words ("by Monday ...", "as soon as you reply", "shortly")
EXPECTED_BY_RE = re.compile(r"\bby\s+(?=\{expected\})")
# ":shortcut" typed in a message, as the composer offers canned responses
SHORTCUT_RE = re.compile(r"(?<!\S):([^\s:]+)")
# tickets whose answers go back on the customer's channel through the
# messaging provider they came from, never by email
WRITTEN_CHANNELS = ("sms", "social")
# how routing counts an agent's tickets: chat, SMS and social tickets against
# the agent's capacity of their channel, every other ticket against email
TICKET_CHANNELS = ("email", "chat", "sms", "social")


def ticket_bucket(channel):
    """The capacity a ticket of ``channel`` takes (one of TICKET_CHANNELS)."""
    return channel if channel in TICKET_CHANNELS else "email"


class ContactCenterTicket(models.Model):
    """A customer request handled by a team, usually arriving by email."""

    _name = "contact_center.ticket"
    _description = "Ticket"
    _inherit = [
        "mail.thread.cc",
        "mail.activity.mixin",
        "portal.mixin",
        "contact_center.click.to.dial.mixin",
    ]
    _order = "priority desc, id desc"
    _primary_email = "email_from"
    _mail_post_access = "read"  # customers answer their tickets from the portal
    _check_company_auto = True

    name = fields.Char(string="Subject", required=True, tracking=True)
    reference = fields.Char(
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda self: self.env._("New"),
    )
    description = fields.Html()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True, tracking=True, check_company=True
    )
    partner_phone = fields.Char(
        related="partner_id.phone", string="Customer Phone", readonly=True
    )
    partner_mobile = fields.Char(
        related="partner_id.mobile", string="Customer Mobile", readonly=True
    )
    email_from = fields.Char(
        compute="_compute_email_from",
        store=True,
        readonly=False,
        precompute=True,
        index="trigram",
    )
    email_normalized = fields.Char(
        compute="_compute_email_normalized",
        groups="base.group_user",
        store=True,
        precompute=True,
        index="btree_not_null",
        help="The sender's bare address, lowercase: what loop checks match on.",
    )
    team_id = fields.Many2one(
        "contact_center.team",
        index=True,
        tracking=True,
        check_company=True,
        groups="base.group_user",
    )
    agent_id = fields.Many2one(
        "contact_center.agent",
        string="Assigned Agent",
        index=True,
        tracking=True,
        check_company=True,
        groups="base.group_user",
    )
    user_id = fields.Many2one(
        related="agent_id.user_id",
        string="Assigned User",
        store=True,
        index=True,
        groups="base.group_user",
    )
    stage_id = fields.Many2one(
        "contact_center.ticket.stage",
        default=lambda self: self._default_stage_id(),
        group_expand="_read_group_expand_stage_ids",
        index=True,
        tracking=True,
        ondelete="restrict",
    )
    is_solved = fields.Boolean(related="stage_id.is_solved")
    is_closed = fields.Boolean(related="stage_id.is_closed")
    is_open = fields.Boolean(
        compute="_compute_is_open",
        groups="base.group_user",
        store=True,
        precompute=True,
        help="Neither solved nor closed: the ticket counts in queues and loads.",
    )
    priority = fields.Selection(PRIORITIES, default="1", required=True, tracking=True)
    tag_ids = fields.Many2many(
        "contact_center.ticket.tag", string="Tags", groups="base.group_user"
    )
    reason_id = fields.Many2one(
        "contact_center.contact.reason",
        string="Contact Reason",
        check_company=True,
        groups="base.group_user",
    )
    channel = fields.Selection(
        selection=lambda self: (
            self.env["contact_center.interaction"]._fields["channel"].selection
        ),
        string="Origin",
        default="email",
        required=True,
    )
    lang = fields.Selection(
        selection=lambda self: self.env["res.lang"].get_installed(),
        string="Language",
        compute="_compute_lang",
        store=True,
        readonly=False,
        precompute=True,
    )
    skill_ids = fields.Many2many(
        "contact_center.skill", string="Required Skills", groups="base.group_user"
    )
    tier_id = fields.Many2one(
        related="partner_id.cc_tier_id",
        string="Customer Tier",
        store=True,
        groups="base.group_user",
    )
    classification_rule_id = fields.Many2one(
        "contact_center.classification.rule",
        string="Classified By",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The classification rule that matched when the ticket was created.",
    )
    sla_ids = fields.One2many(
        "contact_center.ticket.sla",
        "ticket_id",
        string="SLA",
        groups="base.group_user",
    )
    sla_deadline = fields.Datetime(
        string="SLA Deadline",
        compute="_compute_sla",
        groups="base.group_user",
        store=True,
        index=True,
        help="The earliest deadline of the ticket's running SLA targets.",
    )
    sla_status = fields.Selection(
        [
            ("none", "No SLA"),
            ("met", "Met"),
            ("paused", "Paused"),
            ("running", "Running"),
            ("at_risk", "At Risk"),
            ("breached", "Breached"),
        ],
        string="SLA Status",
        compute="_compute_sla",
        groups="base.group_user",
        store=True,
        index=True,
    )
    received_at = fields.Datetime(
        default=fields.Datetime.now,
        readonly=True,
        copy=False,
        help="When the request arrived; SLA targets count from here.",
    )
    routing_reason = fields.Char(
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Why the ticket went to this team and agent.",
    )
    acknowledged_at = fields.Datetime(
        readonly=True, copy=False, groups="base.group_user"
    )
    acknowledged_email = fields.Char(
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
    )
    acknowledgement_skipped = fields.Char(
        string="Acknowledgement Not Sent",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Why no automatic acknowledgement went to the sender (an "
        "auto-reply, a mailing list, one of our own addresses, the hourly limit).",
    )
    first_response_at = fields.Datetime(
        readonly=True, copy=False, groups="base.group_user"
    )
    solved_at = fields.Datetime(readonly=True, copy=False, groups="base.group_user")
    reopen_count = fields.Integer(readonly=True, copy=False, groups="base.group_user")
    # ticket KPIs, stored when they happen so reports are a plain average
    # (written by _kpi_first_response and _kpi_stage_changed)
    first_response_business_seconds = fields.Integer(
        string="First Response Time",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Working seconds, in the team's business hours, from the ticket's "
        "arrival to the first agent reply.",
    )
    resolution_business_seconds = fields.Integer(
        string="Resolution Time",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Working seconds, in the team's business hours, from the ticket's "
        "arrival to its (last) solve, time spent waiting on the customer and "
        "time spent solved before a reopen excluded.",
    )
    resolution_paused_seconds = fields.Integer(
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Working seconds the ticket spent waiting on the customer, or "
        "solved before a reopen: left out of its resolution time.",
    )
    resolution_paused_at = fields.Datetime(
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Since when the resolution clock is paused (the ticket waits on "
        "the customer, or is solved or closed).",
    )
    is_automatic = fields.Boolean(
        string="Automatic Message",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
        help="An auto-reply, bounce or mailing-list email that answered "
        "nothing: kept in the team's folded Automatic Messages stage, without "
        "SLA, routing or acknowledgement.",
    )
    # SMS and social conversations: where the customer writes from, and
    # through which provider the answers go back
    social_network = fields.Char(
        readonly=True,
        copy=False,
        help="The messaging network of a social ticket as its provider names "
        "it (whatsapp, facebook, ...).",
    )
    contact_address = fields.Char(
        string="Customer Number or Handle",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
        help="Where the customer writes from on an SMS or social ticket (a "
        "number in E.164 form, or their handle): answers go back there.",
    )
    messaging_provider_id = fields.Many2one(
        "contact_center.telephony.provider",
        string="Messaging Provider",
        readonly=True,
        copy=False,
        ondelete="set null",
        groups="base.group_user",
        help="The provider the customer's messages came through; agents' "
        "replies are sent through it.",
    )
    interaction_ids = fields.One2many(
        "contact_center.interaction",
        "res_id",
        domain=[("res_model", "=", "contact_center.ticket")],
        string="Interactions",
        groups="base.group_user",
    )

    def init(self):
        # the customer timeline pages a customer's tickets by arrival
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS contact_center_ticket_partner_timeline_idx
                ON contact_center_ticket (partner_id, received_at DESC, id DESC)
                WHERE partner_id IS NOT NULL AND received_at IS NOT NULL
            """
        )
        # agents' queues: open tickets of a team, and a customer's tickets
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS contact_center_ticket_partner_idx
                ON contact_center_ticket (partner_id, id DESC)
                WHERE partner_id IS NOT NULL
            """
        )
        # agents' loads and the team queue read only open tickets: a desk
        # keeps years of closed ones beside them
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS contact_center_ticket_open_agent_idx
                ON contact_center_ticket (agent_id)
                WHERE is_open AND active AND agent_id IS NOT NULL
            """
        )
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS contact_center_ticket_waiting_idx
                ON contact_center_ticket (team_id, sla_deadline)
                WHERE is_open AND active AND agent_id IS NULL
            """
        )

    # ------------------------------------------------------------------
    # Defaults and computes
    # ------------------------------------------------------------------
    def _default_stage_id(self):
        return self.env["contact_center.ticket.stage"].search([], limit=1)

    @api.model
    def _read_group_expand_stage_ids(self, stages, domain):
        return stages.search([], order=stages._order)

    @api.depends("partner_id")
    def _compute_email_from(self):
        for ticket in self:
            if ticket.partner_id.email and not ticket.email_from:
                ticket.email_from = ticket.partner_id.email_formatted

    @api.depends("stage_id.is_solved", "stage_id.is_closed", "is_automatic")
    def _compute_is_open(self):
        for ticket in self:
            stage = ticket.stage_id
            ticket.is_open = not (
                stage.is_solved or stage.is_closed or ticket.is_automatic
            )

    @api.depends("email_from")
    def _compute_email_normalized(self):
        for ticket in self:
            ticket.email_normalized = tools.email_normalize(ticket.email_from or "")

    @api.depends("partner_id")
    def _compute_lang(self):
        for ticket in self:
            if ticket.partner_id.lang and not ticket.lang:
                ticket.lang = ticket.partner_id.lang

    # worst first: the status a ticket shows is the worst of its targets
    _SLA_SEVERITY = ["breached", "at_risk", "running", "paused", "met"]

    @api.depends("sla_ids.deadline", "sla_ids.status", "sla_ids.reached_at")
    def _compute_sla(self):
        for ticket in self:
            lines = ticket.sla_ids
            running = lines.filtered(lambda line: not line.reached_at and line.deadline)
            ticket.sla_deadline = min(running.mapped("deadline")) if running else False
            statuses = set(lines.mapped("status"))
            ticket.sla_status = next(
                (s for s in self._SLA_SEVERITY if s in statuses), "none"
            )

    def _compute_access_url(self):  # replaces portal.mixin's placeholder "#"
        for ticket in self:
            ticket.access_url = f"/my/tickets/{ticket.id}"

    @api.depends("reference", "name")
    def _compute_display_name(self):
        for ticket in self:
            if ticket._origin.id and ticket.reference:
                ticket.display_name = (
                    f"[{ticket.reference}] {ticket.name or ''}".strip()
                )
            else:  # not saved yet: no number drawn, perhaps no subject typed
                ticket.display_name = ticket.name or self.env._("New ticket")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if (
            "name" in fields_list
            and not values.get("name")
            and context.get("default_channel") == "phone"
        ):
            # a ticket opened during a call (the screen pop's New Ticket)
            partner = self.env["res.partner"].browse(
                values.get("partner_id") or context.get("default_partner_id")
            )
            values["name"] = (
                self.env._("Call from %s", partner.name)
                if partner.name
                else self.env._("Phone call")
            )
        return values

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        # one look-up of the sequence and of the first stage for the batch
        sequence = (
            self.env["ir.sequence"]
            .sudo()  # sudo: any ticket creator may draw a ticket number
            .search(
                [
                    ("code", "=", "contact_center.ticket"),
                    ("company_id", "in", [self.env.company.id, False]),
                ],
                order="company_id",
                limit=1,
            )
        )
        first_stage = self._default_stage_id()
        for vals in vals_list:
            if not vals.get("reference") or vals["reference"] == self.env._("New"):
                vals["reference"] = sequence._next() if sequence else "/"
            vals.setdefault("stage_id", first_stage.id)
        if not self.env.context.get("cc_skip_classification"):
            self._classify_values(vals_list)
        tickets = super().create(vals_list)
        self.env["contact_center.wallboard"]._cc_notify(tickets.sudo().team_id)
        tickets._sla_sync()
        if not self.env.context.get("cc_skip_routing"):
            tickets.filtered(lambda t: not t.agent_id and not t.is_automatic)._route()
        if not self.env.context.get("cc_author_follows"):
            # the customer follows the ticket to receive the answers; from
            # the gateway, posting their email subscribes them anyway
            for ticket in tickets.filtered("partner_id"):
                if ticket.partner_id not in ticket.message_partner_ids:
                    ticket.message_subscribe(partner_ids=ticket.partner_id.ids)
        return tickets

    # fields whose change may change which SLA policies apply
    _SLA_FIELDS = {"priority", "tag_ids", "team_id", "reason_id", "partner_id"}

    def write(self, vals):
        now = fields.Datetime.now()
        old_stages = (
            {ticket.id: ticket.stage_id for ticket in self}
            if "stage_id" in vals
            else {}
        )
        if "stage_id" in vals:
            stage = self.env["contact_center.ticket.stage"].browse(vals["stage_id"])
            if stage.is_solved or stage.is_closed:
                self.filtered(lambda t: not t.solved_at).solved_at = now
            else:
                self.filtered("solved_at").solved_at = False
        if vals.get("agent_id") and not self.env.context.get("cc_routing"):
            vals = dict(vals, routing_reason=self.env._("Assigned by hand"))
        freed_agents = self.env["contact_center.agent"]
        if not self.env.context.get("cc_routing") and {"stage_id", "agent_id"} & set(
            vals
        ):
            freed_agents = self.agent_id  # before the change
        result = super().write(vals)
        if {"stage_id", "agent_id", "team_id"} & set(vals):
            self.env["contact_center.wallboard"]._cc_notify(self.sudo().team_id)
        if freed_agents:
            # a solved or reassigned ticket frees its agent: hand out waiting work
            freed_agents._assign_waiting_tickets()
        if self._SLA_FIELDS & set(vals):
            self._sla_sync(now)
        if "stage_id" in vals:
            for ticket in self:
                ticket._sla_stage_changed(old_stages[ticket.id], now)
            self._kpi_stage_changed(old_stages, now)
        return result

    # ------------------------------------------------------------------
    # Canned responses
    # ------------------------------------------------------------------
    # Placeholders agents may put in canned responses (mail.canned.response);
    # they are filled in when the message is sent.
    PLACEHOLDERS = ("{customer}", "{ticket}", "{agent}", "{expected}")

    def _placeholder_values(self):
        """Each placeholder's text on this ticket; never empty, so a canned
        response never reads "Hello ," or "by ." to the customer."""
        self.ensure_one()
        sender_name, sender_email = parse_contact_from_email(self.email_from or "")
        lang_env = self.with_context(lang=self.lang or self.env.lang).env
        return {
            "{customer}": self.partner_id.name
            or sender_name
            or sender_email
            or lang_env._("customer"),
            "{ticket}": self.reference or self.name or "",
            "{agent}": self.agent_id.name or self.env.user.name,
            "{expected}": self._expected_placeholder_text(),
        }

    def _expected_placeholder_text(self):
        """When the customer hears from us, as words that complete "We will
        get back to you ...": "by Monday 9 March 2026 12:30" while a response
        target runs, "as soon as you reply" while the clock waits on the
        customer, else "shortly"."""
        self.ensure_one()
        env = self.with_context(lang=self.lang or self.env.lang).env
        pending = self.sla_ids.filtered(
            lambda line: (
                line.kind in ("first_response", "next_response") and not line.reached_at
            )
        )
        running = pending.filtered(
            lambda line: line.status != "paused" and line.deadline
        )
        if running:
            return env._(
                "by %s", self._format_deadline(min(running.mapped("deadline")))
            )
        if self.stage_id.is_waiting_customer or pending:
            return env._("as soon as you reply")
        return env._("shortly")

    def _fill_placeholders(self, body):
        """``body`` (text or Markup) with its placeholders filled in."""
        self.ensure_one()
        text = EXPECTED_BY_RE.sub("", str(body))
        # the same markup as given, less the "by " taken out above
        body = Markup(text) if isinstance(body, Markup) else text
        for placeholder, value in self._placeholder_values().items():
            # Markup.replace escapes the value; a plain-text body is
            # escaped by message_post itself
            body = body.replace(placeholder, value)
        return body

    def cc_fill_placeholders(self, text):
        """The text of a canned response as the customer will receive it:
        the composer shows it to the agent before it is sent."""
        self.ensure_one()
        self.check_access("read")
        return self._fill_placeholders(text or "")

    def _check_unresolved_shortcuts(self, body):
        """Refuse a message that still holds a canned response's ":shortcut"."""
        text = tools.html2plaintext(body) if isinstance(body, Markup) else body
        tokens = set()
        for token in SHORTCUT_RE.findall(text):
            tokens |= {token, token.rstrip(".,;!?)")}
        if not tokens:
            return
        # as the user: the responses they are offered in the composer
        response = self.env["mail.canned.response"].search(
            [("source", "in", list(tokens))], limit=1
        )
        if response:
            raise UserError(
                self.env._(
                    '":%(shortcut)s" is the shortcut of a canned response, not '
                    "its text: type it, then pick it from the list that opens "
                    "(or press Tab) so that the customer receives the response.",
                    shortcut=response.source,
                )
            )

    def _is_sent_to_customer(self, kwargs):
        """Whether message_post(**kwargs) posts a message, not a note or log."""
        if kwargs.get("message_type", "notification") != "comment":
            return False
        subtype_id = kwargs.get("subtype_id") or self.env[
            "ir.model.data"
        ]._xmlid_to_res_id(kwargs.get("subtype_xmlid") or "mail.mt_note")
        return not self.env["mail.message.subtype"].browse(subtype_id).internal

    def _written_by_internal_user(self, author_id=None):
        """Whether the author of a message being posted is an internal user.

        ``author_id``: the author given to message_post; without one, the
        current user writes.
        """
        if author_id:
            return self._is_internal_author(author_id)
        return not self.env.user.share

    def message_post(self, **kwargs):
        body = kwargs.get("body")
        # customers' words are posted as written: placeholders and shortcuts
        # belong to canned responses, which internal users send
        if (
            len(self) == 1
            and not self.env.context.get("cc_customer_message")
            and isinstance(body, str)
            and ("{" in body or ":" in body)
            and self._written_by_internal_user(kwargs.get("author_id"))
        ):
            if ":" in body and self._is_sent_to_customer(kwargs):
                self._check_unresolved_shortcuts(body)
            if any(p in body for p in self.PLACEHOLDERS):
                kwargs["body"] = self._fill_placeholders(body)
        return super().message_post(**kwargs)

    # ------------------------------------------------------------------
    # Merge
    # ------------------------------------------------------------------
    def _merge_into(self, target):
        """Move everything of these tickets to ``target`` and archive them.

        Messages, attachments, followers, SLA lines and interactions are kept;
        only tickets of one customer may be merged.
        """
        target.ensure_one()
        sources = self - target
        if not sources:
            raise UserError(self.env._("Select at least two tickets to merge."))
        if len((self | target).partner_id.commercial_partner_id) > 1:
            raise UserError(self.env._("Only tickets of one customer can be merged."))
        self.check_access("write")
        target.message_subscribe(
            partner_ids=sources.message_partner_ids.ids,
        )
        # sudo: moving records between two tickets the user may write
        self.env["mail.message"].sudo().search(
            [("model", "=", self._name), ("res_id", "in", sources.ids)]
        ).write({"res_id": target.id})
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", sources.ids)]
        ).write({"res_id": target.id})
        self.env["contact_center.interaction"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", sources.ids)]
        ).write({"res_id": target.id})
        sources.sla_ids.sudo().write({"ticket_id": target.id})
        target.message_post(
            body=self.env._(
                "Merged tickets: %s", ", ".join(sources.mapped("display_name"))
            ),
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )
        sources.write({"active": False})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": target.id,
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------
    # Acknowledgement
    # ------------------------------------------------------------------
    def _acknowledgement_blockers(self):
        """{ticket id: why it must not be acknowledged, or None}.

        Never answer machines (RFC 3834 and common auto-reply headers, seen
        by the gateway), our own aliases, or a sender who already received
        the hourly maximum of acknowledgements: two systems must never loop.
        One query per ticket answers the address and rate checks.
        """
        automated = self.env.context.get("cc_automated_reason")
        limit = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("contact_center.acknowledgement_max_per_hour", 3)
        )
        since = fields.Datetime.now() - timedelta(hours=1)
        self.flush_model(["acknowledged_email", "acknowledged_at"])
        blockers = {}
        for ticket in self:
            sender = tools.email_normalize(ticket.email_from or "")
            if automated or not sender:
                blockers[ticket.id] = automated or self.env._("no sender address")
                continue
            self.env.cr.execute(
                """
                SELECT EXISTS(SELECT 1 FROM mail_alias
                               WHERE alias_full_name = %(sender)s)
                    OR EXISTS(SELECT 1 FROM mail_alias_domain
                               WHERE %(sender)s IN (
                                     lower(bounce_alias || '@' || name),
                                     lower(catchall_alias || '@' || name))),
                       (SELECT count(*) FROM contact_center_ticket
                         WHERE acknowledged_email = %(sender)s
                           AND acknowledged_at >= %(since)s)
                """,
                {"sender": sender, "since": since},
            )
            own, sent = self.env.cr.fetchone()
            if own:
                blockers[ticket.id] = self.env._("sent by one of our own addresses")
            elif sent >= limit:
                blockers[ticket.id] = self.env._(
                    "%(sender)s already received %(count)s acknowledgements this hour",
                    sender=sender,
                    count=sent,
                )
            else:
                blockers[ticket.id] = None
        return blockers

    def _expected_response_text(self):
        """'Monday 9 March 2026 at 12:30' in the team's time zone, or ''."""
        self.ensure_one()
        first = self.sla_ids.filtered(
            lambda line: line.kind == "first_response" and line.deadline
        )
        if not first:
            return ""
        return self._format_deadline(min(first.mapped("deadline")))

    def _format_deadline(self, deadline):
        """``deadline`` (UTC) in the team's time zone and the ticket's language."""
        self.ensure_one()
        tz = self.team_id.tz or self.env.user.tz or "UTC"
        return tools.format_datetime(
            self.env,
            deadline,
            tz=tz,
            dt_format="EEEE d MMMM y HH:mm",
            lang_code=self.lang,
        )

    def _acknowledge(self):
        """Answer new tickets with their reference and expected answer time.

        The email is queued with its copy in the chatter in one record; the
        composer and the notification layout are too heavy for every
        incoming email.
        """
        # sudo: the acknowledgement is a system email on behalf of the team
        tickets = self.sudo()
        template = self.env.ref(
            "contact_center.mail_template_ticket_acknowledgement",
            raise_if_not_found=False,
        )
        blockers = tickets._acknowledgement_blockers()
        # answers go to the team's alias; without one, to Odoo's default
        no_alias = tickets.filtered(lambda t: not t.team_id.alias_name)
        reply_to = no_alias._notify_get_reply_to() if no_alias else {}
        note_subtype = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        now = fields.Datetime.now()
        to_send = self.env["contact_center.ticket"].sudo()
        for ticket in tickets:
            blocker = blockers[ticket.id] or (
                not template and self.env._("no template")
            )
            if blocker:
                # a field, not a chatter note: a loop or a mailing list would
                # otherwise fill the chatter and cost a message per email
                ticket.acknowledgement_skipped = blocker
                continue
            to_send |= ticket
        if not to_send:
            return
        to_send.write({"acknowledged_at": now})
        for ticket in to_send:
            ticket.acknowledged_email = tools.email_normalize(ticket.email_from)
        # sudo: our own template, rendered in each customer's language
        template = template.sudo()
        subjects = template._render_field("subject", to_send.ids, compute_lang=True)
        bodies = template._render_field("body_html", to_send.ids, compute_lang=True)
        mails = []
        for ticket in to_send:
            subject = subjects[ticket.id]
            body = bodies[ticket.id]
            sender = ticket._acknowledgement_sender()
            recipient = (
                {"recipient_ids": [fields.Command.link(ticket.partner_id.id)]}
                if ticket.partner_id
                else {"email_to": ticket.email_from}
            )
            mails.append(
                {
                    **recipient,
                    "model": ticket._name,
                    "res_id": ticket.id,
                    "message_type": "auto_comment",
                    "subtype_id": note_subtype,
                    "subject": subject,
                    "body": body,  # the chatter's copy
                    "body_html": body,  # the email's
                    "email_from": sender,
                    "reply_to": reply_to.get(ticket.id) or sender,
                    # RFC 3834: other systems must not answer our acknowledgement
                    "headers": repr(
                        {
                            "Auto-Submitted": "auto-replied",
                            "X-Auto-Response-Suppress": "All",
                        }
                    ),
                    # the chatter keeps the message once the email is sent
                    "is_notification": True,
                    "auto_delete": True,
                }
            )
        self.env["mail.mail"].sudo().create(mails)

    def _acknowledgement_sender(self):
        """The team's alias under the team's name, else the company's address."""
        self.ensure_one()
        alias = self.team_id.alias_id.alias_full_name
        if alias and self.team_id.alias_name:
            return tools.formataddr((self.team_id.name, alias))
        return self.company_id.email_formatted or self.env.user.email_formatted

    # ------------------------------------------------------------------
    # Routing
    # ------------------------------------------------------------------
    def _routing_item(self, previous_agents):
        self.ensure_one()
        return routing.WorkItem(
            id=self.id,
            team_id=self.team_id.id or None,
            required_skills={skill.id: 1 for skill in self.skill_ids},
            language=self.lang or None,
            is_vip=bool(self.tier_id.is_vip),
            previous_agent_id=previous_agents.get(self.partner_id.id),
            deadline=self.sla_deadline or None,
            created_at=self.received_at,
            vip_rule=self.team_id._routing_vip_rule()
            if self.team_id
            else routing.VipRule(),
        )

    def _previous_agents(self):
        """Agent of each customer's latest assigned ticket: {partner id: agent id}."""
        partners = self.partner_id
        if not partners:
            return {}
        self.env.cr.execute(
            """
            SELECT DISTINCT ON (partner_id) partner_id, agent_id
              FROM contact_center_ticket
             WHERE partner_id = ANY(%s) AND agent_id IS NOT NULL
          ORDER BY partner_id, id DESC
            """,
            (partners.ids,),
        )
        return dict(self.env.cr.fetchall())

    def _reroute(self, exclude=None, reason=""):
        """Take the tickets from their agent and route them again."""
        self.with_context(cc_routing=True).write({"agent_id": False})
        self._route(exclude=exclude)

    def _route(self, exclude=None):
        """Pick team and agent for these tickets with the routing engine.

        Agents' state is read once for all teams involved; each assignment
        updates the in-memory load so one batch does not overload an agent.
        """
        tickets = self.sudo()  # sudo: routing sees every agent and queue
        if not tickets:
            return
        teams = tickets.team_id
        overflow = teams.overflow_team_id
        while overflow - teams:
            teams |= overflow
            overflow = teams.overflow_team_id
        team_states = teams._routing_team_states()
        # each ticket counts against its channel's capacity and load (see
        # ticket_bucket): all channels' states in the same two queries
        states = self.env["contact_center.agent"].sudo()._ticket_routing_states(teams)
        for agents in states.values():
            for agent_id in exclude.ids if exclude else ():
                agents.pop(agent_id, None)
        previous = tickets._previous_agents()
        now = fields.Datetime.now()
        Team = tickets.env["contact_center.team"]
        for ticket in tickets:
            agents = states[ticket_bucket(ticket.channel)]
            decision = routing.route(
                ticket._routing_item(previous),
                list(agents.values()),
                team_states,
                now=now,
            )
            vals = {
                "routing_reason": Team._routing_reason_text(
                    decision.reason,
                    decision.overflow,
                    vip_wait_minutes=Team.browse(
                        decision.team_id
                    ).vip_senior_wait_minutes,
                )
            }
            if decision.team_id and decision.team_id != ticket.team_id.id:
                vals["team_id"] = decision.team_id
            if decision.agent_id:
                vals["agent_id"] = decision.agent_id
                agent = agents[decision.agent_id]
                agents[decision.agent_id] = routing.AgentState(
                    **{
                        **agent.__dict__,
                        "load": agent.load + 1,
                        "last_assigned_at": now,
                    }
                )
            ticket.with_context(cc_routing=True).write(vals)
        assigned = tickets.agent_id
        assigned.write({"last_assigned_at": now})

    @api.model
    def _cron_route_waiting_vip_tickets(self, batch_size=200):
        """Route again the VIP tickets whose wait for a senior agent is over.

        A VIP ticket of a "senior agents first" team waits up to the team's
        time for a senior agent; after it, any free agent may take it. Agents
        becoming free pick it up themselves; this hands it to an agent who
        was already free and idle. Safe to run twice: routing an assigned
        ticket is skipped, and the tickets are locked ``SKIP LOCKED``.
        """
        now = fields.Datetime.now()
        # sudo: the cron routes every company's queue, as routing does
        tickets = self.sudo().search(
            [
                ("agent_id", "=", False),
                ("tier_id.is_vip", "=", True),
                ("team_id.vip_routing", "=", "senior_first"),
                *OPEN_DOMAIN,
            ],
            order="received_at, id",
            limit=batch_size,
        )
        due = tickets.filtered(
            lambda t: (
                t.received_at
                and t.received_at + timedelta(minutes=t.team_id.vip_senior_wait_minutes)
                <= now
            )
        )
        if not due:
            return 0
        self.env.cr.execute(
            """
            SELECT id FROM contact_center_ticket
             WHERE id = ANY(%s) AND agent_id IS NULL
               FOR UPDATE SKIP LOCKED
            """,
            (due.ids,),
        )
        locked = due.browse([row[0] for row in self.env.cr.fetchall()])
        locked._route()
        return len(locked)

    # ------------------------------------------------------------------
    # SLA
    # ------------------------------------------------------------------
    def _sla_sync(self, at=None):
        """Give each ticket one SLA line per matching policy and target.

        Lines of policies that no longer match (and not reached yet) go away;
        lines of newly matching policies count from the ticket's creation, so
        a priority raised mid-way tightens the deadline at once.
        """
        # sudo: SLA lines are system records; every ticket editor moves them
        Policy = self.env["contact_center.sla.policy"].sudo()
        Line = self.env["contact_center.ticket.sla"].sudo()
        policies = Policy.search([])
        at = at or fields.Datetime.now()
        to_create, to_unlink = [], Line
        for ticket in self.sudo():
            # automatic messages wait for no answer
            wanted = (
                policies.filtered(lambda p, t=ticket: p._matches(t))
                if not ticket.is_automatic
                else Policy
            )
            lines = ticket.sla_ids
            to_unlink |= lines.filtered(
                lambda line, w=wanted: line.policy_id not in w and not line.reached_at
            )
            start = ticket.received_at or at
            paused = ticket.stage_id.is_waiting_customer
            for policy in wanted - lines.policy_id:
                kinds = []
                if policy.first_response_hours and not ticket.first_response_at:
                    kinds.append("first_response")
                if policy.resolution_hours and not (
                    ticket.is_solved or ticket.is_closed
                ):
                    kinds.append("resolution")
                calendar = policy._calendar_for(ticket)
                consumed = Line._working_between(calendar, start, at)
                for kind in kinds:
                    target = policy._target_seconds(kind)
                    values = {
                        "ticket_id": ticket.id,
                        "policy_id": policy.id,
                        "kind": kind,
                        "target_seconds": target,
                        "start_at": start,
                        "consumed_seconds": consumed,
                        "resumed_at": False if paused else at,
                        "status": "paused" if paused else "running",
                    }
                    if not paused:  # created with their deadlines: no second write
                        values.update(
                            Line._schedule_values(
                                policy,
                                calendar,
                                at,
                                consumed,
                                target,
                                policy.escalation_ids[:1],
                            )
                        )
                    to_create.append(values)
        to_unlink.unlink()
        Line.create(to_create)

    def _sla_stage_changed(self, old_stage, at):
        self.ensure_one()
        new_stage = self.stage_id
        lines = self.sla_ids.sudo()  # sudo: SLA lines are system records
        if new_stage.is_solved or new_stage.is_closed:
            lines.filtered(lambda line: line.kind == "resolution")._reach(at)
            return
        if old_stage.is_solved or old_stage.is_closed:
            lines.filtered(lambda line: line.kind == "resolution")._reopen(at)
        pausing = lines.filtered(
            lambda line: new_stage in line.policy_id.pause_stage_ids
        )
        pausing._pause(at)
        (lines - pausing)._resume(at)

    def _sla_customer_wrote(self, at):
        """A customer message after an answer starts a next-response target."""
        Line = self.env["contact_center.ticket.sla"].sudo()
        to_create = []
        for ticket in self.sudo().filtered("first_response_at"):
            if ticket.sla_ids.filtered(
                lambda line: line.kind == "next_response" and not line.reached_at
            ):
                continue
            for policy in ticket.sla_ids.policy_id.filtered("next_response_hours"):
                to_create.append(
                    {
                        "ticket_id": ticket.id,
                        "policy_id": policy.id,
                        "kind": "next_response",
                        "target_seconds": policy._target_seconds("next_response"),
                        "start_at": at,
                        "resumed_at": at,
                    }
                )
        Line.create(to_create)._schedule()

    def _sla_agent_replied(self, at):
        lines = self.sudo().sla_ids.filtered(
            lambda line: (
                line.kind in ("first_response", "next_response") and not line.reached_at
            )
        )
        lines._reach(at)

    # ------------------------------------------------------------------
    # KPIs: first response and resolution times in business hours
    # ------------------------------------------------------------------
    def _kpi_calendar(self):
        """The business hours the ticket's KPIs count in: its team's, else
        its company's (as an SLA policy without a calendar of its own)."""
        self.ensure_one()
        return self.team_id.resource_calendar_id or self.company_id.resource_calendar_id

    @api.model
    def _kpi_business_seconds(self, spans):
        """Working seconds of each ``(ticket, start, end)`` span, in the
        ticket's business hours (see ``_kpi_calendar``).

        One fetch of working intervals per calendar serves every span (the
        SLA clock's cached ``_intervals``), then each span is measured by the
        SLA clock's ``working_seconds_between`` on the intervals it overlaps.
        """
        Line = self.env["contact_center.ticket.sla"]
        result = [0] * len(spans)
        by_calendar = defaultdict(list)
        for index, (ticket, start, end) in enumerate(spans):
            if start and end and end > start:
                by_calendar[ticket._kpi_calendar()].append(index)
        for calendar, indexes in by_calendar.items():
            begin = min(spans[i][1] for i in indexes)
            finish = max(spans[i][2] for i in indexes)
            intervals = Line._intervals(calendar, begin, (finish - begin).days + 2)
            starts = [interval[0] for interval in intervals]
            ends = [interval[1] for interval in intervals]
            for i in indexes:
                _ticket, start, end = spans[i]
                # only the intervals the span overlaps: a batch may span years
                lo, hi = bisect_right(ends, start), bisect_left(starts, end)
                result[i] = sla_clock.working_seconds_between(
                    start, end, intervals[lo:hi]
                )
        return result

    def _kpi_first_response(self, at):
        """Record the first agent reply at ``at`` and its business time."""
        seconds = self._kpi_business_seconds(
            [(ticket, ticket.received_at or ticket.create_date, at) for ticket in self]
        )
        for ticket, value in zip(self, seconds, strict=True):
            ticket.write(
                {"first_response_at": at, "first_response_business_seconds": value}
            )

    @staticmethod
    def _kpi_pausing(stage):
        """Stages whose time is left out of the resolution time."""
        return stage.is_waiting_customer or stage.is_solved or stage.is_closed

    def _kpi_stage_changed(self, old_stages, at):
        """Run the resolution clock on a stage change, for the whole batch.

        The clock pauses while the ticket waits on the customer (the stages
        that pause SLA clocks by default) and while it is solved or closed,
        so a reopened ticket counts from its reopening; on a solve, the
        resolution time is the working time since arrival minus the pauses.
        """
        spans, plans = [], []
        for ticket in self:
            old, new = old_stages[ticket.id], ticket.stage_id
            paused_at = ticket.resolution_paused_at
            plan = {"ticket": ticket, "values": {}}
            if paused_at and not self._kpi_pausing(new):
                plan["pause"] = len(spans)
                spans.append((ticket, paused_at, at))
                plan["values"]["resolution_paused_at"] = False
            elif not paused_at and self._kpi_pausing(new):
                plan["values"]["resolution_paused_at"] = at
            if (new.is_solved or new.is_closed) and not (
                old.is_solved or old.is_closed
            ):
                plan["total"] = len(spans)
                spans.append((ticket, ticket.received_at or ticket.create_date, at))
                if paused_at:
                    plan["pause"] = len(spans)
                    spans.append((ticket, paused_at, at))
            if plan["values"] or "total" in plan:
                plans.append(plan)
        seconds = self._kpi_business_seconds(spans)
        for plan in plans:
            ticket, values = plan["ticket"], plan["values"]
            paused = ticket.resolution_paused_seconds
            if "pause" in plan and "total" not in plan:
                values["resolution_paused_seconds"] = paused + seconds[plan["pause"]]
            if "total" in plan:
                pause = seconds[plan["pause"]] if "pause" in plan else 0
                values["resolution_business_seconds"] = max(
                    seconds[plan["total"]] - paused - pause, 0
                )
            # sudo: system figures the agent moving the ticket may not write
            ticket.sudo().write(values)

    @api.model
    def _kpi_fill_existing(self, batch_size=5000):
        """Fill the KPI fields of tickets that existed before them.

        For a post-migration script: first response time from
        ``first_response_at``; the resolution clock rebuilt from the stage
        history the chatter tracked (``mail.tracking.value`` of ``stage_id``;
        a ticket without tracked history is taken as having stayed in its
        current stage since arrival). Batches of ``batch_size`` tickets, one
        history query and one update each. Returns the number of tickets.
        """
        cr = self.env.cr
        self.env.flush_all()
        cr.execute("SELECT id FROM contact_center_ticket ORDER BY id")
        all_ids = [row[0] for row in cr.fetchall()]
        Stage = self.env["contact_center.ticket.stage"].with_context(active_test=False)
        pausing = set(
            Stage.search([]).filtered(lambda stage: self._kpi_pausing(stage)).ids
        )
        now = fields.Datetime.now()
        for offset in range(0, len(all_ids), batch_size):
            tickets = self.sudo().browse(all_ids[offset : offset + batch_size])
            cr.execute(
                """
                SELECT m.res_id, m.date, v.old_value_integer, v.new_value_integer
                  FROM mail_tracking_value v
                  JOIN mail_message m ON m.id = v.mail_message_id
                  JOIN ir_model_fields f ON f.id = v.field_id
                 WHERE m.model = 'contact_center.ticket'
                   AND f.model = 'contact_center.ticket' AND f.name = 'stage_id'
                   AND m.res_id = ANY(%s)
              ORDER BY m.res_id, m.date, m.id
                """,
                [tickets.ids],
            )
            changes = defaultdict(list)
            for res_id, date, old_stage, new_stage in cr.fetchall():
                changes[res_id].append((date, old_stage, new_stage))
            spans, plans = [], []
            for ticket in tickets:
                start = ticket.received_at or ticket.create_date
                end = ticket.solved_at or now
                # (stage, since): the stage at arrival, then each tracked
                # change; without history, unpaused until the solve or now
                history = changes.get(ticket.id)
                if history:
                    timeline = [(history[0][1], start)]
                    timeline += [(new_stage, date) for date, _old, new_stage in history]
                else:
                    timeline = [(False, start), (ticket.stage_id.id, end)]
                runs = []  # contiguous pausing runs, as [since, until]
                for index, (stage_id, since) in enumerate(timeline):
                    until = timeline[index + 1][1] if index + 1 < len(timeline) else end
                    if stage_id not in pausing:
                        continue
                    if runs and runs[-1][1] == since:
                        runs[-1][1] = until
                    else:
                        runs.append([since, until])
                current = runs[-1] if runs and ticket.stage_id.id in pausing else None
                plan = {"ticket": ticket, "pauses": [], "earlier": []}
                if ticket.first_response_at:
                    plan["first"] = len(spans)
                    spans.append((ticket, start, ticket.first_response_at))
                if ticket.solved_at:
                    plan["total"] = len(spans)
                    spans.append((ticket, start, ticket.solved_at))
                for run in runs:
                    if run is not current:
                        plan["earlier"].append(len(spans))
                    plan["pauses"].append(len(spans))
                    spans.append((ticket, run[0], min(run[1], end)))
                plan["paused_at"] = current[0] if current else ticket.solved_at
                plans.append(plan)
            seconds = self._kpi_business_seconds(spans)
            rows = ([], [], [], [], [])
            for plan in plans:
                paused = sum(seconds[i] for i in plan["pauses"])
                rows[0].append(plan["ticket"].id)
                rows[1].append(seconds[plan["first"]] if "first" in plan else None)
                rows[2].append(
                    max(seconds[plan["total"]] - paused, 0) if "total" in plan else None
                )
                rows[3].append(sum(seconds[i] for i in plan["earlier"]))
                rows[4].append(plan["paused_at"] or None)
            cr.execute(
                """
                UPDATE contact_center_ticket t
                   SET first_response_business_seconds = v.first,
                       resolution_business_seconds = v.resolution,
                       resolution_paused_seconds = v.paused,
                       resolution_paused_at = v.paused_at
                  FROM unnest(%s::int[], %s::int[], %s::int[], %s::int[],
                              %s::timestamp[]) AS v(id, first, resolution, paused,
                                                    paused_at)
                 WHERE t.id = v.id
                """,
                list(rows),
            )
        self.invalidate_model(
            [
                "first_response_business_seconds",
                "resolution_business_seconds",
                "resolution_paused_seconds",
                "resolution_paused_at",
            ]
        )
        return len(all_ids)

    @api.model
    def _classify_values(self, vals_list):
        """Apply the first matching classification rule to each new ticket.

        Runs on the creation values, so a ticket is created already
        classified and its SLA lines are computed once. Rules are read once
        for the batch.
        """
        # sudo: rules are configuration every ticket creator relies on
        rules = (
            self.env["contact_center.classification.rule"]
            .sudo()
            .search([("pattern_error", "=", False)])
        )
        if not rules:
            return
        engine_rules = [rule._to_engine_rule() for rule in rules]
        budget = (
            int(
                self.env["ir.config_parameter"]
                .sudo()
                .get_param("contact_center.classification_pattern_budget_ms", 200)
            )
            / 1000.0
        )
        slow = {}
        rule_company = {rule.id: rule.company_id.id for rule in rules}
        recipients = self.env.context.get("cc_mail_recipients") or ()
        Partner = self.env["res.partner"]
        partners = Partner.browse(
            {v["partner_id"] for v in vals_list if v.get("partner_id")}
        )
        for vals in vals_list:
            partner = Partner.browse(vals.get("partner_id") or ()).with_prefetch(
                partners._prefetch_ids
            )
            # a company's rules classify only its own tickets
            company_id = vals.get("company_id") or self.env.company.id
            rule = classification.classify(
                [r for r in engine_rules if rule_company[r.id] == company_id],
                subject=vals.get("name") or "",
                body=tools.html2plaintext(vals.get("description") or ""),
                sender=tools.email_normalize(
                    vals.get("email_from") or partner.email or ""
                )
                or "",
                recipients=recipients,
                tier_id=partner.cc_tier_id.id,
                lang=vals.get("lang") or partner.lang,
                budget=budget,
                slow=slow,
            )
            if not rule:
                continue
            for name, value in rules.browse(rule.id)._ticket_values().items():
                if name in ("tag_ids", "skill_ids"):  # add to what is given
                    vals[name] = list(vals.get(name) or ()) + value
                else:
                    vals[name] = value
        if slow:
            rules._report_unsafe_patterns(slow)

    # ------------------------------------------------------------------
    # Mail gateway
    # ------------------------------------------------------------------
    @api.model
    def _detect_loop_sender_domain(self, email_from_normalized):
        # an equality on an indexed column, instead of the default ILIKE on
        # email_from, for Odoo's count of recent tickets from this sender
        return [("email_normalized", "=", email_from_normalized)]

    @api.model
    def _ticket_partner_from_email(self, email_from):
        """The customer who wrote: an existing contact, or a new one."""
        if not email_from:
            return self.env["res.partner"]
        partners = self._mail_find_partner_from_emails([email_from], force_create=True)
        return partners[0] if partners else self.env["res.partner"]

    @api.model
    def _ticket_from_subject(self, msg_dict):
        """The ticket a reply refers to by the reference in its subject.

        Only a ticket of the same customer counts: a stranger quoting a
        reference must not write into someone else's ticket.
        """
        match = REFERENCE_RE.search(msg_dict.get("subject") or "")
        if not match:
            return self.browse()
        ticket = self.search([("reference", "=", match.group(1))], limit=1)
        sender = tools.email_normalize(msg_dict.get("email_from") or "")
        customer = tools.email_normalize(
            ticket.partner_id.email or ticket.email_from or ""
        )
        return ticket if ticket and sender and sender == customer else self.browse()

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        existing = self._ticket_from_subject(msg_dict)
        if existing:
            existing.message_update(msg_dict)
            return existing
        values = dict(custom_values or {})
        # the gateway already found the author among contacts; else create one
        partner = self.env["res.partner"].browse(
            msg_dict.get("author_id")
        ) or self._ticket_partner_from_email(msg_dict.get("email_from"))
        values.setdefault("name", msg_dict.get("subject") or self.env._("(no subject)"))
        values.setdefault("description", msg_dict.get("body"))
        values.setdefault("channel", "email")
        if self.env.context.get("cc_automated_reason"):
            # an auto-reply that answers no ticket: kept, out of the queues
            stage = self.env.ref(
                "contact_center.ticket_stage_automatic", raise_if_not_found=False
            )
            values["is_automatic"] = True
            if stage:
                values["stage_id"] = stage.id
        if partner:
            values.setdefault("partner_id", partner.id)
            # the email is posted with the customer as author, who then
            # follows the ticket (see _message_route_process)
            msg_dict["author_id"] = partner.id
        recipients = [
            tools.email_normalize(address)
            for address in tools.email_split(
                ",".join(filter(None, [msg_dict.get("to"), msg_dict.get("cc")]))
            )
        ]
        ticket = super(
            ContactCenterTicket,
            self.with_context(
                cc_mail_recipients=[r for r in recipients if r], cc_author_follows=True
            ),
        ).message_new(msg_dict, custom_values=values)
        # acknowledge once the email itself is posted (see _message_post_after_hook)
        return ticket.with_context(cc_acknowledge=True)

    def message_update(self, msg_dict, update_vals=None):
        if self.env.context.get("cc_automated_reason"):
            # an auto-reply is logged as an internal note: it reopens
            # nothing, starts no target and notifies no one
            msg_dict["is_internal"] = True
            msg_dict.pop("parent_id", None)
            return super().message_update(msg_dict, update_vals=update_vals)
        if self._is_internal_author(msg_dict.get("author_id")):
            # an agent answering from their own mail client
            return super().message_update(msg_dict, update_vals=update_vals)
        # a customer writing on a solved or closed ticket reopens it
        self.filtered(lambda t: t.is_solved or t.is_closed)._reopen_by_customer()
        return super().message_update(msg_dict, update_vals=update_vals)

    def _phone_get_number_fields(self):
        # the customer's numbers as shown on the ticket: Odoo's SMS composer
        # sends to these (one text), not to them and a partner fallback
        return ["partner_mobile", "partner_phone"]

    def _reopen_by_customer(self):
        """Move these tickets back to the first open stage: the customer wrote."""
        if not self:
            return
        first_open = self.env["contact_center.ticket.stage"].search(
            [("is_solved", "=", False), ("is_closed", "=", False)], limit=1
        )
        for ticket in self:
            ticket.write(
                {"stage_id": first_open.id, "reopen_count": ticket.reopen_count + 1}
            )

    def _thread_to_store(self, store, /, *, fields=None, request_list=None):
        result = super()._thread_to_store(
            store, fields=fields, request_list=request_list
        )
        # the composer offers the canned responses scoped to this team and
        # reason; customers on the portal are not told the team or reason
        for ticket in self if self.env.user._is_internal() else ():
            store.add(
                ticket,
                {"cc_team_id": ticket.team_id.id, "cc_reason_id": ticket.reason_id.id},
                as_thread=True,
            )
        return result

    @api.model
    def _is_internal_author(self, author_id):
        """Whether this partner is an internal user (an agent, a colleague)."""
        if not author_id:
            return False
        # sudo: reads only whether the author's users are internal
        author = self.env["res.partner"].sudo().browse(author_id)
        return any(not user.share for user in author.user_ids)

    def _message_post_after_hook(self, message, msg_values):
        """Log every email in or reply out as an interaction of the ticket.

        Direction comes from the author: an internal user answers (from the
        chatter or from their own mail client), anyone else writes in. An
        automatic email (auto-reply, bounce, list) is kept but counts as
        neither, and is never acknowledged.
        """
        result = super()._message_post_after_hook(message, msg_values)
        if self.env.context.get("cc_customer_message"):
            # a customer's message posted for them (an SMS, a social or an
            # offline chat message): whoever posts it logs its contact
            return result
        if message.message_type not in ("email", "comment"):
            return result
        if message.message_type == "comment" and message.subtype_id.internal:
            return result  # an internal note
        # the email that creates a ticket is a request, whoever sends it
        creating = self.env.context.get("cc_acknowledge")
        if self.env.context.get("cc_automated_reason"):
            if creating:  # records on the ticket why it is not acknowledged
                self.with_context(cc_acknowledge=False)._acknowledge()
            return result
        if not creating and self._is_internal_author(message.author_id.id):
            written = self.filtered(lambda t: t.channel in WRITTEN_CHANNELS)
            # SMS and social answers go back on the customer's channel
            written._send_on_channel(message)
            (self - written)._log_interaction(message, "outbound")
            # sudo: a system timestamp the replying agent may not write
            self.filtered(lambda t: not t.first_response_at).sudo()._kpi_first_response(
                message.date
            )
            self._sla_agent_replied(message.date)
        elif message.message_type == "email" or message.author_id.user_ids:
            # an email from outside, or the customer from the portal
            self._log_interaction(message, "inbound")
            self._sla_customer_wrote(message.date)
            if self.env.context.get("cc_acknowledge"):
                self.with_context(cc_acknowledge=False)._acknowledge()
        return result

    def _log_interaction(self, message, direction):
        Agent = self.env["contact_center.agent"].sudo()
        agent = (
            Agent.search([("user_id", "in", message.author_id.user_ids.ids)], limit=1)
            if direction == "outbound"
            else Agent
        )
        # sudo: the interaction is the system's record of the email; agents
        # may only create their own, and customers none
        self.env["contact_center.interaction"].sudo().create(
            [
                {
                    "name": (message.subject or ticket.name)[:200],
                    "channel": "email",
                    "direction": direction,
                    "state": "done",
                    "company_id": ticket.company_id.id,
                    "partner_id": ticket.partner_id.id,
                    "email": ticket.email_from,
                    "team_id": ticket.team_id.id,
                    "agent_id": (agent or ticket.agent_id).id
                    if direction == "outbound"
                    else ticket.agent_id.id,
                    "queued_at": message.date,
                    "answered_at": message.date,
                    "ended_at": message.date,
                    "res_model": self._name,
                    "res_id": ticket.id,
                }
                for ticket in self
            ]
        )

    def _send_on_channel(self, message):
        """Send an agent's public reply on the SMS or social channel.

        Through the provider the conversation came from (else the company's
        messaging provider), to the number or handle the customer writes
        from; the provider's refusal (a UserError) cancels the reply. Logs
        one outbound interaction per ticket with the provider's message id.
        The message leaves before the transaction commits, as a call Odoo
        starts does: a reply rolled back later has still been sent.
        """
        if not self:
            return
        text = tools.html2plaintext(message.body or "").strip()
        if not text:
            raise UserError(
                self.env._(
                    "Only text can be sent by SMS or on a social network: "
                    "write the answer in the message."
                )
            )
        Agent = self.env["contact_center.agent"].sudo()
        agent = Agent.search(
            [("user_id", "in", message.author_id.user_ids.ids)], limit=1
        )
        # sudo: the provider's settings are managers' records; the agent only
        # answers a ticket they may write through it
        Provider = self.env["contact_center.telephony.provider"].sudo()
        values = []
        for ticket in self.sudo():
            # a ticket that came through none (an SMS ticket made by hand):
            # its company's provider set up for messaging
            provider = ticket.messaging_provider_id or Provider._cc_messaging_provider(
                ticket.company_id
            )
            address = ticket.contact_address or (
                ticket.channel == "sms"
                and (
                    ticket.partner_id.cc_mobile_e164 or ticket.partner_id.cc_phone_e164
                )
            )
            if not provider or not address:
                raise UserError(
                    self.env._(
                        "%(ticket)s has no messaging provider or customer number "
                        "to answer to: log a note, or answer the customer another "
                        "way.",
                        ticket=ticket.display_name,
                    )
                )
            network = ticket.social_network if ticket.channel == "social" else None
            external_id = provider._cc_send_message(
                ticket.channel, address, text, network=network
            )
            phone = (
                address if ticket.channel == "sms" or address.startswith("+") else False
            )
            values.append(
                {
                    "name": (message.subject or ticket.name)[:200],
                    "channel": ticket.channel,
                    "direction": "outbound",
                    "state": "done",
                    "company_id": ticket.company_id.id,
                    "partner_id": ticket.partner_id.id,
                    "phone": phone,
                    "social_network": network or False,
                    "team_id": ticket.team_id.id,
                    "agent_id": (agent or ticket.agent_id).id,
                    "queued_at": message.date,
                    "answered_at": message.date,
                    "ended_at": message.date,
                    "res_model": self._name,
                    "res_id": ticket.id,
                    "provider": provider.code,
                    "external_id": external_id or False,
                }
            )
        # sudo: the interaction is the system's record of the message sent
        self.env["contact_center.interaction"].sudo().create(values)

    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        if not any(ticket.channel in WRITTEN_CHANNELS for ticket in self):
            return recipients
        # the customer of an SMS or social ticket gets the answers on that
        # channel (see _send_on_channel), never by email: only colleagues
        # following the ticket are notified
        return [recipient for recipient in recipients if not recipient["share"]]

    # the mixin's dependencies: the customer's numbers as shown on the ticket
    _cc_dial_fields = ("partner_phone", "partner_mobile")

    def _cc_dial_partner(self):
        return self.partner_id

    @api.depends("partner_id.cc_phone_e164", "partner_id.cc_mobile_e164")
    def _compute_cc_dial_ok(self):
        # the customer's numbers, as they were read when stored
        for ticket in self:
            ticket.cc_dial_phone_ok = bool(ticket.partner_id.cc_phone_e164)
            ticket.cc_dial_mobile_ok = bool(ticket.partner_id.cc_mobile_e164)
