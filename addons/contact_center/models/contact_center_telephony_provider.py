import json
import secrets

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import routing, simulated_pbx, telephony
from ..tools.notification import notification
from ..tools.phone import to_e164
from ..tools.telephony_connectors import (
    CONNECTORS as CONNECTOR_CLASSES,
)
from ..tools.telephony_connectors import (
    MESSAGE_CHANNELS,
    ConnectorError,
    ConnectorSettings,
    get_connector,
)
from ..tools.url import is_http_url

KINDS = [
    ("asterisk", "Asterisk"),
    ("freeswitch", "FreeSWITCH"),
    ("3cx", "3CX"),
    ("twilio", "Twilio"),
    ("other", "Other PBX or CPaaS"),
]

CONNECTORS = [
    ("none", "None (tel: / sip: links)"),
    ("generic", "Generic JSON webhook"),
    ("asterisk_ari", "Asterisk ARI"),
    ("simulated", "Simulated PBX (demo)"),
]


class UnknownProviderError(Exception):
    """No active provider has this code (never cached, see _api_credentials)."""


class ContactCenterTelephonyProvider(models.Model):
    """A PBX or CPaaS that asks Odoo where calls go and reports call events.

    It signs every request to the telephony API with its shared secret and
    may let Odoo start calls through a connector (click-to-dial).
    """

    _name = "contact_center.telephony.provider"
    _description = "Telephony Provider"
    _inherit = ["contact_center.telephony.cache.mixin"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True)
    code = fields.Char(
        required=True,
        help="Identifier the PBX sends in the X-CC-Provider header; also the "
        "provider of the interactions it reports.",
    )
    kind = fields.Selection(
        KINDS,
        required=True,
        default="other",
        help="The system that moves the audio. Asterisk can take Odoo's calls "
        "through its ARI connector; any kind can through the generic one.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    secret = fields.Char(
        required=True,
        copy=False,
        default=lambda self: secrets.token_urlsafe(32),
        groups="contact_center.group_contact_center_manager",
        help="Shared secret of the HMAC-SHA256 request signatures.",
    )
    default_team_id = fields.Many2one(
        "contact_center.team",
        check_company=True,
        help="Team of calls to a number that is not listed below.",
    )
    did_ids = fields.One2many(
        "contact_center.telephony.did", "provider_id", string="Numbers"
    )
    ivr_option_ids = fields.One2many(
        "contact_center.telephony.ivr.option", "provider_id", string="IVR Options"
    )
    voicemail_target = fields.Char(
        help="Where the PBX sends callers when nobody can take the call "
        "(a voicemail box, extension or SIP URI)."
    )
    # Connector for calls Odoo starts (click-to-dial)
    connector = fields.Selection(CONNECTORS, required=True, default="none")
    connector_url = fields.Char(
        string="Connector URL",
        help="Generic: the URL Odoo POSTs call requests to. Asterisk ARI: the "
        "ARI base URL, e.g. http://pbx:8088/ari.",
    )
    connector_username = fields.Char(
        groups="contact_center.group_contact_center_manager"
    )
    connector_password = fields.Char(
        groups="contact_center.group_contact_center_manager"
    )
    connector_timeout = fields.Float(
        default=5.0, help="Seconds Odoo waits for the PBX before giving up."
    )
    ari_endpoint_template = fields.Char(
        string="Agent Endpoint",
        default="PJSIP/{extension}",
        help="Asterisk endpoint of an agent; {extension} is the agent's extension.",
    )
    ari_context = fields.Char(string="Dialplan Context", default="from-internal")
    ari_app = fields.Char(string="Stasis Application")
    ari_trunk_template = fields.Char(
        string="Trunk Endpoint",
        default="PJSIP/{number}@trunk",
        help="Asterisk endpoint of a customer's number for dialer calls; "
        "{number} is the number dialled.",
    )
    outbound_caller_id = fields.Char(string="Outbound Caller ID")
    # Messaging: SMS and social replies sent through the connector
    messaging_enabled = fields.Boolean(
        string="Messaging (SMS and social)",
        help="Send the company's SMS (Odoo's Send SMS included, instead of "
        "Odoo's SMS service) and the agents' social replies through this "
        "provider's connector.",
    )
    messaging_url = fields.Char(
        string="Messaging URL",
        help="Generic connector: the URL Odoo POSTs SMS and social messages "
        "to; the connector URL when empty. Same credentials and time-out as "
        "the calls.",
    )
    # Simulated PBX (demos and tours): how the called people behave
    sim_human_percent = fields.Integer(string="Answered by a Person (%)", default=60)
    sim_machine_percent = fields.Integer(string="Answered by a Machine (%)", default=15)
    sim_busy_percent = fields.Integer(string="Busy (%)", default=10)
    sim_failed_percent = fields.Integer(
        string="Failed (%)",
        default=0,
        help="The rest of the calls are not answered.",
    )
    sim_ring_min_seconds = fields.Integer(string="Shortest Ring (s)", default=3)
    sim_ring_max_seconds = fields.Integer(string="Longest Ring (s)", default=12)
    sim_talk_min_seconds = fields.Integer(string="Shortest Talk (s)", default=20)
    sim_talk_max_seconds = fields.Integer(string="Longest Talk (s)", default=120)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "Another provider already uses this code."),
    ]

    @api.constrains("connector_url", "messaging_url")
    def _check_connector_url(self):
        for provider in self:
            if provider.connector_url and not is_http_url(provider.connector_url):
                raise ValidationError(
                    self.env._(
                        "The connector URL of %(provider)s must be an http:// or "
                        "https:// address.",
                        provider=provider.name,
                    )
                )
            if provider.messaging_url and not is_http_url(provider.messaging_url):
                raise ValidationError(
                    self.env._(
                        "The messaging URL of %(provider)s must be an http:// or "
                        "https:// address.",
                        provider=provider.name,
                    )
                )

    @api.constrains("messaging_enabled", "connector", "company_id", "active")
    def _check_messaging(self):
        for provider in self.filtered("messaging_enabled"):
            connector = CONNECTOR_CLASSES.get(provider.connector)
            if not (connector and connector.can_message):
                raise ValidationError(
                    self.env._(
                        "%(provider)s cannot send SMS or social messages with "
                        "its connector: choose the generic connector, or untick "
                        "Messaging (SMS and social).",
                        provider=provider.name,
                    )
                )
            # sudo: a count across the company's providers, whoever edits
            # this one; only the number leaves this method
            others = self.sudo().search_count(
                [
                    ("id", "!=", provider.id),
                    ("company_id", "=", provider.company_id.id),
                    ("messaging_enabled", "=", True),
                ]
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "%(company)s already sends its messages through another "
                        "provider: untick Messaging (SMS and social) there first.",
                        company=provider.company_id.name,
                    )
                )

    @api.constrains(
        "sim_human_percent",
        "sim_machine_percent",
        "sim_busy_percent",
        "sim_failed_percent",
        "sim_ring_min_seconds",
        "sim_ring_max_seconds",
        "sim_talk_min_seconds",
        "sim_talk_max_seconds",
    )
    def _check_simulation(self):
        messages = {
            "percent_range": self.env._(
                "Each percentage of the simulation must be between 0 and 100."
            ),
            "percent_sum": self.env._(
                "The simulation's percentages (person, machine, busy, failed) "
                "must add up to 100 at most: the rest are the calls nobody "
                "answers."
            ),
            "negative": self.env._(
                "The simulation's ring and talk times cannot be negative."
            ),
            "ring": self.env._(
                "The simulation's shortest ring time is longer than its longest."
            ),
            "talk": self.env._(
                "The simulation's shortest talk time is longer than its longest."
            ),
        }
        for provider in self:
            problems = provider._sim_profile().problems()
            if problems:
                raise ValidationError(
                    self.env._(
                        "%(provider)s: %(problem)s",
                        provider=provider.name,
                        problem=messages[problems[0]],
                    )
                )

    def _sim_profile(self):
        """The simulation settings as the plain engine's profile."""
        self.ensure_one()
        return simulated_pbx.SimProfile(
            human_percent=self.sim_human_percent,
            machine_percent=self.sim_machine_percent,
            busy_percent=self.sim_busy_percent,
            failed_percent=self.sim_failed_percent,
            ring_min_seconds=self.sim_ring_min_seconds,
            ring_max_seconds=self.sim_ring_max_seconds,
            talk_min_seconds=self.sim_talk_min_seconds,
            talk_max_seconds=self.sim_talk_max_seconds,
        )

    @api.onchange("kind")
    def _onchange_kind(self):
        # an Asterisk is usually driven through ARI: offer it
        if self.kind == "asterisk" and self.connector == "none":
            self.connector = "asterisk_ari"

    # ------------------------------------------------------------------
    # Settings cached per process (read by every API request)
    # ------------------------------------------------------------------
    @api.model
    def _api_credentials(self, code):
        """(provider id, secret, company id) of an active provider, or None.

        Only known codes are cached: an unknown code raises inside the cached
        lookup and ormcache stores nothing for a call that raised, so codes
        made up by a forger cost a query each, never memory.
        """
        try:
            return self._api_credentials_cached(code)
        except UnknownProviderError:
            return None

    @api.model
    @tools.ormcache("code")
    def _api_credentials_cached(self, code):
        # sudo: the API authenticates the PBX before any user exists; only
        # the id, secret and company leave this method, to the controller
        provider = self.sudo().search([("code", "=", code)], limit=1)
        if not provider:
            raise UnknownProviderError(code)
        return provider.id, provider.secret, provider.company_id.id

    @tools.ormcache("self.id")
    def _routing_config(self):
        """The provider's routing settings as plain, read-only data."""
        provider = self.sudo()
        dids = {}
        for did in provider.did_ids:
            if did.number_e164:
                dids.setdefault(did.number_e164, did.team_id.id)
        return {
            "code": provider.code,
            "company": provider.company_id.id,
            "country": provider.company_id.country_id.code or None,
            "default_team": provider.default_team_id.id or None,
            "voicemail": provider.voicemail_target or None,
            "dids": dids,
            "ivr": {
                option.choice: (
                    option.team_id.id or None,
                    option.skill_id.id or None,
                    int(option.skill_level or 1),
                    option.lang or None,
                )
                for option in provider.ivr_option_ids
            },
        }

    # ------------------------------------------------------------------
    # Route
    # ------------------------------------------------------------------
    def _did_team(self, called):
        """The team a dialled number reaches, else the provider's default."""
        self.ensure_one()
        config = self._routing_config()
        e164 = to_e164(called, config["country"]) if called else None
        team_id = config["dids"].get(e164) or config["default_team"]
        return self.env["contact_center.team"].browse(team_id or ())

    def _find_caller(self, number):
        """The customer calling from ``number``, in one query, or None.

        A partner of the provider's company (or shared) whose phone or
        mobile is the number, highest tier first (as ``cc_find_by_phone``),
        with their tier and the agent of their last contact (affinity):
        ``{"id", "name", "lang", "tier", "vip", "last_agent_id"}``.
        """
        config = self._routing_config()
        e164 = to_e164(number, config["country"]) if number else None
        if not e164:
            return None
        self.env["res.partner"].flush_model(
            ["active", "cc_phone_e164", "cc_mobile_e164", "company_id", "cc_tier_id"]
        )
        self.env["contact_center.interaction"].flush_model(
            ["partner_id", "agent_id", "queued_at"]
        )
        self.env.cr.execute(
            """
            SELECT p.id, p.name, p.lang,
                   COALESCE(t.name->>%(lang)s, t.name->>'en_US'), t.is_vip,
                   (SELECT i.agent_id FROM contact_center_interaction i
                     WHERE i.partner_id = p.id AND i.agent_id IS NOT NULL
                  ORDER BY i.queued_at DESC, i.id DESC LIMIT 1)
              FROM res_partner p
         LEFT JOIN contact_center_customer_tier t ON t.id = p.cc_tier_id
             WHERE p.active
               AND (p.cc_phone_e164 = %(e164)s OR p.cc_mobile_e164 = %(e164)s)
               AND (p.company_id IS NULL OR p.company_id = %(company)s)
          ORDER BY t.sequence DESC NULLS LAST, t.id DESC NULLS LAST, p.id
             LIMIT 1
            """,
            {
                "e164": e164,
                "company": config["company"],
                "lang": self.env.lang or "en_US",
            },
        )
        row = self.env.cr.fetchone()
        if not row:
            return None
        return dict(
            zip(
                ("id", "name", "lang", "tier", "vip", "last_agent_id"), row, strict=True
            )
        )

    def _route_call(self, payload):
        """Where a call goes now, and why; reads only (see the README)."""
        self.ensure_one()
        request = telephony.validate_route(payload)
        config = self._routing_config()
        Team = self.env["contact_center.team"]
        team = self._did_team(request["called"])
        skills, language = {}, request["language"]
        for choice in request["ivr"]:
            option = config["ivr"].get(choice)
            if not option:
                continue
            team_id, skill_id, level, lang = option
            team = Team.browse(team_id) if team_id else team
            if skill_id:
                skills[skill_id] = level
            language = lang or language
        caller = self._find_caller(request["caller"])
        language = language or (caller and caller["lang"]) or None
        customer = (
            {
                "id": caller["id"],
                "name": caller["name"],
                "tier": caller["tier"],
                "vip": bool(caller["vip"]),
            }
            if caller
            else None
        )
        if not team:
            return self._route_answer("voicemail", None, None, "no_team", customer)
        teams = team | team.overflow_team_id
        overflow = teams.overflow_team_id
        while overflow - teams:
            teams |= overflow
            overflow = teams.overflow_team_id
        team_states = teams._routing_team_states(channel="phone")
        agents = self.env["contact_center.agent"]._routing_states("phone", teams)
        now = fields.Datetime.now()
        item = routing.WorkItem(
            team_id=team.id,
            required_skills=skills,
            language=language,
            is_vip=bool(caller and caller["vip"]),
            previous_agent_id=caller and caller["last_agent_id"],
            # a VIP caller's wait for a senior agent counts from the queued event
            created_at=self._call_queued_at(request["call_id"]) or now,
            vip_rule=team._routing_vip_rule(),
        )
        decision = routing.route(item, list(agents.values()), team_states, now=now)
        if decision.team_id is None:
            return self._route_answer(
                "voicemail", None, None, decision.reason, customer, decision.overflow
            )
        routed_team = Team.browse(decision.team_id)
        action = "overflow" if routed_team != team else "queue"
        agent = self.env["contact_center.agent"].browse(decision.agent_id or ())
        if agent:
            action = "agent"
        return self._route_answer(
            action, routed_team, agent, decision.reason, customer, decision.overflow
        )

    def _call_queued_at(self, call_id):
        """When the PBX reported call ``call_id`` queued, or None (a new call)."""
        self.ensure_one()
        Interaction = self.env["contact_center.interaction"]
        Interaction.flush_model(["provider", "external_id", "queued_at"])
        self.env.cr.execute(
            """
            SELECT queued_at FROM contact_center_interaction
             WHERE provider = %s AND external_id = %s
            """,
            (self.code, call_id),
        )
        row = self.env.cr.fetchone()
        return row[0] if row else None

    def _route_answer(self, action, team, agent, reason, customer, overflow=False):
        if action == "voicemail":
            target = self._routing_config()["voicemail"]
        elif action == "agent":
            target = agent.extension or None
        else:
            target = f"queue:{team.id}"
        return {
            "action": action,
            "target": target,
            "team": {"id": team.id, "name": team.name} if team else None,
            "agent": (
                {"id": agent.id, "name": agent.name, "extension": agent.extension}
                if agent
                else None
            ),
            "reason": reason,
            "detail": self.env["contact_center.team"]._routing_reason_text(
                reason,
                overflow,
                vip_wait_minutes=team.vip_senior_wait_minutes if team else 0,
            ),
            "customer": customer,
        }

    def _ingest_messages(self, payload):
        """The messaging webhook's request: customers' SMS and social
        messages (see contact_center.messaging)."""
        self.ensure_one()
        return self.env["contact_center.messaging"]._ingest(self, payload)

    # ------------------------------------------------------------------
    # Events
    # ------------------------------------------------------------------
    def _ingest_events(self, payload):
        """Store each event raw, then process it; duplicates change nothing.

        Returns the API's answer: counts and a status per event. A failure
        of one event is kept on it (state failed, error) and does not stop
        the others.
        """
        self.ensure_one()
        events = telephony.validate_events(payload)
        Event = self.env["contact_center.telephony.event"]
        results, created = [], Event
        for event in events:
            self.env.cr.execute(
                """
                INSERT INTO contact_center_telephony_event
                    (provider_id, company_id, external_id, call_id, event_type,
                     occurred_at, received_at, payload, state,
                     create_uid, write_uid, create_date, write_date)
                VALUES (%(provider)s, %(company)s, %(id)s, %(call)s, %(type)s,
                        %(at)s, now() at time zone 'UTC', %(payload)s, 'pending',
                        %(uid)s, %(uid)s, now() at time zone 'UTC',
                        now() at time zone 'UTC')
                ON CONFLICT (provider_id, external_id) DO NOTHING
                RETURNING id
                """,
                {
                    "provider": self.id,
                    "company": self.company_id.id,
                    "id": event["id"],
                    "call": event["call_id"],
                    "type": event["type"],
                    "at": event["at"],
                    "payload": json.dumps(event, default=str),
                    "uid": self.env.uid,
                },
            )
            row = self.env.cr.fetchone()
            if not row:
                results.append({"id": event["id"], "status": "duplicate"})
                continue
            created |= Event.browse(row[0])
            results.append({"id": event["id"], "status": "pending"})
        statuses = created._process()
        for result in results:
            if result["status"] == "pending":
                result.update(statuses[result["id"]])
        return {
            "accepted": sum(r["status"] == "done" for r in results),
            "duplicates": sum(r["status"] == "duplicate" for r in results),
            "failed": sum(r["status"] == "failed" for r in results),
            "events": results,
        }

    # ------------------------------------------------------------------
    # Calls Odoo starts (click-to-dial) through the connector
    # ------------------------------------------------------------------

    def _connector(self):
        """The connector of this provider, built from its settings."""
        self.ensure_one()
        # sudo: the credentials are manager-only fields, but an agent's
        # click-to-dial must use them; they go to the PBX, never to the user
        provider = self.sudo()
        settings = ConnectorSettings(
            url=provider._connector_base_url(),
            username=provider.connector_username or "",
            password=provider.connector_password or "",
            timeout=provider.connector_timeout or 5.0,
            endpoint_template=provider.ari_endpoint_template or "PJSIP/{extension}",
            context=provider.ari_context or "from-internal",
            app=provider.ari_app or "",
            caller_id=provider.outbound_caller_id or "",
            trunk_template=provider.ari_trunk_template or "PJSIP/{number}@trunk",
            messaging_url=provider.messaging_url or "",
        )
        if provider.connector == "simulated":
            settings.provider_code = provider.code
            settings.secret = provider.secret
            settings.profile = provider._sim_profile()
        return get_connector(provider.connector, settings)

    def _connector_base_url(self):
        """The connector's URL; the simulated PBX's defaults to Odoo's own,
        where it reports its events."""
        self.ensure_one()
        if not self.connector_url and self.connector == "simulated":
            return self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        return self.connector_url or ""

    @api.model
    def _dial_provider(self, company=None):
        """The active provider of the company that can start calls, if any."""
        company = company or self.env.company
        return self.search(
            [("company_id", "=", company.id), ("connector", "!=", "none")],
            limit=1,
        )

    def _originate(self, agent, number, interaction):
        """Ask the PBX to ring the agent, then the number; return its call id.

        Raises ConnectorError when the PBX cannot do it.
        """
        self.ensure_one()
        return self._connector().originate(
            agent.extension, agent.name, number, interaction.external_id
        )

    def _hangup(self, interaction):
        """Ask the PBX to end the interaction's call."""
        self.ensure_one()
        return self._connector().hangup(interaction.external_id)

    # Calls the dialer starts: the customer first, then an agent

    def _dial(self, number, interaction, caller_id=None, ring_seconds=None):
        """Ask the PBX to call the number (no agent yet); return its call id.

        The PBX reports the answer, by a person or a machine, as an event.
        Raises ConnectorError when the PBX cannot do it.
        """
        self.ensure_one()
        return self._connector().dial(
            number,
            interaction.external_id,
            caller_id=caller_id,
            ring_seconds=ring_seconds,
        )

    def _bridge(self, interaction, agent):
        """Ask the PBX to connect the interaction's answered call to the agent."""
        self.ensure_one()
        return self._connector().bridge(
            interaction.external_id, agent.extension, agent_name=agent.name
        )

    def _play_message(self, interaction, message):
        """Ask the PBX to play a message on the interaction's call, then hang up."""
        self.ensure_one()
        return self._connector().play_message(interaction.external_id, message)

    # ------------------------------------------------------------------
    # Messages Odoo sends (SMS, social replies) through the connector
    # ------------------------------------------------------------------

    @api.model
    def _cc_messaging_provider(self, company=None):
        """The active provider of the company set up for messaging, or empty."""
        company = company or self.env.company
        return self.search(
            [("company_id", "=", company.id), ("messaging_enabled", "=", True)],
            limit=1,
        )

    def _cc_send_message(self, channel, to, text, network=None, reference=None):
        """Send ``text`` to ``to`` on ``channel`` ("sms" or "social") through
        the connector; return the provider's message id.

        ``to``: the customer's number for an SMS (sent in E.164), their id on
        the network for a social message; ``network``: the social network
        (whatsapp, facebook, ...); ``reference``: Odoo's own id of the
        message, which the provider may use to drop a duplicate.
        Raises UserError saying what failed; nothing is written here.
        """
        self.ensure_one()
        if not self.messaging_enabled:
            raise UserError(
                self.env._(
                    "%(provider)s is not set up to send SMS or social messages: "
                    "tick Messaging (SMS and social) on the provider.",
                    provider=self.name,
                )
            )
        if channel not in MESSAGE_CHANNELS:
            raise UserError(
                self.env._(
                    "%(channel)s messages cannot be sent through a provider, "
                    "only SMS and social ones.",
                    channel=channel,
                )
            )
        if not (to or "").strip():
            raise UserError(self.env._("The message has no recipient."))
        if not (text or "").strip():
            raise UserError(self.env._("The message is empty."))
        if channel == "sms":
            number = to_e164(to, self.company_id.partner_id.country_id.code or None)
            if not number:
                raise UserError(
                    self.env._(
                        "%(number)s is not a valid phone number: correct it and "
                        "send the SMS again.",
                        number=to,
                    )
                )
            to = number
        try:
            return self._connector().send_message(
                channel, to, text, network=network, reference=reference
            )
        except ConnectorError as exc:
            raise UserError(
                self.env._(
                    "%(provider)s could not send the message to %(to)s: %(error)s",
                    provider=self.name,
                    to=to,
                    error=str(exc),
                )
            ) from exc

    def action_test_connection(self):
        """Tell the manager whether the PBX answers with these settings."""
        self.ensure_one()
        # the test sends the manager-only credentials: managers only
        if not self.env.user.has_group("contact_center.group_contact_center_manager"):
            raise AccessError(
                self.env._("Only contact-center managers can test a connector.")
            )
        if self.connector == "none":
            raise UserError(self.env._("Choose a connector first."))
        try:
            self._connector().test()
        except ConnectorError as exc:
            return notification(
                self.env._("Connection failed"),
                self.env._("%(error)s", error=str(exc)),
                "danger",
            )
        return notification(
            self.env._("Connection works"),
            self.env._(
                "The PBX at %(url)s answered.",
                # sudo: only the URL, which the manager sees on the form
                url=self.sudo()._connector_base_url(),
            ),
            "success",
        )

    def action_regenerate_secret(self):
        """Give the provider a new shared secret; the old one stops working.

        The new secret is only stored: it is shown on the (manager-only) form
        to be copied into the PBX, never posted in a message or a log.
        """
        # the secret signs every call event: managers only, like the field
        if not self.env.user.has_group("contact_center.group_contact_center_manager"):
            raise AccessError(
                self.env._("Only contact-center managers can regenerate a secret.")
            )
        for provider in self:
            provider.secret = secrets.token_urlsafe(32)
        # the API caches each provider's secret per process: forget it now,
        # in this worker and (through the registry signal) in the others
        self.env.registry.clear_cache()
        return True

    # ------------------------------------------------------------------
    # Housekeeping
    # ------------------------------------------------------------------

    @api.model
    def _cron_purge_signatures(self):
        self.env.cr.execute(
            """
            DELETE FROM contact_center_telephony_signature
             WHERE seen_at < (now() at time zone 'UTC') - make_interval(secs => %s)
            """,
            (2 * telephony.SIGNATURE_TOLERANCE,),
        )
