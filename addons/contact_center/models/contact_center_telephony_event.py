import json
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ..tools import interaction_state as sm
from ..tools import telephony
from ..tools.url import is_http_url

# advisory lock namespace of a call's processing ("CC" and 1)
CALL_LOCK_NAMESPACE = 0x43430001
# the event type of an inbound SMS or social message; its call id is the
# conversation (network and customer address), see tools/messaging.py
MESSAGE_EVENT_TYPE = "message"

EVENT_STATES = [
    ("pending", "Pending"),
    ("done", "Processed"),
    ("failed", "Failed"),
]


class ContactCenterTelephonyEvent(models.Model):
    """Inbox of call events and inbound messages, stored raw before they are
    processed.

    A failure leaves the event here, marked failed with its error and
    retryable from the list: nothing a PBX reported is lost.
    """

    _name = "contact_center.telephony.event"
    _description = "Telephony Event"
    _order = "id desc"
    _check_company_auto = True

    # searched by call through contact_center_telephony_event_call_idx (see
    # init), by provider alone through the unique constraint's index
    provider_id = fields.Many2one(
        "contact_center.telephony.provider", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="provider_id.company_id", store=True, index=True
    )
    external_id = fields.Char(required=True, help="The provider's id of the event.")
    call_id = fields.Char(
        string="Call or Conversation",
        required=True,
        help="The call id; for a message, its conversation (network:address).",
    )
    event_type = fields.Char(required=True)
    occurred_at = fields.Datetime(required=True)
    received_at = fields.Datetime(required=True, default=fields.Datetime.now)
    payload = fields.Json(required=True)
    payload_text = fields.Text(
        string="Event Data", compute="_compute_payload_text", help="The event as sent."
    )
    state = fields.Selection(EVENT_STATES, required=True, default="pending", index=True)
    error = fields.Text()
    interaction_id = fields.Many2one(
        "contact_center.interaction", index=True, check_company=True
    )

    @api.depends("payload")
    def _compute_payload_text(self):
        for event in self:
            event.payload_text = json.dumps(
                event.payload, indent=2, sort_keys=True, ensure_ascii=False
            )

    @api.depends("event_type", "call_id")
    def _compute_display_name(self):
        for event in self:
            event.display_name = f"{event.event_type or ''} · {event.call_id or ''}"

    _sql_constraints = [
        (
            "provider_external_id_uniq",
            "unique(provider_id, external_id)",
            "This provider already sent an event with this id.",
        ),
    ]

    def init(self):
        # Every request reads the past events of its calls by provider and
        # call id: one index answers both, where two single-column indexes
        # let the planner AND a bitmap of all the provider's events (every
        # event ever received) with the call's few. Databases installed
        # before this index lose the two it replaces.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS contact_center_telephony_event_call_idx
                ON contact_center_telephony_event (call_id, provider_id);
            DROP INDEX IF EXISTS contact_center_telephony_event__call_id_index,
                contact_center_telephony_event__provider_id_index;
            """
        )

    def _process(self):
        """Apply these stored events; return {external id: status dict}.

        Each call is folded from all its stored events (see
        tools/telephony.fold_call). The calls of one request are applied
        together, reading what they need in a few set-based queries; if one
        of them fails, the batch is rolled back to its savepoint and the
        calls are applied one by one, each in its own savepoint, so that a
        failing call is marked failed with its error and the others go on.
        """
        # SMS and social messages share the inbox (see contact_center.messaging)
        messages = self.filtered(lambda e: e.event_type == MESSAGE_EVENT_TYPE)
        statuses = (
            self.env["contact_center.messaging"]._process_inbox(messages)
            if messages
            else {}
        )
        by_provider = defaultdict(lambda: defaultdict(list))
        for event in self - messages:
            by_provider[event.provider_id][event.call_id].append(event.id)
        for provider, calls in by_provider.items():
            applied, errors = {}, {}
            rings = self.env["contact_center.interaction"]
            try:
                with self.env.cr.savepoint():
                    applied, rings = self._apply_calls(provider, list(calls))
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                # another request works on the same call or agent: Odoo runs
                # this whole request again, in a new transaction
                raise
            except Exception:  # noqa: BLE001 - retried call by call below
                self.env.invalidate_all()
                for call_id in calls:
                    try:
                        with self.env.cr.savepoint():
                            legs, ringing = self._apply_calls(provider, [call_id])
                        applied.update(legs)
                        rings |= ringing
                    except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                        raise
                    except Exception as error:  # noqa: BLE001 - kept, retryable
                        # the savepoint rolled the database back; drop what
                        # the cache still holds of that work
                        self.env.invalidate_all()
                        errors[call_id] = str(error) or error.__class__.__name__
            done = {}
            for call_id, event_ids in calls.items():
                if call_id in errors:
                    self.browse(event_ids).write(
                        {"state": "failed", "error": errors[call_id]}
                    )
                    status = {"status": "failed", "error": errors[call_id]}
                else:
                    # the events point to the call's last leg
                    done.update(dict.fromkeys(event_ids, applied[call_id][-1].id))
                    status = {"status": "done"}
                for event in self.browse(event_ids):
                    statuses[event.external_id] = dict(status)
            self._mark_done(done)
            # only now: a card must not pop for a call a savepoint undid
            rings._cc_screen_pop()
        return statuses

    def action_retry(self):
        """Process failed events again (after fixing their cause).

        Events are read-only for every user; retrying is the one thing a
        supervisor does with them, and the system processes them. A link in
        the payload is checked again: an unsafe one keeps the event failed.
        """
        self.check_access("read")
        failed = self.filtered(lambda e: e.state == "failed")
        if not failed:
            raise UserError(self.env._("Only failed events can be retried."))
        unsafe = failed.filtered(lambda e: not e._has_safe_links())
        if unsafe:
            # sudo: events are written by the system only; the user may read them
            unsafe.sudo().write(
                {
                    "error": self.env._(
                        "The event's link (url) is not an http:// or https:// "
                        "address; it is not processed."
                    )
                }
            )
        # sudo: events are processed by the system (see _process)
        (failed - unsafe).sudo()._process()
        return True

    def _has_safe_links(self):
        """False when the payload carries a link that is not http(s)."""
        self.ensure_one()
        payload = self.payload if isinstance(self.payload, dict) else {}
        url = payload.get("url")
        return not url or is_http_url(url)

    def _mark_done(self, interaction_of):
        """Mark events processed: {event id: id of its call's last leg}."""
        if not interaction_of:
            return
        self.flush_model(["state", "error", "interaction_id"])
        self.env.cr.execute(
            """
            UPDATE contact_center_telephony_event e
               SET state = 'done', error = NULL, interaction_id = v.interaction_id,
                   write_uid = %s, write_date = now() at time zone 'UTC'
              FROM unnest(%s::int[], %s::int[]) AS v(event_id, interaction_id)
             WHERE e.id = v.event_id
            """,
            (self.env.uid, list(interaction_of), list(interaction_of.values())),
        )
        self.browse(interaction_of).invalidate_recordset(
            ["state", "error", "interaction_id", "write_uid", "write_date"]
        )

    @api.model
    def _lock_calls(self, provider, call_ids):
        """Take the calls for this transaction, or fail so that it is retried.

        Every event refolds its call from the events the transaction sees;
        two requests folding the same call at once would each miss the
        other's event. The first takes the call's advisory lock; the second
        finds it taken and fails with ``LockNotAvailable``, which makes Odoo
        roll its request back and run it again once the first has committed,
        now seeing both events.
        """
        self.env.cr.execute(
            """
            SELECT array_agg(key) FILTER (WHERE NOT pg_try_advisory_xact_lock(%s, key))
              FROM (SELECT DISTINCT hashtext(%s || '/' || call_id) AS key
                      FROM unnest(%s::text[]) AS call_id) AS calls
            """,
            (CALL_LOCK_NAMESPACE, str(provider.id), list(call_ids)),
        )
        busy = self.env.cr.fetchone()[0]
        if busy:
            # a real lock wait that gives up at once: PostgreSQL raises the
            # error Odoo's request retry knows
            self.env.cr.execute("SET LOCAL lock_timeout TO '1ms'")
            for key in busy:
                self.env.cr.execute(
                    "SELECT pg_advisory_xact_lock(%s, %s)",
                    (CALL_LOCK_NAMESPACE, key),
                    log_exceptions=False,  # expected; the retry logs it
                )
            self.env.cr.execute("SET LOCAL lock_timeout TO DEFAULT")

    @api.model
    def _apply_calls(self, provider, call_ids):
        """Fold the stored events of these calls into their interactions.

        Reads the events, agents, existing legs and callers of all the calls
        in one query each, creates the new legs in one batch, then moves the
        agents' presence once for the batch. Returns {call id: its
        interactions (legs), first to last} and the interactions that started
        ringing for an agent (whose screen pop the caller sends).
        """
        self._lock_calls(provider, call_ids)
        self.flush_model()
        self.env.cr.execute(
            """
            SELECT call_id, payload, occurred_at
              FROM contact_center_telephony_event
             WHERE provider_id = %s AND call_id = ANY(%s)
          ORDER BY occurred_at, id
            """,
            (provider.id, list(call_ids)),
        )
        stored = defaultdict(list)
        for call_id, payload, occurred_at in self.env.cr.fetchall():
            event = dict(payload)
            event["at"] = occurred_at
            stored[call_id].append(event)
        company = provider.company_id
        config = provider._routing_config()
        country = config["country"]
        calls = {}
        for call_id in call_ids:
            events = stored[call_id]
            first = events[0]
            direction = first.get("direction") or "inbound"
            inbound = direction == "inbound"
            calls[call_id] = {
                "legs": telephony.fold_call(events),
                "direction": direction,
                "number": first.get("caller") if inbound else first.get("called"),
                "called": first.get("called") if inbound else None,
            }
        Interaction = self.env["contact_center.interaction"].with_context(
            cc_fold_events=True
        )
        Agent = self.env["contact_center.agent"]
        extensions = {
            leg.agent for call in calls.values() for leg in call["legs"] if leg.agent
        }
        agents = {}
        if extensions:
            agents = {
                agent.extension: agent
                for agent in Agent.search(
                    [
                        ("extension", "in", list(extensions)),
                        ("company_id", "=", company.id),
                    ]
                )
            }
        existing = {
            interaction.external_id: interaction
            for interaction in Interaction.search(
                [
                    ("provider", "=", config["code"]),
                    (
                        "external_id",
                        "in",
                        [
                            _leg_id(call_id, leg)
                            for call_id, call in calls.items()
                            for leg in call["legs"]
                        ],
                    ),
                ]
            )
        }
        callers = self.env["res.partner"]._cc_find_by_phones(
            [call["number"] for call in calls.values() if call["number"]],
            country,
            company,
        )
        teams = {}
        to_create, created_for = [], []
        legs_of = defaultdict(dict)
        rings = Interaction
        for call_id, call in calls.items():
            called = call["called"]
            if called not in teams:
                teams[called] = provider._did_team(called)
            team = teams[called]
            partner = callers.get(call["number"])
            for leg in call["legs"]:
                external_id = _leg_id(call_id, leg)
                interaction = existing.get(external_id, Interaction)
                agent = agents.get(leg.agent, Agent)
                state = leg.state(bool(interaction.wrap_up_ended_at))
                vals = {
                    "state": state,
                    "queued_at": leg.queued_at,
                    "answered_at": leg.answered_at or False,
                    "ended_at": leg.ended_at or False,
                    "hold_seconds": leg.hold_seconds,
                    "is_transferred": leg.transferred,
                    "agent_id": agent.id or False,
                }
                if leg.recording_url:
                    vals["recording_url"] = leg.recording_url
                if not interaction:
                    to_create.append(
                        {
                            **vals,
                            "channel": "phone",
                            "direction": call["direction"],
                            "provider": config["code"],
                            "external_id": external_id,
                            "is_transfer_leg": leg.index > 0,
                            "phone": call["number"] or False,
                            "partner_id": partner.id if partner else False,
                            "team_id": team.id or (agent.team_ids[:1].id or False),
                            "company_id": company.id,
                        }
                    )
                    created_for.append((call_id, leg.index, state == sm.RINGING))
                    continue
                previous = interaction.state
                changed = {
                    name: value
                    for name, value in vals.items()
                    if _plain(interaction[name]) != (value or False)
                }
                if changed:
                    interaction.write(changed)
                if state == sm.RINGING and previous != sm.RINGING and agent:
                    rings |= interaction
                legs_of[call_id][leg.index] = interaction
        created = Interaction.create(to_create) if to_create else Interaction
        for (call_id, index, ringing), interaction in zip(
            created_for, created, strict=True
        ):
            legs_of[call_id][index] = interaction
            if ringing and interaction.agent_id:
                rings |= interaction
        result = {
            call_id: Interaction.concat(*(legs[i] for i in sorted(legs)))
            for call_id, legs in legs_of.items()
        }
        touched = Interaction.concat(*result.values())
        touched._cc_sync_agent_presence()
        Interaction._cc_calls_folded(
            [
                (legs_of[call_id][leg.index], leg)
                for call_id, call in calls.items()
                for leg in call["legs"]
                if leg.index in legs_of[call_id]
            ]
        )
        return result, rings


def _plain(value):
    """A field's value as written: a record's id, False for empty."""
    if isinstance(value, models.BaseModel):
        return value.id or False
    return value or False


def _leg_id(call_id, leg):
    """External id of a leg: the call id, then call id/2, /3 after transfers."""
    return call_id if leg.index == 0 else f"{call_id}/{leg.index + 1}"
