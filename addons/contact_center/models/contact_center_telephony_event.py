from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import interaction_state as sm
from ..tools import telephony

EVENT_STATES = [
    ("pending", "Pending"),
    ("done", "Processed"),
    ("failed", "Failed"),
]


class ContactCenterTelephonyEvent(models.Model):
    """Inbox of call events, stored raw before they are processed.

    A failure leaves the event here, marked failed with its error and
    retryable from the list: nothing a PBX reported is lost.
    """

    _name = "contact_center.telephony.event"
    _description = "Telephony Event"
    _order = "id desc"

    provider_id = fields.Many2one(
        "contact_center.telephony.provider",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="provider_id.company_id", store=True)
    external_id = fields.Char(required=True, help="The provider's id of the event.")
    call_id = fields.Char(required=True, index=True)
    event_type = fields.Char(required=True)
    occurred_at = fields.Datetime(required=True)
    received_at = fields.Datetime(required=True, default=fields.Datetime.now)
    payload = fields.Json(required=True)
    state = fields.Selection(EVENT_STATES, required=True, default="pending", index=True)
    error = fields.Text()
    interaction_id = fields.Many2one("contact_center.interaction", index=True)

    _sql_constraints = [
        (
            "provider_external_id_uniq",
            "unique(provider_id, external_id)",
            "This provider already sent an event with this id.",
        ),
    ]

    def _process(self):
        """Apply these stored events; return {external id: status dict}.

        Each call is folded from all its stored events (see
        tools/telephony.fold_call) in a savepoint: a failing call is marked
        failed with its error, the others go on.
        """
        statuses = {}
        by_call = {}
        for event in self:
            by_call.setdefault((event.provider_id, event.call_id), self.browse())
            by_call[(event.provider_id, event.call_id)] |= event
        for (provider, call_id), events in by_call.items():
            try:
                with self.env.cr.savepoint():
                    legs = self._apply_call(provider, call_id)
                    events.write(
                        {"state": "done", "error": False, "interaction_id": legs[-1].id}
                    )
                status = {"status": "done"}
            except Exception as error:  # noqa: BLE001 - kept on the event, retryable
                # the savepoint rolled the database back; drop what the cache
                # still holds of that work
                self.env.invalidate_all()
                message = str(error) or error.__class__.__name__
                events.write({"state": "failed", "error": message})
                status = {"status": "failed", "error": message}
            for event in events:
                statuses[event.external_id] = dict(status)
        return statuses

    @api.model
    def _apply_call(self, provider, call_id):
        """Fold every stored event of the call into its interactions."""
        rows = self.search(
            [("provider_id", "=", provider.id), ("call_id", "=", call_id)]
        )
        events = []
        for row in rows:
            event = dict(row.payload)
            event["at"] = row.occurred_at
            events.append(event)
        legs = telephony.fold_call(events)
        first = min(rows, key=lambda r: (r.occurred_at, r.id)).payload
        direction = first.get("direction") or "inbound"
        number = first.get("caller") if direction == "inbound" else first.get("called")
        called = first.get("called") if direction == "inbound" else None
        Interaction = self.env["contact_center.interaction"].with_context(
            cc_fold_events=True
        )
        Agent = self.env["contact_center.agent"]
        extensions = {leg.agent for leg in legs if leg.agent}
        agents = {
            agent.extension: agent
            for agent in Agent.search(
                [
                    ("extension", "in", list(extensions)),
                    ("company_id", "=", provider.company_id.id),
                ]
            )
        }
        existing = {
            interaction.external_id: interaction
            for interaction in Interaction.search(
                [
                    ("provider", "=", provider.code),
                    ("external_id", "in", [_leg_id(call_id, leg) for leg in legs]),
                ]
            )
        }
        partner = self.env["res.partner"]
        if number:
            partner = partner.cc_find_by_phone(
                number, provider.company_id.country_id.code
            )[:1]
        team = provider._did_team(called)
        result = Interaction
        for leg in legs:
            external_id = _leg_id(call_id, leg)
            interaction = existing.get(external_id, Interaction)
            agent = agents.get(leg.agent, Agent)
            wrapped_up = bool(interaction.wrap_up_ended_at)
            state = leg.state(wrapped_up)
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
                interaction = Interaction.create(
                    {
                        **vals,
                        "channel": "phone",
                        "direction": direction,
                        "provider": provider.code,
                        "external_id": external_id,
                        "phone": number or False,
                        "partner_id": partner.id or False,
                        "team_id": team.id or (agent.team_ids[:1].id or False),
                        "company_id": provider.company_id.id,
                    }
                )
                if state == sm.RINGING and agent:
                    interaction._cc_screen_pop()
            else:
                previous = interaction.state
                changed = {
                    name: value
                    for name, value in vals.items()
                    if _plain(interaction[name]) != (value or False)
                }
                if changed:
                    interaction.write(changed)
                if state == sm.RINGING and previous != sm.RINGING and agent:
                    interaction._cc_screen_pop()
            interaction._cc_sync_agent_presence()
            result |= interaction
        return result


def _plain(value):
    """A field's value as written: a record's id, False for empty."""
    if isinstance(value, models.BaseModel):
        return value.id or False
    return value or False


def _leg_id(call_id, leg):
    """External id of a leg: the call id, then call id/2, /3 after transfers."""
    return call_id if leg.index == 0 else f"{call_id}/{leg.index + 1}"


class ContactCenterInteraction(models.Model):
    _inherit = "contact_center.interaction"

    def _cc_sync_agent_presence(self):
        """Busy while on the call, wrap-up after it, free when it is closed."""
        for interaction in self.filtered("agent_id"):
            agent = interaction.agent_id
            if interaction.state == sm.IN_PROGRESS:
                target = "busy"
            elif interaction.state == sm.WRAP_UP:
                target = "wrap_up"
            else:
                continue
            # another call still in progress keeps the agent busy
            if target == "wrap_up" and self.search_count(
                [
                    ("agent_id", "=", agent.id),
                    ("state", "=", sm.IN_PROGRESS),
                    ("id", "!=", interaction.id),
                ],
                limit=1,
            ):
                target = "busy"
            if agent.presence != target:
                agent.sudo()._set_presence(target)  # sudo: the PBX says so

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


class ContactCenterTelephonyEventRetry(models.Model):
    _inherit = "contact_center.telephony.event"

    def action_retry(self):
        """Process failed events again (after fixing their cause)."""
        failed = self.filtered(lambda e: e.state == "failed")
        if not failed:
            raise UserError(self.env._("Only failed events can be retried."))
        failed.sudo()._process()  # sudo: events are processed by the system
        return True
