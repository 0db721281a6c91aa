import logging
from collections import defaultdict
from datetime import timedelta

import phonenumbers
import psycopg2.errors
from phonenumbers import timezone as phone_timezone

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, ormcache

from odoo.addons.contact_center.models.contact_center_range_mixin import (
    NOT_NEGATIVE,
    PERCENT,
    POSITIVE,
)
from odoo.addons.contact_center.tools.telephony_connectors import ConnectorError

from ..tools import calling_window, contact_import, pacing

_logger = logging.getLogger(__name__)

DIALER_MODES = [
    ("preview", "Preview"),
    ("progressive", "Progressive"),
    ("power", "Power"),
    ("predictive", "Predictive"),
]
CAMPAIGN_STATES = [
    ("draft", "Draft"),
    ("running", "Running"),
    ("paused", "Paused"),
    ("done", "Done"),
]
ABANDON_WINDOWS = [
    ("720", "30 days (US, FCC)"),
    ("24", "24 hours (UK, Ofcom)"),
]
# outcomes of a person reached, and of a person won over
ANSWERED = ("interested", "sale", "not_interested", "wrong_person")
CONVERTED = ("interested", "sale")
# modes in which the dialer places the calls itself
AUTO_MODES = ("power", "predictive")
# dialer calls the pacing measures its answer rate and handle time on
PACING_LOOKBACK_MINUTES = 30
# how soon a new call is answered, before any has been measured
DEFAULT_RING_SECONDS = 10.0
# calls one dialing turn places at most
MAX_CALLS_PER_TURN = 50
# advisory lock namespace of a campaign's dialing turn
DIALER_LOCK = 7_151_515
# contacts the hand-out may set aside (outside their window, every number
# blocked) before it gives up for this call
TAKE_ROUNDS = 50
# contacts at the head of the queue looked past when the lock meets one taken
# since the transaction's snapshot (more than the agents taking at once)
TAKE_HEAD = 100
# default calling window: every weekday 9:00-20:00 in the contact's time zone
DEFAULT_WINDOWS = [
    Command.create({"weekday": str(day), "hour_from": 9.0, "hour_to": 20.0})
    for day in range(5)
]


