from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import interaction_state as sm
from ..tools.phone import to_e164
from ..tools.url import is_http_url
from .contact_center_click_to_dial_mixin import SOFTPHONE_PROVIDER
from .contact_center_team import CHANNELS

STATES = [
    (sm.QUEUED, "Queued"),
    (sm.RINGING, "Ringing"),
    (sm.IN_PROGRESS, "In Progress"),
    (sm.WRAP_UP, "Wrap-up"),
    (sm.DONE, "Done"),
    (sm.ABANDONED, "Abandoned"),
    (sm.MISSED, "Missed"),
    (sm.FAILED, "Failed"),
]
DIRECTIONS = [("inbound", "Inbound"), ("outbound", "Outbound")]
TIMESTAMP_FIELDS = ("queued_at", "answered_at", "ended_at", "wrap_up_ended_at")
# what decides whether a resolved contact was followed up (first-contact
# resolution): a write to one of them re-flags the customer's contacts
REPEAT_FIELDS = frozenset(
    {
        "partner_id",
        "reason_id",
        "queued_at",
        "is_resolved",
        "direction",
        "is_transfer_leg",
        "team_id",
    }
)


class ContactCenterInteraction(models.Model):
    """One contact between the company and a customer: the suite's fact table.

    Every producer (email tickets, the telephony API, the dialer, chat and
    SMS bridges) writes interactions; the timeline, the 360° view, the KPI
    reports and the surveys read them.
    """

    _name = "contact_center.interaction"
    _description = "Contact Center Interaction"
    _inherit = ["contact_center.screen.pop.mixin"]
    _order = "queued_at desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Summary", help="One line telling what the contact was about."
    )
    channel = fields.Selection(CHANNELS, required=True, default="phone")
    direction = fields.Selection(DIRECTIONS, required=True, default="inbound")
    state = fields.Selection(STATES, required=True, default=sm.QUEUED, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    # Customer
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True, check_company=True
    )
    phone = fields.Char(help="Number as the provider sent it.")
    phone_e164 = fields.Char(
        string="Phone (E.164)",
        compute="_compute_phone_e164",
        store=True,
        index="btree_not_null",
    )
    email = fields.Char()
    # Who handled it
    team_id = fields.Many2one("contact_center.team", index=True, check_company=True)
    agent_id = fields.Many2one("contact_center.agent", index=True, check_company=True)
    user_id = fields.Many2one(
        related="agent_id.user_id", string="Agent User", store=True, index=True
    )
    # Timestamps (UTC) and the durations derived from them
    queued_at = fields.Datetime(
        string="Started", required=True, default=fields.Datetime.now
    )
    answered_at = fields.Datetime()
    ended_at = fields.Datetime()
    wrap_up_ended_at = fields.Datetime(string="Wrap-up Ended")
    # durations in seconds; supervisors read averages of them (reports,
    # pivots, grouped lists), the views show them as m:ss or h:mm:ss
    hold_seconds = fields.Integer(
        string="Hold Time",
        aggregator="avg",
        help="Total time the customer spent on hold, in seconds.",
    )
    wait_seconds = fields.Integer(
        string="Wait Time",
        compute="_compute_durations",
        store=True,
        aggregator="avg",
        help="From queued to answered (to the end for a contact never answered), "
        "in seconds.",
    )
    talk_seconds = fields.Integer(
        string="Talk Time",
        compute="_compute_durations",
        store=True,
        aggregator="avg",
        help="From answered to ended, less the hold time, in seconds.",
    )
    after_call_work_seconds = fields.Integer(
        string="After-contact Work",
        compute="_compute_durations",
        store=True,
        aggregator="avg",
        help="From ended to wrap-up ended, in seconds.",
    )
    handle_seconds = fields.Integer(
        string="Handle Time",
        compute="_compute_durations",
        store=True,
        aggregator="avg",
        help="Talk, hold and after-contact work, in seconds.",
    )
    # Outcome
    disposition_id = fields.Many2one(
        "contact_center.disposition", index=True, check_company=True
    )
    reason_id = fields.Many2one(
        "contact_center.contact.reason",
        string="Contact Reason",
        index=True,
        check_company=True,
    )
    is_resolved = fields.Boolean(string="Resolved")
    is_transferred = fields.Boolean(
        string="Transferred",
        help="The agent handed this contact on to someone else; the next leg "
        "is an interaction of its own.",
    )
    has_repeat_contact = fields.Boolean(
        string="Contacted Again",
        readonly=True,
        copy=False,
        help="Resolved, but the same customer contacted the company again on "
        "the same contact reason within the team's first-contact window: not "
        "a first-contact resolution.",
    )
    is_transfer_leg = fields.Boolean(
        string="Transfer Leg",
        help="A later leg of a transferred call: counted for the agent who "
        "handled it, but not offered to the team a second time.",
    )
    note = fields.Text(string="Notes")
    # The record this contact belongs to (ticket, lead, campaign contact...)
    # indexed together in init()
    res_model = fields.Char(string="Related Model")
    res_id = fields.Many2oneReference(string="Related Record", model_field="res_model")
    # Provider (PBX, chat or SMS gateway) and its id of the contact
    provider = fields.Char(
        help="Code of the system that reported this contact (PBX, gateway)."
    )
    external_id = fields.Char(
        string="External ID", help="The provider's identifier of this contact."
    )
    recording_url = fields.Char(help="An http:// or https:// link to the recording.")
    # written channels: which network a "social" contact came through
    social_network = fields.Char(
        help="The messaging network of a social contact as its provider names "
        "it (whatsapp, facebook, ...)."
    )
    callback_requested = fields.Boolean(
        help="The customer asked to be called back (an offline chat message "
        "with a phone number): the dialer puts it on the team's callback list.",
    )

    _sql_constraints = [
        (
            "provider_external_id_uniq",
            "unique(provider, external_id)",
            "This provider already reported a contact with this external id.",
        ),
        (
            "hold_seconds_positive",
            "CHECK(hold_seconds >= 0)",
            "Hold time cannot be negative.",
        ),
    ]

    def init(self):
        # The timeline pages a customer's interactions newest first.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS contact_center_interaction_partner_timeline_idx
                ON contact_center_interaction (partner_id, queued_at DESC, id DESC)
                WHERE partner_id IS NOT NULL;
            CREATE INDEX IF NOT EXISTS contact_center_interaction_res_idx
                ON contact_center_interaction (res_model, res_id)
                WHERE res_model IS NOT NULL;
            CREATE INDEX IF NOT EXISTS contact_center_interaction_live_agent_idx
                ON contact_center_interaction (agent_id, channel)
                WHERE state IN ('ringing', 'in_progress');
            CREATE INDEX IF NOT EXISTS contact_center_interaction_ended_idx
                ON contact_center_interaction (ended_at, team_id)
                WHERE ended_at IS NOT NULL;
            CREATE INDEX IF NOT EXISTS contact_center_interaction_wrap_up_idx
                ON contact_center_interaction (ended_at)
                WHERE state = 'wrap_up';
            """
        )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    # the company's own address (its partner): company.country_id is computed
    # from it through an address look-up, costly for every new call
    @api.depends("phone", "partner_id.country_id", "company_id.partner_id.country_id")
    def _compute_phone_e164(self):
        for interaction in self:
            country = (
                interaction.partner_id.country_id
                or interaction.company_id.partner_id.country_id
            )
            interaction.phone_e164 = to_e164(interaction.phone, country.code) or False

    @api.depends(*TIMESTAMP_FIELDS, "hold_seconds")
    def _compute_durations(self):
        for interaction in self:
            interaction.update(
                sm.durations(
                    interaction.queued_at,
                    interaction.answered_at,
                    interaction.ended_at,
                    interaction.wrap_up_ended_at,
                    interaction.hold_seconds,
                )
            )

    @api.depends("name", "channel", "partner_id")
    def _compute_display_name(self):
        channels = dict(self._fields["channel"]._description_selection(self.env))
        for interaction in self:
            parts = [channels.get(interaction.channel) or ""]
            if interaction.partner_id:
                parts.append(interaction.partner_id.name or "")
            elif interaction.phone or interaction.email:
                parts.append(interaction.phone or interaction.email)
            if interaction.name:
                parts.append(interaction.name)
            interaction.display_name = " · ".join(p for p in parts if p)

    # ------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------
    def _prevalidate(self, vals):
        """Reject values the database would refuse, with a clear message.

        The ORM would raise a bare ValueError for an unknown selection value
        and PostgreSQL an IntegrityError for a negative hold; integrations
        (PBX, bridges) send free text, so they get a ValidationError that
        says what to fix.
        """
        if (vals.get("hold_seconds") or 0) < 0:
            raise ValidationError(self.env._("Hold time cannot be negative."))
        for fname in ("channel", "direction", "state"):
            if fname in vals and vals[fname]:
                allowed = [code for code, _label in self._fields[fname].selection]
                if vals[fname] not in allowed:
                    raise ValidationError(
                        self.env._(
                            "Unknown %(field)s %(value)r: use one of %(allowed)s.",
                            field=self._fields[fname].string.lower(),
                            value=vals[fname],
                            allowed=", ".join(allowed),
                        )
                    )

    @api.constrains("recording_url")
    def _check_recording_url(self):
        for interaction in self:
            url = interaction.recording_url
            if url and not is_http_url(url):
                raise ValidationError(
                    self.env._(
                        "The recording link of %(interaction)s must be an http:// "
                        "or https:// address, not %(url)r.",
                        interaction=interaction.display_name,
                        url=url[:100],
                    )
                )

    @api.constrains(*TIMESTAMP_FIELDS)
    def _check_timestamps(self):
        for interaction in self:
            chain = [
                (fname, interaction[fname])
                for fname in TIMESTAMP_FIELDS
                if interaction[fname]
            ]
            for (prev_name, prev), (next_name, nxt) in zip(
                chain, chain[1:], strict=False
            ):
                if nxt < prev:
                    raise ValidationError(
                        self.env._(
                            "%(later)s (%(later_at)s) cannot be before %(earlier)s "
                            "(%(earlier_at)s) on %(interaction)s.",
                            later=self._fields[next_name].string,
                            later_at=nxt,
                            earlier=self._fields[prev_name].string,
                            earlier_at=prev,
                            interaction=interaction.display_name,
                        )
                    )

    @api.constrains("hold_seconds", "answered_at", "ended_at")
    def _check_hold_seconds(self):
        for interaction in self:
            if interaction.hold_seconds < 0:
                raise ValidationError(self.env._("Hold time cannot be negative."))
            if (
                interaction.hold_seconds
                and interaction.answered_at
                and interaction.ended_at
            ):
                handled = (
                    interaction.ended_at - interaction.answered_at
                ).total_seconds()
                if interaction.hold_seconds > handled:
                    raise ValidationError(
                        self.env._(
                            "Hold time (%(hold)s s) cannot exceed the time the "
                            "contact was handled (%(handled)s s).",
                            hold=interaction.hold_seconds,
                            handled=int(handled),
                        )
                    )

    @api.constrains("state", "answered_at", "ended_at")
    def _check_state_timestamps(self):
        for interaction in self:
            if (
                interaction.state in (sm.IN_PROGRESS, sm.WRAP_UP)
                and not interaction.answered_at
            ):
                raise ValidationError(
                    self.env._(
                        "An interaction in progress needs the time it was answered."
                    )
                )
            if interaction.state == sm.WRAP_UP and not interaction.ended_at:
                raise ValidationError(
                    self.env._("An interaction in wrap-up needs the time it ended.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._prevalidate(vals)
        interactions = super().create(vals_list)
        interactions._cc_flag_repeat_contacts()
        self.env["contact_center.wallboard"]._cc_notify(interactions.team_id)
        return interactions

    def write(self, vals):
        self._prevalidate(vals)
        # the telephony API folds a call's whole event history into its
        # interaction: a late event may rightly turn "abandoned" into "done"
        if "state" in vals and not self.env.context.get("cc_fold_events"):
            new_state = vals["state"]
            for interaction in self:
                if not sm.is_allowed(interaction.state, new_state):
                    states = dict(
                        self._fields["state"]._description_selection(self.env)
                    )
                    allowed = ", ".join(
                        states[s]
                        for s in sm.STATES
                        if s in sm.allowed_targets(interaction.state)
                    )
                    raise ValidationError(
                        self.env._(
                            "%(interaction)s cannot go from %(old)s to %(new)s. "
                            "Allowed next states: %(allowed)s.",
                            interaction=interaction.display_name,
                            old=states[interaction.state],
                            new=states[new_state],
                            allowed=allowed or self.env._("none (it is closed)"),
                        )
                    )
        repeat_fields = REPEAT_FIELDS.intersection(vals)
        before = self.partner_id if repeat_fields else None
        result = super().write(vals)
        if repeat_fields:
            self._cc_flag_repeat_contacts(before)
        if "state" in vals:
            self.env["contact_center.wallboard"]._cc_notify(self.team_id)
        return result

    def _cc_flag_repeat_contacts(self, partners=None):
        """Flag the resolved contacts of these interactions' customers (and
        of ``partners``) that the same customer followed up on.

        A resolved contact is followed up when the same customer contacts
        the company again, inbound, on the same contact reason within the
        window of the contact's team (``fcr_window_days``): first-contact
        resolution counts the others. One set-based update per call, over
        the customers' contacts of the last window only.
        """
        partner_ids = set(self.partner_id.ids) | set(partners.ids if partners else ())
        if not partner_ids:
            return
        since = min(self.mapped("queued_at")) if self else fields.Datetime.now()
        self._cc_flag_repeat_contacts_since(sorted(partner_ids), since)

    @api.model
    def _cc_flag_repeat_contacts_since(self, partner_ids, since):
        """(Re)flag the resolved contacts of ``partner_ids`` (None: every
        customer) that a contact from ``since`` on may follow up."""
        self.flush_model()
        self.env["contact_center.team"].flush_model(["fcr_window_days"])
        self.env.cr.execute(
            """
            WITH window_days AS (
                SELECT COALESCE(MAX(fcr_window_days), 7) AS days
                  FROM contact_center_team
            ), flags AS (
                SELECT i.id,
                       EXISTS (
                           SELECT 1
                             FROM contact_center_interaction r
                            WHERE r.partner_id = i.partner_id
                              AND r.queued_at > i.queued_at
                              AND r.queued_at <= i.queued_at + make_interval(
                                  days => COALESCE(t.fcr_window_days, 7))
                              AND r.direction = 'inbound'
                              AND NOT COALESCE(r.is_transfer_leg, FALSE)
                              AND r.reason_id IS NOT DISTINCT FROM i.reason_id
                              AND r.id != i.id
                       ) AS repeated
                  FROM contact_center_interaction i
                  LEFT JOIN contact_center_team t ON t.id = i.team_id
                 WHERE (%(all)s OR i.partner_id = ANY(%(partners)s))
                   AND i.partner_id IS NOT NULL
                   AND i.is_resolved
                   AND i.queued_at >= %(since)s::timestamp
                       - make_interval(days => (SELECT days FROM window_days))
            )
            UPDATE contact_center_interaction i
               SET has_repeat_contact = flags.repeated
              FROM flags
             WHERE i.id = flags.id
               AND i.has_repeat_contact IS DISTINCT FROM flags.repeated
            RETURNING i.id
            """,
            {
                "all": partner_ids is None,
                "partners": partner_ids or [],
                "since": since,
            },
        )
        changed = [row[0] for row in self.env.cr.fetchall()]
        if changed:
            self.browse(changed).invalidate_recordset(["has_repeat_contact"])

    # ------------------------------------------------------------------
    # State actions: each sets the matching timestamp
    # ------------------------------------------------------------------
    def _transition(self, state, **timestamps):
        now = fields.Datetime.now()
        vals = {"state": state}
        for fname in timestamps:
            vals[fname] = timestamps[fname] or now
        self.write(vals)
        return True

    def action_ring(self):
        return self._transition(sm.RINGING)

    def action_answer(self, at=None):
        return self._transition(sm.IN_PROGRESS, answered_at=at)

    def action_end(self, at=None):
        """End the contact and start its wrap-up."""
        return self._transition(sm.WRAP_UP, ended_at=at)

    def action_done(self, at=None):
        for interaction in self:
            vals = {"state": sm.DONE}
            now = at or fields.Datetime.now()
            if interaction.state == sm.WRAP_UP:
                vals["wrap_up_ended_at"] = max(now, interaction.ended_at or now)
            elif not interaction.ended_at:
                vals["ended_at"] = now
            if interaction.disposition_id.marks_resolved:
                vals["is_resolved"] = True
            interaction.write(vals)
        return True

    def action_abandon(self, at=None):
        return self._transition(sm.ABANDONED, ended_at=at)

    def action_miss(self, at=None):
        return self._transition(sm.MISSED, ended_at=at)

    def action_open_related(self):
        self.ensure_one()
        if not self.res_model or not self.res_id:
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------
    # Calls: the agent's presence follows them
    # ------------------------------------------------------------------
    @api.model
    def _cc_calls_folded(self, legs):
        """Hook called once per batch of telephony events, after the calls'
        interactions are written: ``legs`` lists ``(interaction, leg)`` with
        the folded ``tools.telephony.Leg`` (answered by a person or a
        machine, when an agent was connected). Addons that start calls (the
        dialer) react here; the base does nothing."""
        return

    def _cc_sync_agent_presence(self):
        """Busy while on a call, wrap-up after it, free when it is closed.

        For the agents of these interactions: busy while any of their calls
        is in progress, else in wrap-up if one of these calls is; other
        states leave the presence alone. One query and one presence change
        per state, whatever the number of calls.
        """
        calls = self.filtered(
            lambda i: i.agent_id and i.state in (sm.IN_PROGRESS, sm.WRAP_UP)
        )
        if not calls:
            return
        self.flush_model(["agent_id", "state"])
        self.env.cr.execute(
            """
            SELECT DISTINCT agent_id FROM contact_center_interaction
             WHERE agent_id = ANY(%s) AND state = %s
            """,
            (calls.agent_id.ids, sm.IN_PROGRESS),
        )
        on_call = {row[0] for row in self.env.cr.fetchall()}
        targets = defaultdict(lambda: self.env["contact_center.agent"])
        for agent in calls.agent_id:
            target = "busy" if agent.id in on_call else "wrap_up"
            if agent.presence != target:
                targets[target] |= agent
        for target, agents in targets.items():
            agents.sudo()._set_presence(target)  # sudo: the PBX says so

    def _cc_finish_wrap_up(self, at=None):
        """End the after-call work: the contact is done, its agent free again."""
        at = at or fields.Datetime.now()
        calls = self.filtered(lambda i: i.state == sm.WRAP_UP)
        for interaction in calls:
            # the PBX's clock may run ahead of Odoo's: never end the wrap-up
            # before the call itself
            end = max(at, interaction.ended_at or at)
            interaction.write({"state": sm.DONE, "wrap_up_ended_at": end})
        for agent in calls.agent_id:
            busy = self.search_count(
                [
                    ("agent_id", "=", agent.id),
                    ("state", "in", (sm.IN_PROGRESS, sm.WRAP_UP)),
                ],
                limit=1,
            )
            if not busy and agent.presence in ("wrap_up", "busy"):
                agent.sudo()._set_presence("available")  # sudo: system
        return True

    @api.model
    def _cron_finish_wrap_ups(self, batch_size=500):
        """Close the wrap-ups that passed their team's limit.

        ``FOR UPDATE SKIP LOCKED``: two cron workers never close the same one.
        """
        now = fields.Datetime.now()
        self.env.cr.execute(
            """
            SELECT i.id, i.ended_at, COALESCE(t.wrap_up_seconds, 60)
              FROM contact_center_interaction i
         LEFT JOIN contact_center_team t ON t.id = i.team_id
             WHERE i.state = 'wrap_up'
               AND COALESCE(t.wrap_up_seconds, 60) > 0
               AND i.ended_at + make_interval(secs => COALESCE(t.wrap_up_seconds, 60))
                   <= %s
          ORDER BY i.ended_at
             LIMIT %s
               FOR UPDATE OF i SKIP LOCKED
            """,
            (now, batch_size),
        )
        rows = self.env.cr.fetchall()
        for interaction_id, ended_at, limit in rows:
            self.browse(interaction_id)._cc_finish_wrap_up(
                ended_at + timedelta(seconds=limit)
            )
        return len(rows)

    @api.model
    def _cron_close_softphone_calls(self, batch_size=500):
        """Close the softphone calls nobody said anything about.

        Click-to-dial without a PBX: only the agent can tell how the call
        went. One left ringing past the configured minutes is closed as
        missed, so no call rings forever and its card does not come back.
        ``FOR UPDATE SKIP LOCKED``: two cron workers never close the same one.
        """
        minutes = self._cc_softphone_timeout()
        self.env.cr.execute(
            """
            SELECT id FROM contact_center_interaction
             WHERE provider = %s
               AND state IN %s
               AND queued_at <= %s
          ORDER BY queued_at
             LIMIT %s
               FOR UPDATE SKIP LOCKED
            """,
            (
                SOFTPHONE_PROVIDER,
                (sm.QUEUED, sm.RINGING),
                fields.Datetime.now() - timedelta(minutes=minutes),
                batch_size,
            ),
        )
        calls = self.browse([row[0] for row in self.env.cr.fetchall()])
        calls._cc_close_softphone_calls(minutes)
        return len(calls)