class ContactCenterCampaign(models.Model):
    """An outbound calling campaign: who calls whom, when, how often.

    The queue is ``contact_center.campaign.contact``; agents and the dialer
    take the next contact through :meth:`_take_next_contact` only, which
    locks it (``FOR UPDATE SKIP LOCKED``) and checks the calling window and
    the do-not-call list at that moment.
    """

    _name = "contact_center.campaign"
    _description = "Outbound Campaign"
    _inherit = ["mail.thread", "contact_center.range.mixin"]
    _order = "state, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    purpose = fields.Text(help="What the campaign is for, as agents read it.")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    team_id = fields.Many2one(
        "contact_center.team", required=True, check_company=True, tracking=True
    )
    agent_ids = fields.Many2many(
        "contact_center.agent",
        string="Agents",
        check_company=True,
        help="Agents who take this campaign's calls; empty: every member of the team.",
    )
    state = fields.Selection(
        CAMPAIGN_STATES, default="draft", required=True, tracking=True, index=True
    )
    dialer_mode = fields.Selection(
        DIALER_MODES, default="preview", required=True, tracking=True
    )
    caller_id = fields.Char(
        string="Caller ID", help="The number presented to the people called."
    )
    utm_campaign_id = fields.Many2one(
        "utm.campaign",
        string="UTM Campaign",
        help="Leads and opportunities of this campaign carry it, so CRM "
        "reporting sees its results.",
    )
    script = fields.Html(
        help="What the agent says; ${name} and the other contact fields are "
        "filled in for each contact."
    )
    window_ids = fields.One2many(
        "contact_center.campaign.window",
        "campaign_id",
        string="Calling Windows",
        default=lambda self: DEFAULT_WINDOWS,
        help="When contacts may be called, in their own local time.",
    )
    default_tz = fields.Char(
        string="Default Time Zone",
        help="Time zone of contacts whose own is unknown; empty: the team's.",
    )
    max_attempts = fields.Integer(
        default=5, help="Calls to a contact, all numbers together, before giving up."
    )
    attempts_per_number_day = fields.Integer(
        string="Attempts per Number and Day", default=3
    )
    attempts_per_number = fields.Integer(string="Attempts per Number", default=6)
    retry_no_answer_minutes = fields.Integer(
        string="Retry After No Answer (min)", default=120
    )
    retry_busy_minutes = fields.Integer(string="Retry After Busy (min)", default=15)
    retry_voicemail_minutes = fields.Integer(
        string="Retry After Voicemail (min)", default=240
    )
    retry_failed_minutes = fields.Integer(
        string="Retry After Failure (min)", default=60
    )
    ring_seconds = fields.Integer(
        default=20,
        help="How long an unanswered call rings before it counts as no answer "
        "(at least 15 s: FTC safe harbour).",
    )
    abandon_ceiling_percent = fields.Float(
        string="Abandon Ceiling (%)",
        default=3.0,
        help="Automatic dialing holds the share of answered calls no agent "
        "takes within 2 seconds under this, over the rolling window.",
    )
    abandon_window_hours = fields.Selection(
        ABANDON_WINDOWS, string="Abandon Rate Window", default="720", required=True
    )
    power_ratio = fields.Float(
        string="Lines per Agent", default=2.0, help="Power mode: calls per ready agent."
    )
    preview_seconds = fields.Integer(
        string="Preview Countdown (s)",
        default=10,
        help="Progressive mode: seconds the agent sees the contact before the "
        "call starts.",
    )
    lease_minutes = fields.Integer(
        string="Hold Contacts For (min)",
        default=15,
        help="A contact handed to an agent whose session then dies goes back to "
        "the queue after this many minutes.",
    )
    requires_consent = fields.Boolean(
        string="Consent Required for Mobiles",
        help="Autodialed calls to mobile numbers need the person's prior "
        "consent (US TCPA): mobiles without it are skipped in power and "
        "predictive modes.",
    )
    provider_id = fields.Many2one(
        "contact_center.telephony.provider",
        string="Dial Through",
        check_company=True,
        domain="[('connector', '!=', 'none')]",
        help="The PBX that places the dialer's calls (progressive, power, "
        "predictive); empty: the company's provider with a connector.",
    )
    identification_message = fields.Text(
        default=lambda self: self.env._(
            "This is a call from %s. We will call you again. To stop our calls, "
            "call us back and ask.",
            self.env.company.name,
        ),
        help="Played through the PBX when a person answers and no agent is "
        "free within 2 seconds: who is calling and how to opt out.",
    )
    drop_voicemail = fields.Boolean(
        string="Leave a Voicemail",
        help="When an answering machine picks up, the PBX plays the voicemail "
        "message below, then hangs up.",
    )
    voicemail_message = fields.Text(
        help="Text or recording (URL) the PBX leaves on answering machines."
    )
    list_model = fields.Selection(
        [("res.partner", "Customers"), ("crm.lead", "Leads")],
        string="Add From",
        default="res.partner",
    )
    list_filter_id = fields.Many2one(
        "ir.filters",
        string="Saved Filter",
        domain="[('model_id', '=', list_model)]",
        help="A filter saved on the customers or the leads (Favorites > Save "
        "current search): Add From Filter adds the people it finds.",
    )
    is_callback_list = fields.Boolean(
        string="Callback List",
        readonly=True,
        help="The team's list of inbound callers to call back (calls abandoned "
        "in the queue or missed): one contact per caller and day.",
    )
    contact_ids = fields.One2many("contact_center.campaign.contact", "campaign_id")
    outcome_ids = fields.One2many(
        "contact_center.campaign.outcome",
        "campaign_id",
        string="Outcomes",
        # hidden outcomes stay listed on the campaign, to be offered again
        context={"active_test": False},
        help="The dispositions agents record and what each one does.",
    )
    contact_count = fields.Integer(compute="_compute_contact_counts")
    pending_count = fields.Integer(compute="_compute_contact_counts")
    done_count = fields.Integer(compute="_compute_contact_counts")
    reached_count = fields.Integer(
        compute="_compute_results",
        string="Reached",
        help="Contacts who answered (interested, sale, not interested, wrong person).",
    )
    converted_count = fields.Integer(
        compute="_compute_results",
        string="Converted",
        help="Contacts who answered interested or bought.",
    )
    attempts_per_contact = fields.Float(
        compute="_compute_results",
        string="Attempts per Contact",
        digits=(16, 1),
        help="Calls made / contacts called at least once.",
    )
    blocked_window_count = fields.Integer(
        compute="_compute_results",
        string="Held Back by Window",
        help="Times a contact came up outside their calling window.",
    )
    blocked_dnc_count = fields.Integer(
        compute="_compute_results",
        string="Held Back by DNC",
        help="Numbers found on the do-not-call list at the moment of dialing.",
    )
    # abandoned calls (a person answered, no agent within 2 s) per live
    # answer, in percent; 0 with no live answer, which the form leaves empty
    abandon_rate_window = fields.Float(
        compute="_compute_abandon_rates",
        string="Abandon Rate (%)",
        digits=(16, 2),
        help="Abandoned calls / calls a person answered, over the campaign's "
        "rolling window (Abandon Rate Window).",
    )
    abandon_rate_24h = fields.Float(
        compute="_compute_abandon_rates",
        string="Abandon Rate, 24 h (%)",
        digits=(16, 2),
        help="Abandoned calls / calls a person answered, over the last 24 hours.",
    )
    abandon_rate_30d = fields.Float(
        compute="_compute_abandon_rates",
        string="Abandon Rate, 30 Days (%)",
        digits=(16, 2),
        help="Abandoned calls / calls a person answered, over the last 30 days.",
    )
    live_answered_count = fields.Integer(
        compute="_compute_abandon_rates",
        string="Live Answers",
        help="Calls a person (not an answering machine) answered, over the "
        "campaign's rolling window.",
    )
    abandoned_count = fields.Integer(
        compute="_compute_abandon_rates",
        string="Abandoned",
        help="Calls a person answered and no agent took within 2 seconds, over "
        "the campaign's rolling window.",
    )
    live_answered_24h_count = fields.Integer(compute="_compute_abandon_rates")
    live_answered_30d_count = fields.Integer(compute="_compute_abandon_rates")

    _cc_ranges = {
        "max_attempts": POSITIVE,
        "attempts_per_number_day": POSITIVE,
        "attempts_per_number": POSITIVE,
        "retry_no_answer_minutes": NOT_NEGATIVE,
        "retry_busy_minutes": NOT_NEGATIVE,
        "retry_voicemail_minutes": NOT_NEGATIVE,
        "retry_failed_minutes": NOT_NEGATIVE,
        "abandon_ceiling_percent": PERCENT,
        "power_ratio": POSITIVE,
        "preview_seconds": NOT_NEGATIVE,
        "lease_minutes": POSITIVE,
    }

    @api.onchange(*_cc_ranges)
    def _onchange_cc_ranges(self):
        return self._cc_range_warning()

    @api.constrains("ring_seconds")
    def _check_ring_seconds(self):
        for campaign in self:
            if campaign.ring_seconds < 15:
                raise ValidationError(
                    self.env._(
                        "%(campaign)s: unanswered calls ring at least 15 seconds "
                        "before counting as no answer.",
                        campaign=campaign.display_name,
                    )
                )

    @api.constrains("default_tz")
    def _check_default_tz(self):
        for campaign in self.filtered("default_tz"):
            try:
                calling_window.is_callable(
                    fields.Datetime.now(), campaign.default_tz, {}
                )
            except ValueError as error:
                raise ValidationError(
                    self.env._(
                        "%(campaign)s: %(tz)s is not a time zone.",
                        campaign=campaign.display_name,
                        tz=campaign.default_tz,
                    )
                ) from error

    def _compute_contact_counts(self):
        Contact = self.env["contact_center.campaign.contact"]
        counts = defaultdict(lambda: defaultdict(int))
        for campaign, state, count in Contact._read_group(
            [("campaign_id", "in", self.ids)], ["campaign_id", "state"], ["__count"]
        ):
            counts[campaign.id][state] += count
        for campaign in self:
            found = counts[campaign.id]
            campaign.contact_count = sum(found.values())
            campaign.pending_count = sum(
                found[s] for s in ("pending", "retry", "callback")
            )
            campaign.done_count = found["done"]

    def _compute_results(self):
        Contact = self.env["contact_center.campaign.contact"]
        reached, converted, attempts = {}, {}, {}
        for campaign, outcome, count, total in Contact._read_group(
            [("campaign_id", "in", self.ids), ("attempts", ">", 0)],
            ["campaign_id", "last_outcome"],
            ["__count", "attempts:sum"],
        ):
            stats = attempts.setdefault(campaign.id, [0, 0])
            stats[0] += count
            stats[1] += total
            if outcome in ANSWERED:
                reached[campaign.id] = reached.get(campaign.id, 0) + count
            if outcome in CONVERTED:
                converted[campaign.id] = converted.get(campaign.id, 0) + count
        blocks = {
            (campaign.id, reason): count
            for campaign, reason, count in self.env[
                "contact_center.campaign.block"
            ]._read_group(
                [("campaign_id", "in", self.ids)],
                ["campaign_id", "reason"],
                ["__count"],
            )
        }
        for campaign in self:
            called, calls = attempts.get(campaign.id, (0, 0))
            campaign.reached_count = reached.get(campaign.id, 0)
            campaign.converted_count = converted.get(campaign.id, 0)
            campaign.attempts_per_contact = calls / called if called else 0.0
            campaign.blocked_window_count = blocks.get((campaign.id, "window"), 0)
            campaign.blocked_dnc_count = blocks.get((campaign.id, "dnc"), 0)

    def _compute_abandon_rates(self):
        # one query per figure for all the campaigns (new records have none)
        stored = self.filtered(lambda c: isinstance(c.id, int))
        window = stored._abandon_stats()
        day = stored._abandon_stats(hours=24)
        month = stored._abandon_stats(hours=720)

        def rate(stats):
            abandoned, live = stats
            return abandoned * 100.0 / live if live else 0.0

        for campaign in self:
            found = (0, 0)
            campaign.abandoned_count, campaign.live_answered_count = window.get(
                campaign.id, found
            )
            campaign.abandon_rate_window = rate(window.get(campaign.id, found))
            campaign.abandon_rate_24h = rate(day.get(campaign.id, found))
            campaign.abandon_rate_30d = rate(month.get(campaign.id, found))
            campaign.live_answered_24h_count = day.get(campaign.id, found)[1]
            campaign.live_answered_30d_count = month.get(campaign.id, found)[1]

    def action_open_compliance(self):
        """The campaign's compliance report: one line per rule, measured now."""
        self.ensure_one()
        return self.env["contact_center.campaign.compliance"]._open_for(self)

    def action_open_dialer_calls(self):
        """Every call made for the campaign, grouped by how it ended."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Calls: %s", self.name),
            "res_model": "contact_center.interaction",
            "views": [
                (
                    self.env.ref(
                        "contact_center_dialer.contact_center_interaction_view_list_dialer"
                    ).id,
                    "list",
                ),
                (
                    self.env.ref(
                        "contact_center_dialer.contact_center_interaction_view_pivot_dialer"
                    ).id,
                    "pivot",
                ),
                (False, "form"),
            ],
            "domain": [("campaign_id", "=", self.id)],
            "context": {
                "group_by": ["disposition_id"],
                "pivot_row_groupby": ["state", "disposition_id"],
                "pivot_column_groupby": ["dialer_answered_by"],
                "create": False,
            },
        }

    def action_open_blocks(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Calls Held Back: %s", self.name),
            "res_model": "contact_center.campaign.block",
            "views": [(False, "list")],
            "domain": [("campaign_id", "=", self.id)],
            "context": {"search_default_group_reason": 1},
        }

    def _abandon_stats(self, now=None, hours=None):
        """{campaign id: (abandoned, live answered)} over each campaign's
        rolling window (or ``hours``) ending ``now``: the calls a person
        answered, and those of them no agent took within 2 seconds. One
        query for all the campaigns."""
        now = now or fields.Datetime.now()
        result = {campaign.id: (0, 0) for campaign in self}
        if not self:
            return result
        self.env["contact_center.interaction"].flush_model(
            ["campaign_id", "answered_at", "dialer_answered_by", "is_dialer_abandoned"]
        )
        self.env.cr.execute(
            """
            SELECT i.campaign_id,
                   count(*) FILTER (WHERE i.is_dialer_abandoned),
                   count(*)
              FROM contact_center_interaction i
              JOIN unnest(%(ids)s::int[], %(hours)s::int[]) AS w(campaign_id, hours)
                ON w.campaign_id = i.campaign_id
             WHERE i.answered_at > %(now)s - make_interval(hours => w.hours)
               AND i.answered_at <= %(now)s
               AND i.dialer_answered_by = 'human'
             GROUP BY i.campaign_id
            """,
            {
                "ids": self.ids,
                "hours": [hours or int(c.abandon_window_hours) for c in self],
                "now": now,
            },
        )
        for campaign_id, abandoned, live in self.env.cr.fetchall():
            result[campaign_id] = (abandoned, live)
        return result

    # ------------------------------------------------------------------
    # States (supervisors)
    # ------------------------------------------------------------------
    def action_start(self):
        for campaign in self:
            if not campaign.window_ids:
                raise UserError(
                    self.env._(
                        "%(campaign)s has no calling window: add when contacts may "
                        "be called before starting it.",
                        campaign=campaign.display_name,
                    )
                )
            if campaign.dialer_mode != "preview" and not campaign._dialer_provider():
                raise UserError(
                    self.env._(
                        "%(campaign)s dials automatically: choose the PBX that "
                        "places its calls (Dial Through), or a provider with a "
                        "connector, before starting it.",
                        campaign=campaign.display_name,
                    )
                )
        self.write({"state": "running"})
        self._dialer_tick()

    def action_pause(self):
        running = self.filtered(lambda c: c.state == "running")
        running.write({"state": "paused"})
        running._dialer_hang_up("campaign_stopped")

    def action_stop(self):
        self.write({"state": "done"})
        self._dialer_hang_up("campaign_stopped")
        # contacts held by agents go back to pending; the campaign is over
        self.env["contact_center.campaign.contact"].search(
            [("campaign_id", "in", self.ids), ("state", "=", "in_progress")]
        ).write({"state": "pending", "agent_id": False, "lease_until": False})

    # ------------------------------------------------------------------
    # The queue
    # ------------------------------------------------------------------
    def _windows(self):
        """The calling windows as the engine reads them:
        {weekday: [(start minute, end minute)]}."""
        self.ensure_one()
        return {day: list(spans) for day, spans in self._windows_of(self.id).items()}

    @api.model
    @ormcache("campaign_id")
    def _windows_of(self, campaign_id):
        """The windows of a campaign, cached per process: the hand-out reads
        them on every take. Writing a window clears the cache."""
        windows = self.browse(campaign_id)._windows_many()[campaign_id]
        return {day: tuple(spans) for day, spans in windows.items()}

    def _windows_many(self):
        """{campaign id: its windows} of these campaigns, in one query."""
        self.env["contact_center.campaign.window"].flush_model()
        self.env.cr.execute(
            """
            SELECT campaign_id, weekday, hour_from, hour_to
              FROM contact_center_campaign_window
             WHERE campaign_id = ANY(%s)
             ORDER BY campaign_id, weekday, hour_from
            """,
            (self.ids,),
        )
        result = {campaign_id: defaultdict(list) for campaign_id in self.ids}
        for campaign_id, weekday, hour_from, hour_to in self.env.cr.fetchall():
            result[campaign_id][int(weekday)].append(
                (round(hour_from * 60), round(hour_to * 60))
            )
        return {campaign_id: dict(days) for campaign_id, days in result.items()}

    def _default_contact_tz(self):
        self.ensure_one()
        return self.default_tz or self.team_id.tz or "UTC"

    @api.model_create_multi
    def create(self, vals_list):
        campaigns = super().create(vals_list)
        campaigns._add_default_outcomes()
        return campaigns

    def _add_default_outcomes(self):
        """One outcome line per outcome code the campaigns lack, labelled as
        the agent's panel labels it (also run by the 18.0.0.3.0 migration)."""
        Outcome = self.env["contact_center.campaign.outcome"]
        values = Outcome._default_values(self)
        if values:
            Outcome.create(values)._translate_default_labels()

    def _panel_outcomes(self):
        """The outcomes the agent's panel offers for this campaign:
        ``[{"code", "label", "key"}]`` in the panel's order."""
        self.ensure_one()
        return self.outcome_ids.filtered("active")._panel_data()

    def _may_take(self, agent):
        """Whether ``agent`` works on this campaign: one of its agents, or,
        when it names none, a member of its team. One query: the hand-out
        asks it on every take, and reading the relations through the ORM
        would load every agent of the team."""
        self.ensure_one()
        if not agent:
            return False
        agents = self._fields["agent_ids"]
        members = self.env["contact_center.team"]._fields["member_ids"]
        self.flush_recordset(["agent_ids", "team_id"])
        self.team_id.flush_recordset(["member_ids"])
        self.env.cr.execute(
            SQL(
                """
                SELECT CASE WHEN EXISTS (SELECT 1 FROM %(agents)s
                                          WHERE %(a_campaign)s = %(campaign)s)
                            THEN EXISTS (SELECT 1 FROM %(agents)s
                                          WHERE %(a_campaign)s = %(campaign)s
                                            AND %(a_agent)s = %(agent)s)
                            ELSE EXISTS (SELECT 1 FROM %(members)s
                                          WHERE %(m_team)s = %(team)s
                                            AND %(m_agent)s = %(agent)s)
                       END
                """,
                agents=SQL.identifier(agents.relation),
                a_campaign=SQL.identifier(agents.column1),
                a_agent=SQL.identifier(agents.column2),
                members=SQL.identifier(members.relation),
                m_team=SQL.identifier(members.column1),
                m_agent=SQL.identifier(members.column2),
                campaign=self.id,
                team=self.sudo().team_id.id,
                agent=agent.id,
            )
        )
        return self.env.cr.fetchone()[0]

    def _take_next_contact(self, agent, now=None):
        """Hand the next callable contact to ``agent``, or nothing; with
        ``agent=None``, to the dialer itself (automatic dialing: no agent
        yet, contacts kept for an agent's callback wait for that agent).

        Rows are locked with ``FOR UPDATE SKIP LOCKED``: two agents (two
        transactions) never get the same contact, and none waits for the
        other. A contact is callable when its time has come, it is inside
        one of the campaign's windows in its own time zone, and it has a
        number that is not on the do-not-call list and under the attempt
        limits, all checked now; contacts outside their window are moved to
        the window's next start, and numbers that joined the do-not-call
        list are archived (a contact with none left is excluded). The
        contact is leased for ``lease_minutes``, so a lost session or a
        crashed dialer gives it back (``_cron_release_leases``).

        A contact another transaction took and committed after this one's
        snapshot cannot be locked here (repeatable read: serialization
        failure): the lock is tried in a savepoint, and such contacts are
        left out of the next round instead of failing the whole request.
        Each take costs the transaction one subtransaction.
        """
        self.ensure_one()
        # sudo: the queue is the system's, agents only read it; who may take
        # from it is decided here (_may_take), and the contact is returned in
        # the caller's environment
        Contact = self.env["contact_center.campaign.contact"].sudo()
        if self.sudo().state != "running" or (
            agent is not None and not self._may_take(agent)
        ):
            return self.env["contact_center.campaign.contact"]
        now = now or fields.Datetime.now()
        Block = self.env["contact_center.campaign.block"].sudo()
        cache = self.env.cache

        def prefetch(record, fname, fnames):
            """Read ``record``'s one2many ``fname`` and the lines' ``fnames``
            in one query (the one2many alone reads the lines' ids, then
            their fields in a second query)."""
            field = record._fields[fname]
            if cache.contains(record, field):
                return
            # sudo, active_test: the lines as the one2many itself reads them
            lines = (
                self.env[field.comodel_name]
                .sudo()
                .with_context(active_test=False)
                .search_fetch([(field.inverse_name, "=", record.id)], fnames)
            )
            cache.insert_missing(record, field, [tuple(lines._ids)])

        windows = self._windows()
        default_tz = self._default_contact_tz()
        cr = self.env.cr
        # the queue's columns as this transaction wrote them (no flush_all:
        # the other models are read through the ORM, which flushes them)
        Contact.flush_model(
            ["campaign_id", "state", "priority", "next_attempt_at", "callback_agent_id"]
            + ["tz", "attempts", "last_number_id"]
        )
        # the first number and the do-not-call list are read with the lock
        self.env["contact_center.campaign.number"].flush_model()
        self.env["phone.blacklist"].flush_model(["number", "active"])
        params = {
            "campaign": self.id,
            "now": now,
            "agent": agent.id if agent is not None else None,
            "skip": [],
            "head": TAKE_HEAD,
        }
        where = """
                 WHERE campaign_id = %(campaign)s
                   AND state IN ('pending', 'retry', 'callback')
                   AND (next_attempt_at IS NULL OR next_attempt_at <= %(now)s)
                   AND (callback_agent_id IS NULL
                        OR callback_agent_id = %(agent)s)
                   AND id <> ALL(%(skip)s)
                 ORDER BY priority DESC, next_attempt_at NULLS FIRST, id"""

        def lock(condition=""):
            """Lock the first contact of the queue that meets ``condition``
            and that no one else holds; raises SerializationFailure when it
            was taken and committed since this transaction's snapshot."""
            with cr.savepoint(flush=False):
                # the contact, and what the common case needs to decide in
                # the same round trip: its first active number, whether that
                # number is on the do-not-call list now, and its counts
                cr.execute(
                    """
                    SELECT c.id, c.tz, c.attempts, c.last_number_id, n.id,
                           n.kind, n.has_consent, n.attempts, n.attempts_today,
                           n.last_attempt_at,
                           EXISTS (SELECT 1 FROM phone_blacklist b
                                    WHERE b.active AND b.number = n.phone_e164)
                      FROM (SELECT id, tz, attempts, last_number_id
                              FROM contact_center_campaign_contact"""
                    + where.replace("ORDER BY", condition + " ORDER BY")
                    + """
                             LIMIT 1 FOR UPDATE SKIP LOCKED) c
                      LEFT JOIN LATERAL (
                           SELECT * FROM contact_center_campaign_number n
                            WHERE n.contact_id = c.id AND n.active
                            ORDER BY n.sequence, n.id
                            LIMIT 1) n ON TRUE
                    """,
                    params,
                    log_exceptions=False,
                )
                return cr.fetchone()

        consent_required = self.requires_consent and self.dialer_mode in (
            "progressive",
            "power",
            "predictive",
        )
        today = now.date()

        def plain_number(row):
            """The number to call when the locked contact is the common case
            (a contact not yet moved to a next number, whose first number is
            callable now and inside its window), else None: the general rules
            below then decide, record blocks and archive numbers."""
            (_id, tz, attempts, last_number, number_id, kind, consent) = row[:7]
            number_attempts, today_attempts, last_at, on_dnc = row[7:]
            if not number_id or last_number or on_dnc:
                return None
            # (rows stored set-based leave the counts NULL: 0 for the ORM)
            if (attempts or 0) >= self.max_attempts or (
                (number_attempts or 0) >= self.attempts_per_number
            ):
                return None
            if (
                last_at
                and last_at.date() == today
                and (today_attempts or 0) >= self.attempts_per_number_day
            ):
                return None
            if consent_required and kind == "mobile" and not consent:
                return None
            try:
                if not calling_window.is_callable(now, tz or default_tz, windows):
                    return None
            except ValueError:
                return None  # an unknown zone: the general rules say what
            return number_id

        def lock_past_the_taken():
            """After a serialization failure (PostgreSQL does not say which
            contact failed): lock past the first 1, 4, 16... contacts of the
            head of the queue as this transaction sees it, the ones taken
            since its snapshot being among the first. Nothing found: the
            head is left out of the next rounds."""
            cr.execute(
                "SELECT id FROM contact_center_campaign_contact"
                + where
                + " LIMIT %(head)s",
                params,
            )
            head = [found for (found,) in cr.fetchall()]
            past = 1
            while past < len(head):
                params["past"] = head[past:]
                try:
                    row = lock("AND id = ANY(%(past)s)")
                except psycopg2.errors.SerializationFailure:
                    past *= 4
                    continue
                if row:
                    return row
                break
            params["skip"] += head
            params["head"] *= 4
            return None

        # one row at a time: a batch would lock rows other agents could take
        for _round in range(TAKE_ROUNDS):
            try:
                row = lock()
            except psycopg2.errors.SerializationFailure:
                # expected under load (another agent was faster): not an
                # error, the take goes on with the next contact
                row = lock_past_the_taken()
                if not row:
                    continue
            if not row:
                break
            contact = Contact.browse(row[0])
            number_id = plain_number(row)
            if number_id:
                contact.flush_recordset()
                cr.execute(
                    """
                    UPDATE contact_center_campaign_contact
                       SET state = 'in_progress', agent_id = %s, number_id = %s,
                           lease_until = %s, write_uid = %s,
                           write_date = now() at time zone 'UTC'
                     WHERE id = %s
                    """,
                    (
                        agent.id if agent is not None else None,
                        number_id,
                        now + timedelta(minutes=self.lease_minutes),
                        self.env.uid,
                        contact.id,
                    ),
                )
                contact.invalidate_recordset(
                    ["state", "agent_id", "number_id", "lease_until"]
                    + ["write_uid", "write_date"],
                    flush=False,
                )
                return contact.with_env(self.env)
            prefetch(
                contact,
                "number_ids",
                ["contact_id", "active", "phone_e164", "sequence", "attempts"]
                + ["attempts_today", "last_attempt_at"],
            )
            tz = contact.tz or default_tz
            number = Contact.number_id
            if not calling_window.is_callable(now, tz, windows):
                contact.next_attempt_at = calling_window.next_window_start(
                    now, tz, windows
                ) or now + timedelta(days=1)
                Block.create(
                    {
                        "campaign_id": self.id,
                        "contact_id": contact.id,
                        "reason": "window",
                        "blocked_at": now,
                        "local_time": calling_window.local_time(now, tz).strftime(
                            "%a %H:%M"
                        ),
                    }
                )
            else:
                blocked = contact._blocked_numbers()
                if blocked:
                    Block.create(
                        [
                            {
                                "campaign_id": self.id,
                                "contact_id": contact.id,
                                "number_id": number.id,
                                "reason": "dnc",
                                "blocked_at": now,
                            }
                            for number in contact.number_ids
                            if number.active and number.phone_e164 in blocked
                        ]
                    )
                number = contact._number_to_dial(now, blocked)
            if number:
                contact.write(
                    {
                        "state": "in_progress",
                        "agent_id": agent.id if agent is not None else False,
                        "number_id": number.id,
                        "lease_until": now + timedelta(minutes=self.lease_minutes),
                    }
                )
                return contact.with_env(self.env)
            # set aside (later, excluded or failed): the next round reads on
            contact.flush_recordset()
        return Contact.with_env(self.env)

    # ------------------------------------------------------------------
    # Contact lists
    # ------------------------------------------------------------------
    def action_import_contacts(self):
        self.ensure_one()
        return self.env["contact_center.campaign.import"].action_open(self.id)

    def action_add_from_filter(self):
        """Add the customers or leads of the chosen saved filter."""
        self.ensure_one()
        if not self.list_filter_id:
            raise UserError(
                self.env._("Choose a saved filter of customers or leads first.")
            )
        saved = self.list_filter_id
        records = self.env[saved.model_id].search(saved._get_eval_domain())
        report = self._add_records(records)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Contacts added"),
                "message": self.env._(
                    "%(imported)s added, %(merged)s already in the list, "
                    "%(invalid)s without a valid number, %(excluded)s numbers "
                    "on the do-not-call list.",
                    **report,
                ),
                "type": "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _add_records(self, records):
        """Add customers (``res.partner``) or leads (``crm.lead``) to the
        campaign, by the same rules as a file: numbers in E.164 in the
        record's country, duplicates merged, do-not-call numbers left out.
        Returns the same report as :meth:`_import_contacts`."""
        self.ensure_one()
        is_lead = records._name == "crm.lead"
        rows = []
        for line, record in enumerate(records, start=1):
            partner = record.partner_id if is_lead else record
            rows.append(
                (
                    line,
                    [
                        (
                            (record.contact_name or record.partner_name or record.name)
                            if is_lead
                            else record.name
                        )
                        or "",
                        record.phone or "",
                        record.mobile or "",
                        (record.email_from if is_lead else record.email) or "",
                        (record.country_id or partner.country_id).code or "",
                        (record.lang_id.code if is_lead else record.lang) or "",
                        partner.tz or "",
                    ],
                )
            )
        column_map = {
            "name": 0,
            "phone": 1,
            "mobile": 2,
            "email": 3,
            "country": 4,
            "lang": 5,
            "tz": 6,
        }
        result = contact_import.prepare(
            rows,
            column_map,
            self.company_id.country_id.code or None,
            blocked=self._blocked_now(),
            width=7,
        )
        for contact in result["contacts"]:
            record = records[contact["line"] - 1]
            contact["partner_id"] = (record.partner_id if is_lead else record).id
            contact["lead_id"] = record.id if is_lead else False
        return self._store_prepared(result)

    def _blocked_now(self):
        """E.164 numbers on Odoo's do-not-call list (``phone.blacklist``)."""
        self.env["phone.blacklist"].flush_model(["number", "active"])
        self.env.cr.execute("SELECT number FROM phone_blacklist WHERE active")
        return frozenset(row[0] for row in self.env.cr.fetchall())

    def _existing_numbers(self):
        """{E.164: contact id} of the numbers already in the campaign."""
        self.ensure_one()
        self.env["contact_center.campaign.number"].flush_model()
        self.env.cr.execute(
            """
            SELECT n.phone_e164, n.contact_id
              FROM contact_center_campaign_number n
              JOIN contact_center_campaign_contact c ON c.id = n.contact_id
             WHERE c.campaign_id = %s
            """,
            (self.id,),
        )
        return dict(self.env.cr.fetchall())

    def _import_contacts(self, data, filename, mapping=None, default_region=None):
        """Import a CSV or XLSX contact list into this campaign.

        Columns are recognised by their header; ``mapping`` ({column index
        or header: field, or False to ignore the column}) overrides them;
        numbers are normalised to E.164 in the row's country, else
        ``default_region``, else the company's country; numbers
        on the do-not-call list are excluded; a number already in the
        campaign, or on an earlier row, merges the row into that contact.
        A file with broken rows imports the good ones. Returns the report:
        ``imported``, ``merged``, ``invalid``, ``excluded`` (counts) and
        ``errors`` (``{"line", "reason"}`` per row or number set aside).
        """
        self.ensure_one()
        region = default_region or self.company_id.country_id.code or None
        try:
            result = contact_import.import_file(
                data, filename, region, mapping=mapping, blocked=self._blocked_now()
            )
        except ValueError as error:
            raise UserError(
                self.env._(
                    "%(file)s cannot be imported: %(error)s", file=filename, error=error
                )
            ) from error
        return self._store_prepared(result)

    def _store_prepared(self, result):
        """Store what ``contact_import.prepare`` decided: a contact whose
        number is already in the campaign is merged into that contact (its
        new numbers added), the others are inserted. Returns the report,
        counted as the user reads it."""
        self.ensure_one()
        report = result["report"]
        existing = self._existing_numbers()
        to_create, additions = [], defaultdict(list)
        for contact in result["contacts"]:
            owner = next(
                (
                    existing[n["e164"]]
                    for n in contact["numbers"]
                    if n["e164"] in existing
                ),
                None,
            )
            if owner:
                report["imported"] -= 1
                report["merged"] += 1
                for number in contact["numbers"]:
                    if number["e164"] not in existing:
                        existing[number["e164"]] = owner
                        additions[owner].append(number)
                continue
            to_create.append(contact)
        self._insert_contacts(to_create)
        if additions:
            self._insert_numbers(
                [
                    (owner, number, 100 + index)
                    for owner, numbers in additions.items()
                    for index, number in enumerate(numbers)
                ]
            )
        self.env["contact_center.campaign.contact"].invalidate_model()
        self.env["contact_center.campaign.number"].invalidate_model()
        self.invalidate_recordset()
        return report

    def _insert_contacts(self, contacts, batch_size=10_000):
        """Store prepared contacts (``contact_import.prepare``'s dicts, with
        ``partner_id`` and ``lead_id`` when they come from records) and
        their numbers in this campaign, set-based: one INSERT per batch of
        contacts and one for their numbers, with the values the ORM's
        ``create`` would store (pending, priority 0, the campaign's company,
        the time zone of the row, else of the numbers' area). Access rights
        and record rules are checked on every batch as ``create`` would."""
        self.ensure_one()
        Contact = self.env["contact_center.campaign.contact"]
        Contact.check_access("create")
        # the rows below go straight to the tables: what the ORM holds first
        self.flush_recordset()
        Contact.flush_model()
        cr = self.env.cr
        company = self.company_id.id or None
        zone_of = self._number_tz_finder()
        for start in range(0, len(contacts), batch_size):
            batch = contacts[start : start + batch_size]
            cr.execute(
                "SELECT nextval('contact_center_campaign_contact_id_seq')"
                "  FROM generate_series(1, %s)",
                (len(batch),),
            )
            ids = [row[0] for row in cr.fetchall()]
            cr.execute(
                """
                INSERT INTO contact_center_campaign_contact
                       (id, campaign_id, company_id, name, email, lang, tz,
                        partner_id, lead_id, state, priority, create_uid,
                        create_date, write_uid, write_date)
                SELECT c.id, %(campaign)s, %(company)s, c.name, c.email, c.lang,
                       c.tz, c.partner_id, c.lead_id, 'pending', 0, %(uid)s,
                       %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(ids)s::int[], %(names)s::varchar[],
                              %(emails)s::varchar[], %(langs)s::varchar[],
                              %(tzs)s::varchar[], %(partners)s::int[],
                              %(leads)s::int[])
                       AS c(id, name, email, lang, tz, partner_id, lead_id)
                """,
                {
                    "campaign": self.id,
                    "company": company,
                    "uid": self.env.uid,
                    "now": cr.now(),
                    "ids": ids,
                    "names": [c["name"] or c["numbers"][0]["e164"] for c in batch],
                    "emails": [c["email"] or None for c in batch],
                    "langs": [c["lang"] or None for c in batch],
                    "tzs": [c["tz"] or zone_of(c["numbers"]) or None for c in batch],
                    "partners": [c.get("partner_id") or None for c in batch],
                    "leads": [c.get("lead_id") or None for c in batch],
                },
            )
            Contact.browse(ids).check_access("create")
            self._insert_numbers(
                [
                    (contact_id, number, index)
                    for contact_id, contact in zip(ids, batch, strict=True)
                    for index, number in enumerate(contact["numbers"])
                ],
                batch_size=batch_size * 4,
            )

    def _insert_numbers(self, numbers, batch_size=10_000):
        """Store a list of ``(contact id, number dict, sequence)`` as active
        campaign numbers, set-based, with the values ``create`` would store
        (the kind from the column, else "phone"; consent as the row gave it)."""
        Number = self.env["contact_center.campaign.number"]
        Number.check_access("create")
        cr = self.env.cr
        for start in range(0, len(numbers), batch_size):
            batch = numbers[start : start + batch_size]
            cr.execute(
                """
                INSERT INTO contact_center_campaign_number
                       (contact_id, sequence, kind, phone, phone_e164, active,
                        has_consent, create_uid, create_date, write_uid,
                        write_date)
                SELECT n.contact_id, n.sequence, n.kind, n.phone, n.phone_e164,
                       TRUE, n.has_consent, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(contacts)s::int[], %(sequences)s::int[],
                              %(kinds)s::varchar[], %(phones)s::varchar[],
                              %(e164s)s::varchar[], %(consents)s::bool[])
                       AS n(contact_id, sequence, kind, phone, phone_e164,
                            has_consent)
                RETURNING id
                """,
                {
                    "uid": self.env.uid,
                    "now": cr.now(),
                    "contacts": [owner for owner, _number, _seq in batch],
                    "sequences": [seq for _owner, _number, seq in batch],
                    "kinds": [
                        _number_values(number, seq)["kind"]
                        for _owner, number, seq in batch
                    ],
                    "phones": [number["raw"] for _owner, number, _seq in batch],
                    "e164s": [number["e164"] for _owner, number, _seq in batch],
                    "consents": [
                        bool(number.get("consent")) for _owner, number, _seq in batch
                    ],
                },
            )
            Number.browse([row[0] for row in cr.fetchall()]).check_access("create")

    @staticmethod
    def _number_tz_finder():
        """A function that decides a contact's time zone from its numbers
        as ``_number_tz`` does (the first number whose area has one zone),
        without parsing: a country with a single zone answers from a cache
        per country code; only numbers of countries with several zones
        (US, Canada, Russia, Australia, Spain...) are looked up, from their
        digits, by phonenumbers."""
        data = phone_timezone.TIMEZONE_DATA
        codes = {}  # region -> country calling code (as digits)
        single = {}  # country code -> its one zone, or None (several)

        def zone(number):
            region = number.get("region")
            code = codes.get(region)
            if code is None:
                code = codes[region] = str(
                    phonenumbers.country_code_for_region(region or "ZZ")
                )
            e164 = number["e164"]
            if code == "0" or not e164.startswith("+" + code):
                return _number_tz([number])
            if code not in single:
                zones = data.get(code) or ()
                single[code] = zones[0] if len(zones) == 1 else None
            if single[code]:
                found = [single[code]]
            else:
                national = e164[1 + len(code) :]
                zeros = len(national) - len(national.lstrip("0"))
                found = phone_timezone.time_zones_for_number(
                    phonenumbers.PhoneNumber(
                        country_code=int(code),
                        national_number=int(national),
                        italian_leading_zero=bool(zeros) or None,
                        number_of_leading_zeros=zeros if zeros > 1 else None,
                    )
                )
            if len(found) == 1 and found[0] != "Etc/Unknown":
                return found[0]
            return False

        def first(numbers):
            for number in numbers:
                found = zone(number)
                if found:
                    return found
            return False

        return first

    # ------------------------------------------------------------------
    # Automatic dialing (power, predictive; progressive through the panel)
    # ------------------------------------------------------------------
    def _dialer_provider(self):
        """The PBX that places this campaign's calls."""
        self.ensure_one()
        # sudo: agents start calls through the company's PBX without reading
        # its settings
        Provider = self.env["contact_center.telephony.provider"].sudo()
        return self.sudo().provider_id or Provider._dial_provider(self.company_id)

    def _dialer_agents(self):
        """{campaign id: {"logged_in", "ready", "busy"}} (agent recordsets).

        Logged in: agents who joined the campaign in their dialer panel and
        are not offline. Ready: available, holding no contact and on no call,
        and, when blended, their teams' inbound queues are short enough.
        Busy: logged in and on a call or in wrap-up. Three queries for all
        the campaigns.
        """
        # sudo: who is logged in is the dialer's business, whoever triggers it
        Agent = self.env["contact_center.agent"].sudo()
        agents = Agent.search(
            [("dialer_campaign_id", "in", self.ids), ("presence", "!=", "offline")]
        )
        engaged = set()
        if agents:
            self.env.flush_all()
            self.env.cr.execute(
                """
                SELECT agent_id FROM contact_center_campaign_contact
                 WHERE agent_id = ANY(%(agents)s) AND state = 'in_progress'
                 UNION
                SELECT agent_id FROM contact_center_interaction
                 WHERE agent_id = ANY(%(agents)s)
                   AND state IN ('ringing', 'in_progress', 'wrap_up')
                """,
                {"agents": agents.ids},
            )
            engaged = {row[0] for row in self.env.cr.fetchall()}
        held_back = agents.filtered("is_blended")._dialer_blend_held_back()
        result = {}
        for campaign in self:
            mine = agents.filtered(lambda a, c=campaign: a.dialer_campaign_id == c)
            result[campaign.id] = {
                "logged_in": mine,
                "ready": mine.filtered(
                    lambda a: (
                        a.presence == "available"
                        and a.id not in engaged
                        and a.id not in held_back
                    )
                ),
                "busy": mine.filtered(
                    lambda a: a.presence in ("busy", "wrap_up") or a.id in engaged
                ),
            }
        return result

    def _dialer_call_stats(self, now):
        """{campaign id: figures of its dialer calls}: calls ringing now
        (``in_flight``), answered calls waiting for an agent (``waiting``),
        and over the last ``PACING_LOOKBACK_MINUTES``: the share answered by
        a person (``answer_rate``), the handle time of connected calls
        (``handle_seconds``) and the ring time before an answer
        (``ring_seconds``). One query."""
        stats = {
            campaign.id: {
                "in_flight": 0,
                "waiting": 0,
                "answer_rate": None,
                "handle_seconds": None,
                "ring_seconds": None,
            }
            for campaign in self
        }
        if not self:
            return stats
        self.env["contact_center.interaction"].flush_model()
        self.env.cr.execute(
            """
            SELECT campaign_id,
                   count(*) FILTER (WHERE ended_at IS NULL AND answered_at IS NULL),
                   count(*) FILTER (WHERE ended_at IS NULL AND answered_at IS NOT NULL
                                      AND dialer_answered_by = 'human'
                                      AND dialer_connected_at IS NULL
                                      AND NOT coalesce(is_dialer_abandoned, FALSE)),
                   count(*) FILTER (WHERE ended_at >= %(since)s),
                   count(*) FILTER (WHERE ended_at >= %(since)s
                                      AND dialer_answered_by = 'human'),
                   avg(extract(epoch FROM coalesce(wrap_up_ended_at, ended_at)
                                          - dialer_connected_at))
                       FILTER (WHERE ended_at >= %(since)s
                                 AND dialer_connected_at IS NOT NULL),
                   avg(extract(epoch FROM answered_at - queued_at))
                       FILTER (WHERE ended_at >= %(since)s
                                 AND answered_at IS NOT NULL)
              FROM contact_center_interaction
             WHERE campaign_id = ANY(%(ids)s) AND is_dialer_call
               AND (ended_at IS NULL OR ended_at >= %(since)s)
             GROUP BY campaign_id
            """,
            {
                "ids": self.ids,
                "since": now - timedelta(minutes=PACING_LOOKBACK_MINUTES),
            },
        )
        for row in self.env.cr.fetchall():
            campaign_id, flying, waiting, finished, human, handle, ring = row
            stats[campaign_id].update(
                in_flight=flying,
                waiting=waiting,
                answer_rate=human / finished if finished else None,
                handle_seconds=float(handle) if handle else None,
                ring_seconds=float(ring) if ring else None,
            )
        return stats

    def _dialer_lock(self):
        """Take this campaign's dialing turn for the transaction, or say it
        is another's: two ticks never pace the same campaign at once."""
        self.env.cr.execute(
            "SELECT pg_try_advisory_xact_lock(%s, %s)", (DIALER_LOCK, self.id)
        )
        return self.env.cr.fetchone()[0]

    def _dialer_tick(self, now=None):
        """Place the calls the pacing asks for, in the running power and
        predictive campaigns of ``self``; returns how many were placed.

        Called whenever something changes the picture: an agent joins or
        becomes available, a call is answered or ends, and every minute by
        a cron. With no agent logged in nothing is dialed.
        """
        now = now or fields.Datetime.now()
        placed = 0
        campaigns = self.sudo().filtered(
            lambda c: c.state == "running" and c.dialer_mode in AUTO_MODES
        )
        if not campaigns:
            return 0
        agents_of = campaigns._dialer_agents()
        for campaign in campaigns:
            agents = agents_of[campaign.id]
            if not agents["logged_in"]:
                continue
            if not campaign._dialer_provider() or not campaign._dialer_lock():
                continue
            stats = campaign._dialer_call_stats(now)[campaign.id]
            abandoned, live = campaign._abandon_stats(now)[campaign.id]
            wanted = pacing.calls_to_start(
                campaign.dialer_mode,
                logged_in=len(agents["logged_in"]),
                ready=len(agents["ready"]),
                calls_in_flight=stats["in_flight"],
                busy=len(agents["busy"]),
                calls_waiting=stats["waiting"],
                ratio=campaign.power_ratio,
                answer_rate=stats["answer_rate"],
                handle_seconds=stats["handle_seconds"],
                horizon_seconds=stats["ring_seconds"] or DEFAULT_RING_SECONDS,
                ceiling=campaign.abandon_ceiling_percent / 100.0,
                abandon_rate=abandoned / live if live else 0.0,
            )
            # each take locks its row in a savepoint: a transaction past ~64
            # of them overflows PostgreSQL's subtransaction cache; the next
            # turn (an event, a panel, the cron) places the rest
            for _call in range(min(wanted, MAX_CALLS_PER_TURN)):
                contact = campaign._take_next_contact(None, now=now)
                if not contact:
                    break
                contact.sudo()._dialer_place(now)
                placed += 1
        return placed

    @api.model
    def _cron_dialer_tick(self):
        """Every minute: pace the running automatic campaigns (the events
        and the agents' panels pace them in between)."""
        self.search(
            [("state", "=", "running"), ("dialer_mode", "in", list(AUTO_MODES))]
        )._dialer_tick()

    def _dialer_hang_up(self, reason):
        """Hang up the campaigns' calls that no agent is on yet: ringing
        calls end and their contacts go back to the queue with no attempt
        counted; a person already waiting hears the identification message
        (an abandoned call). Each is recorded as a block."""
        # sudo: the dialer's own calls, ended by the system
        Interaction = self.env["contact_center.interaction"].sudo()
        calls = Interaction.search(
            [
                ("campaign_id", "in", self.ids),
                ("is_dialer_call", "=", True),
                ("ended_at", "=", False),
                ("dialer_connected_at", "=", False),
            ]
        )
        now = fields.Datetime.now()
        blocks = []
        for call in calls:
            contact = call.campaign_contact_id
            if contact.interaction_id != call or contact.agent_id:
                continue  # already decided, or an agent is being connected
            if call.answered_at and call.dialer_answered_by == "human":
                contact._dialer_abandon(call)
                continue
            pbx_call(call.campaign_id._dialer_provider(), "_hangup", call)
            call.write({"dialer_hang_up_reason": reason})
            blocks.append(
                {
                    "campaign_id": call.campaign_id.id,
                    "contact_id": contact.id,
                    "number_id": call.campaign_number_id.id,
                    "reason": "no_agent",
                    "blocked_at": now,
                }
            )
            contact.write(
                {
                    "state": "pending",
                    "agent_id": False,
                    "number_id": False,
                    "lease_until": False,
                    "interaction_id": False,
                }
            )
        if blocks and reason == "no_agent":
            self.env["contact_center.campaign.block"].sudo().create(blocks)
        return len(calls)

    def _dialer_stop_if_unstaffed(self):
        """The hard stop: a campaign left with no agent logged in stops all
        automatic dialing at once, calls in flight included."""
        agents_of = self._dialer_agents()
        unstaffed = self.filtered(lambda c: not agents_of[c.id]["logged_in"])
        if unstaffed:
            unstaffed._dialer_hang_up("no_agent")
        return unstaffed

    @api.model
    def _cron_release_leases(self, batch_size=500):
        """Give back contacts held by sessions that died: their lease ran
        out while they were still in progress. Safe on two workers: rows
        another worker holds are skipped, not waited for."""
        now = fields.Datetime.now()
        self.env["contact_center.campaign.contact"].flush_model()
        while True:
            self.env.cr.execute(
                """
                SELECT id FROM contact_center_campaign_contact
                 WHERE state = 'in_progress' AND lease_until < %s
                 LIMIT %s FOR UPDATE SKIP LOCKED
                """,
                (now, batch_size),
            )
            ids = [row[0] for row in self.env.cr.fetchall()]
            if not ids:
                return
            self.env["contact_center.campaign.contact"].browse(ids).write(
                {
                    "state": "pending",
                    "agent_id": False,
                    "number_id": False,
                    "lease_until": False,
                }
            )
            if len(ids) < batch_size:
                return


def pbx_call(provider, method, *args):
    """Ask the PBX (``provider.<method>(*args)``); a PBX that fails is logged,
    not raised: the dialer goes on and the call's events tell the rest.
    Returns the error text, or None."""
    if not provider:
        return "no provider"
    try:
        getattr(provider, method)(*args)
    except ConnectorError as error:
        _logger.warning("Dialer: %s failed on %s: %s", method, provider.code, error)
        return str(error)
    return None


def _number_values(number, sequence):
    kind = number["kind"] if number["kind"] in ("mobile", "work", "home") else "phone"
    return {
        "kind": kind,
        "phone": number["raw"],
        "phone_e164": number["e164"],
        "sequence": sequence,
    }


def _number_tz(numbers):
    """The time zone of the first number whose area has only one, else
    False (the campaign's default then applies)."""
    for number in numbers:
        try:
            zones = phone_timezone.time_zones_for_number(
                phonenumbers.parse(number["e164"])
            )
        except phonenumbers.NumberParseException:
            continue
        if len(zones) == 1 and zones[0] != "Etc/Unknown":
            return zones[0]
    return False
