import uuid
from datetime import datetime, time, timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from .contact_center_campaign import ANSWERED, pbx_call

# what an attempt ended with, as the agent (or the dialer) reports it
OUTCOMES = [
    ("interested", "Answered: Interested"),
    ("sale", "Answered: Sale"),
    ("not_interested", "Answered: Not Interested"),
    ("wrong_person", "Answered: Wrong Person"),
    ("no_answer", "No Answer"),
    ("busy", "Busy"),
    ("voicemail", "Voicemail"),
    ("failed", "Failed"),
    ("wrong_number", "Wrong Number"),
    ("do_not_call", "Do Not Call"),
    ("callback", "Callback"),
]
# dialer modes that call without a person choosing the number: mobiles need
# consent there when the campaign requires it
CONSENT_MODES = ("progressive", "power", "predictive")
# a number whose call the dialer abandoned is not called again before
# (Ofcom: 72 hours unless an agent is guaranteed)
ABANDONED_RETRY_HOURS = 72
# outcomes retried after the campaign's delay for them
RETRIED = {
    "no_answer": "retry_no_answer_minutes",
    "busy": "retry_busy_minutes",
    "voicemail": "retry_voicemail_minutes",
    "failed": "retry_failed_minutes",
}
# the suite's dispositions (by code) an attempt's interaction carries
DISPOSITION_CODES = {
    "sale": "sale",
    "not_interested": "not_interested",
    "no_answer": "no_answer",
    "voicemail": "voicemail",
    "wrong_number": "wrong_number",
    "callback": "callback",
}
# interaction state of an attempt
ATTEMPT_STATES = {
    "no_answer": "missed",
    "busy": "missed",
    "voicemail": "missed",
    "failed": "failed",
    "wrong_number": "done",
    "do_not_call": "done",
    "callback": "done",
}

CONTACT_STATES = [
    ("pending", "Pending"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("retry", "Retry Scheduled"),
    ("callback", "Callback"),
    ("failed", "Failed"),
    ("excluded", "Excluded"),
]


class ContactCenterCampaignContact(models.Model):
    """One person to call in a campaign: the dialer's queue.

    Taken only through ``contact_center.campaign._take_next_contact``, which
    locks the row; ``lease_until`` gives it back to the queue if the agent's
    session dies before an outcome is recorded.
    """

    _name = "contact_center.campaign.contact"
    _description = "Campaign Contact"
    _order = "priority desc, next_attempt_at, id"
    _check_company_auto = True

    campaign_id = fields.Many2one(
        "contact_center.campaign", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="campaign_id.company_id", store=True)
    name = fields.Char(required=True)
    partner_id = fields.Many2one("res.partner", index="btree_not_null")
    lead_id = fields.Many2one("crm.lead", index="btree_not_null")
    email = fields.Char()
    lang = fields.Char(string="Language")
    tz = fields.Char(
        string="Time Zone",
        help="The contact's own time zone (from the customer, else from the "
        "number's country): calling windows are read in it.",
    )
    state = fields.Selection(CONTACT_STATES, default="pending", required=True)
    priority = fields.Integer(default=0, help="Higher is called first.")
    attempts = fields.Integer(readonly=True)
    next_attempt_at = fields.Datetime(string="Next Attempt")
    last_outcome = fields.Char(readonly=True)
    agent_id = fields.Many2one(
        "contact_center.agent",
        string="Held By",
        readonly=True,
        help="The agent the contact is handed to right now.",
    )
    callback_agent_id = fields.Many2one(
        "contact_center.agent",
        string="Callback For",
        help="A callback kept for this agent; empty: any agent of the campaign.",
    )
    lease_until = fields.Datetime(readonly=True)
    number_ids = fields.One2many(
        "contact_center.campaign.number", "contact_id", string="Numbers"
    )
    source_interaction_id = fields.Many2one(
        "contact_center.interaction",
        string="Missed Call",
        readonly=True,
        index="btree_not_null",
        help="The inbound call that did not get through (callback lists).",
    )
    callback_day = fields.Date(
        readonly=True,
        help="Callback lists keep one contact per caller and day.",
    )
    number_id = fields.Many2one(
        "contact_center.campaign.number",
        string="Number Being Called",
        readonly=True,
    )
    last_number_id = fields.Many2one(
        "contact_center.campaign.number",
        string="Last Number Called",
        readonly=True,
        help="An outcome that calls the next number at once goes on from it.",
    )
    interaction_id = fields.Many2one(
        "contact_center.interaction",
        string="Call in Progress",
        readonly=True,
        help="The call the dialer placed for the attempt in progress.",
    )

    def init(self):
        # the hand-out reads the campaign's callable contacts in this order
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS contact_center_campaign_contact_queue_idx
                ON contact_center_campaign_contact
                   (campaign_id, priority DESC, next_attempt_at NULLS FIRST, id)
                WHERE state IN ('pending', 'retry', 'callback');
            CREATE INDEX IF NOT EXISTS contact_center_campaign_contact_lease_idx
                ON contact_center_campaign_contact (lease_until)
                WHERE state = 'in_progress';
            """
        )

    def _blocked_numbers(self):
        """E.164 numbers of these contacts on the do-not-call list now
        (Odoo's ``phone.blacklist``), in one query."""
        numbers = self.number_ids.filtered("active").mapped("phone_e164")
        if not numbers:
            return set()
        self.env["phone.blacklist"].flush_model(["number", "active"])
        self.env.cr.execute(
            "SELECT number FROM phone_blacklist WHERE active AND number = ANY(%s)",
            (numbers,),
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def _number_to_dial(self, now, blocked):
        """The first active number of the contact that may be called now, or
        nothing. Numbers found on the do-not-call list are archived; a contact
        left without any number is excluded. After an outcome whose line
        calls the next number, the numbers after the one last called come
        first. When the campaign requires consent and dials automatically,
        mobiles without consent are skipped (kept for preview calls by
        hand) and the block recorded; a contact left with only such mobiles
        is tried again tomorrow, as when every number reached its daily
        limit."""
        self.ensure_one()
        campaign = self.campaign_id
        if self.attempts >= campaign.max_attempts:
            self.write({"state": "failed", "last_outcome": "max_attempts"})
            return self.number_ids.browse()
        today = now.date()
        without_consent = self.number_ids.browse()
        for number in self._numbers_in_dialing_order():
            if number.phone_e164 in blocked:
                number.write(
                    {
                        "active": False,
                        "archive_reason": self.env._("On the do-not-call list"),
                    }
                )
                continue
            if not self._may_call_number(number, today):
                continue
            if self._lacks_consent(number):
                without_consent |= number
                continue
            self._block_without_consent(without_consent, now)
            return number
        self._block_without_consent(without_consent, now)
        active = self.number_ids.filtered("active")
        if not active:
            self.write({"state": "excluded", "last_outcome": "no_number"})
        elif all(n.attempts >= campaign.attempts_per_number for n in active):
            self.write({"state": "failed", "last_outcome": "numbers_exhausted"})
        else:
            # every number reached its daily limit (or is a mobile without
            # consent, which may get it or a preview campaign): try tomorrow
            self.next_attempt_at = datetime.combine(today, time.min) + timedelta(days=1)
        return self.number_ids.browse()

    def _numbers_in_dialing_order(self):
        """The active numbers by sequence; after an outcome whose line calls
        the next number at once, those after the one last called first."""
        numbers = self.number_ids.filtered("active").sorted(
            lambda n: (n.sequence, n.id)
        )
        last = self.last_number_id
        if not (last and self.last_outcome in RETRIED):
            return numbers
        line = self.campaign_id.outcome_ids.filtered(
            lambda o: o.outcome == self.last_outcome
        )
        if not line.next_number:
            return numbers
        after = numbers.filtered(
            lambda n: (n.sequence, n.id) > (last.sequence, last.id)
        )
        return after + (numbers - after)

    def _may_call_number(self, number, today):
        """The number is under the campaign's attempt limits (in all, and
        today)."""
        campaign = self.campaign_id
        if number.attempts >= campaign.attempts_per_number:
            return False
        return not (
            number.last_attempt_at
            and number.last_attempt_at.date() == today
            and number.attempts_today >= campaign.attempts_per_number_day
        )

    def _numbers_after(self, number, now):
        """Active numbers after ``number`` (in sequence) under the attempt
        limits: where an outcome that calls the next number goes on."""
        self.ensure_one()
        today = now.date()
        return self.number_ids.filtered(
            lambda n: (
                n.active
                and (n.sequence, n.id) > (number.sequence, number.id)
                and self._may_call_number(n, today)
                and not self._lacks_consent(n)
            )
        )

    def _lacks_consent(self, number):
        """A mobile the campaign may not dial automatically: it requires
        consent, dials without a person choosing the number, and the
        person did not agree."""
        campaign = self.campaign_id
        return (
            campaign.requires_consent
            and campaign.dialer_mode in CONSENT_MODES
            and number.kind == "mobile"
            and not number.has_consent
        )

    def _block_without_consent(self, numbers, now):
        """Record the mobiles skipped for lack of consent (the compliance
        record of calls held back)."""
        if not numbers:
            return
        # sudo: the dialer's own record of a call it did not make; agents
        # do not write it
        self.env["contact_center.campaign.block"].sudo().create(
            [
                {
                    "campaign_id": self.campaign_id.id,
                    "contact_id": self.id,
                    "number_id": number.id,
                    "reason": "consent",
                    "blocked_at": now,
                }
                for number in numbers
            ]
        )

    def _record_outcome(
        self, outcome, callback_at=None, callback_agent=None, note=None
    ):
        """Close the attempt in progress with ``outcome`` and decide what
        comes next for the contact.

        Every attempt is an outbound call interaction (on the timeline).
        Answered outcomes end the contact; no answer, busy, voicemail and
        failed are retried after the campaign's delay for them until the
        contact runs out of attempts; a wrong number is archived and the
        contact's next number is called; do not call puts the number on
        Odoo's do-not-call list (``phone.blacklist``) and excludes the
        contact; a callback comes back at ``callback_at`` (UTC), for
        ``callback_agent`` or the whole campaign.
        """
        self.ensure_one()
        if outcome not in dict(OUTCOMES):
            raise UserError(self.env._("Unknown outcome: %s", outcome))
        if self.state != "in_progress" or not self.number_id:
            raise UserError(
                self.env._(
                    "%(contact)s is not being called: there is no attempt to close.",
                    contact=self.display_name,
                )
            )
        if outcome == "callback" and not callback_at:
            raise UserError(self.env._("Pick when to call back."))
        if not (
            self.env.su
            or self.agent_id.user_id == self.env.user
            or self.env.user.has_group("contact_center.group_contact_center_supervisor")
        ):
            raise AccessError(
                self.env._("Only the agent calling %s records how it went.", self.name)
            )
        # sudo: the agent holding the contact (checked above) records the
        # outcome; agents do not write the queue otherwise
        return self.sudo()._apply_outcome(outcome, callback_at, callback_agent, note)

    def _apply_outcome(self, outcome, callback_at, callback_agent, note):
        self.ensure_one()
        campaign = self.campaign_id
        line = campaign.outcome_ids.filtered(lambda o: o.outcome == outcome)
        now = fields.Datetime.now()
        number = self.number_id
        number._count_attempt(now)
        self._log_attempt(outcome, note)
        if outcome in ("interested", "sale", "not_interested"):
            self._apply_to_lead(outcome, note)
        values = {
            "attempts": self.attempts + 1,
            "last_outcome": outcome,
            "last_number_id": number.id,
            "agent_id": False,
            "number_id": False,
            "lease_until": False,
            "callback_agent_id": False,
        }
        if outcome in ANSWERED:
            values["state"] = "done"
        elif outcome == "callback":
            values.update(
                state="callback",
                next_attempt_at=callback_at,
                callback_agent_id=callback_agent.id if callback_agent else False,
            )
        elif outcome == "do_not_call":
            # sudo: an agent records the person's request; the list is Odoo's
            self.env["phone.blacklist"].sudo()._add(
                [number.phone_e164],
                message=self.env._(
                    "Asked not to be called again (campaign %s).", campaign.name
                ),
            )
            number.write(
                {
                    "active": False,
                    "archive_reason": self.env._("Asked not to be called"),
                }
            )
            values["state"] = "excluded"
        elif outcome == "wrong_number":
            number.write(
                {"active": False, "archive_reason": self.env._("Wrong number")}
            )
            others = self.number_ids.filtered("active") - number
            values.update(
                state="pending" if others else "excluded", next_attempt_at=False
            )
        elif values["attempts"] >= campaign.max_attempts:
            values["state"] = "failed"
        elif line.next_number and self._numbers_after(number, now):
            # the outcome's line asks for the contact's next number at once
            values.update(state="retry", next_attempt_at=now)
        else:
            values.update(
                state="retry",
                next_attempt_at=now + timedelta(minutes=campaign[RETRIED[outcome]]),
            )
        self.write(values)
        line._send_templates(self, {self.id: number.phone_e164})

    def _apply_to_lead(self, outcome, note):
        """What the answer means for CRM: an interested person becomes a lead
        (or their lead is updated) with a follow-up activity for the agent,
        a sale wins it, a refusal loses it. The lead carries the campaign's
        UTM campaign, so CRM reports count the campaign's results."""
        self.ensure_one()
        campaign = self.campaign_id
        user = self.agent_id.user_id
        # sudo: agents need no CRM rights to record a call's result; the
        # lead is assigned to them
        lead = self.lead_id.sudo()
        if not lead and outcome == "not_interested":
            return
        if not lead:
            number = self.number_id
            lead = (
                self.env["crm.lead"]
                .sudo()
                .create(
                    {
                        "name": self.env._(
                            "%(campaign)s: %(contact)s",
                            campaign=campaign.name,
                            contact=self.name,
                        ),
                        "type": "opportunity",
                        "partner_id": self.partner_id.id,
                        "contact_name": self.name if not self.partner_id else False,
                        "phone": number.phone_e164,
                        "email_from": self.email or self.partner_id.email or False,
                        "user_id": user.id,
                        "campaign_id": campaign.utm_campaign_id.id,
                        "company_id": self.company_id.id,
                        "description": note or False,
                    }
                )
            )
            self.lead_id = lead.id
        else:
            values = {}
            if campaign.utm_campaign_id and not lead.campaign_id:
                values["campaign_id"] = campaign.utm_campaign_id.id
            if user and not lead.user_id:
                values["user_id"] = user.id
            if values:
                lead.write(values)
        if outcome == "sale":
            lead.action_set_won()
        elif outcome == "not_interested":
            lead.action_set_lost()
        elif user:
            lead.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.today() + timedelta(days=1),
                summary=self.env._("Follow up the call (%s)", campaign.name),
                note=note or False,
                user_id=user.id,
            )

    def _log_attempt(self, outcome, note):
        """The attempt as an interaction of the suite's fact table: the
        call the dialer placed (its times come from the PBX), else a new
        interaction for the call the agent made."""
        self.ensure_one()
        code = DISPOSITION_CODES.get(outcome)
        disposition = (
            self.env["contact_center.disposition"].search(
                [("code", "=", code)], limit=1
            )
            if code
            else self.env["contact_center.disposition"]
        )
        call = self.interaction_id
        if call:
            # sudo: the system's record of the call; see below
            call = call.sudo()
            values = {
                "disposition_id": disposition.id,
                "is_resolved": outcome == "sale",
            }
            if note:
                values["note"] = note
            if outcome in ANSWERED and not call.agent_id and self.agent_id:
                values["agent_id"] = self.agent_id.id
            call.write(values)
            if call.ended_at:
                call._cc_finish_wrap_up()
            else:
                # the agent is done: the PBX ends the call (leaving the
                # campaign's message on a voicemail the agent reached), and
                # its end event closes the wrap-up (the times stay the PBX's)
                campaign = self.campaign_id
                provider = campaign._dialer_provider()
                if outcome == "voicemail" and campaign.drop_voicemail:
                    message = campaign.voicemail_message or ""
                    pbx_call(provider, "_play_message", call, message)
                else:
                    pbx_call(provider, "_hangup", call)
            self.interaction_id = False
            return call
        now = fields.Datetime.now()
        answered = outcome in ANSWERED or outcome in ("callback", "do_not_call")
        started = self.lease_until and self.lease_until - timedelta(
            minutes=self.campaign_id.lease_minutes
        )
        # sudo: the attempt is the system's record of the call; agents may
        # only create interactions of their own
        return (
            self.env["contact_center.interaction"]
            .sudo()
            .create(
                {
                    "name": self.campaign_id.name,
                    "channel": "phone",
                    "direction": "outbound",
                    "state": ATTEMPT_STATES.get(outcome, "done"),
                    "company_id": self.company_id.id,
                    "partner_id": self.partner_id.id,
                    "phone": self.number_id.phone_e164,
                    "team_id": self.campaign_id.team_id.id,
                    "agent_id": self.agent_id.id,
                    "queued_at": started or now,
                    "answered_at": (started or now) if answered else False,
                    "ended_at": now,
                    "disposition_id": disposition.id,
                    "is_resolved": outcome == "sale",
                    "note": note or False,
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )

    # ------------------------------------------------------------------
    # Calls the dialer places
    # ------------------------------------------------------------------
    def _dialer_new_call(self, agent=None):
        """The attempt's interaction, created before anything is dialed so
        that a call the PBX refuses still shows in the history."""
        self.ensure_one()
        campaign = self.campaign_id
        provider = campaign._dialer_provider()
        # sudo: the system's record of the call (agents only create their own)
        call = (
            self.env["contact_center.interaction"]
            .sudo()
            .create(
                {
                    "name": campaign.name,
                    "channel": "phone",
                    "direction": "outbound",
                    "state": "queued",
                    "company_id": self.company_id.id,
                    "partner_id": self.partner_id.id,
                    "phone": self.number_id.phone_e164,
                    "team_id": campaign.team_id.id,
                    "queued_at": fields.Datetime.now(),
                    "provider": provider.code,
                    "external_id": f"dialer-{self.id}-{uuid.uuid4().hex[:16]}",
                    "campaign_id": campaign.id,
                    "campaign_contact_id": self.id,
                    "campaign_number_id": self.number_id.id,
                    "is_dialer_call": True,
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )
        self.interaction_id = call
        return provider, call

    def _dialer_place(self, now=None):
        """Power and predictive: call the contact's number, no agent yet;
        the PBX's answer brings an agent (``_dialer_connect``)."""
        self.ensure_one()
        campaign = self.campaign_id
        provider, call = self._dialer_new_call()
        error = pbx_call(
            provider,
            "_dial",
            self.number_id.phone_e164,
            call,
            campaign.caller_id or None,
            campaign.ring_seconds,
        )
        if error:
            call.write({"state": "failed", "ended_at": fields.Datetime.now()})
            self._dialer_result("failed", note=error)
        return call

    def _dialer_originate(self, agent):
        """Progressive (and preview with a PBX): the agent's phone rings,
        then the contact's number; the agent is on the call from the start."""
        self.ensure_one()
        provider, call = self._dialer_new_call()
        error = pbx_call(provider, "_originate", agent, self.number_id.phone_e164, call)
        if error:
            call.write({"state": "failed", "ended_at": fields.Datetime.now()})
            self._dialer_result("failed", note=error)
            raise UserError(self.env._("The PBX could not place the call: %s", error))
        return call

    def _dialer_connect(self, call):
        """A person answered a call the dialer placed: bridge it to the ready
        agent idle the longest, at once. With none free, the person hears the
        campaign's identification message: an abandoned call.

        The agent's row is locked (``SKIP LOCKED``): two calls answered at
        the same moment never get the same agent."""
        self.ensure_one()
        campaign = self.campaign_id
        ready = campaign._dialer_agents()[campaign.id]["ready"]
        agent = self.env["contact_center.agent"]
        if ready:
            self.env.cr.execute(
                """
                SELECT id FROM contact_center_agent
                 WHERE id = ANY(%s)
                 ORDER BY presence_since NULLS FIRST, id
                 LIMIT 1
                   FOR UPDATE SKIP LOCKED
                """,
                (ready.ids,),
            )
            row = self.env.cr.fetchone()
            agent = agent.browse(row[0]) if row else agent
        if not agent:
            return self._dialer_abandon(call)
        now = fields.Datetime.now()
        agent.sudo().write({"last_assigned_at": now})
        self.write(
            {
                "agent_id": agent.id,
                "lease_until": now + timedelta(minutes=campaign.lease_minutes),
            }
        )
        if pbx_call(campaign._dialer_provider(), "_bridge", call, agent):
            self.write({"agent_id": False})
            return self._dialer_abandon(call)
        agent.user_id._bus_send(
            "contact_center.dialer",
            {"campaign_id": campaign.id, "contact_id": self.id},
        )
        return agent

    def _dialer_abandon(self, call):
        """No agent for a person who answered: play the identification
        message and hang up. The call counts against the abandon rate and
        the number is not called again for ``ABANDONED_RETRY_HOURS``."""
        self.ensure_one()
        campaign = self.campaign_id
        call.write({"is_dialer_abandoned": True})
        pbx_call(
            campaign._dialer_provider(),
            "_play_message",
            call,
            campaign.identification_message or "",
        )
        self._dialer_result("abandoned")
        return self.env["contact_center.agent"]

    def _dialer_machine(self, call):
        """An answering machine: leave the voicemail message, or hang up."""
        self.ensure_one()
        campaign = self.campaign_id
        provider = campaign._dialer_provider()
        if campaign.drop_voicemail and campaign.voicemail_message:
            pbx_call(provider, "_play_message", call, campaign.voicemail_message)
        else:
            pbx_call(provider, "_hangup", call)

    def _dialer_result(self, outcome, note=None):
        """Close the attempt with what the PBX reported (no answer, busy,
        failed, voicemail) or what the dialer decided (abandoned)."""
        self.ensure_one()
        if self.state != "in_progress":
            return
        if outcome != "abandoned":
            self._apply_outcome(outcome, None, None, note)
            return
        campaign = self.campaign_id
        now = fields.Datetime.now()
        self.number_id._count_attempt(now)
        attempts = self.attempts + 1
        self.write(
            {
                "attempts": attempts,
                "last_outcome": "abandoned",
                "state": "failed" if attempts >= campaign.max_attempts else "retry",
                "next_attempt_at": now + timedelta(hours=ABANDONED_RETRY_HOURS),
                "agent_id": False,
                "number_id": False,
                "lease_until": False,
                "interaction_id": False,
            }
        )

    @api.model
    def _cc_queue_callbacks(self, calls):
        """One callback per caller, team and day for inbound ``calls`` that
        did not get through: a caller who tries again the same day is merged
        into the open callback, which moves up the list. One look-up of the
        open callbacks for all the calls, one create."""
        campaigns = {team: team._cc_callback_campaign() for team in calls.team_id}
        open_callbacks = self.search(
            [
                ("campaign_id", "in", [c.id for c in campaigns.values()]),
                ("callback_day", "in", list({c.queued_at.date() for c in calls})),
                ("number_ids.phone_e164", "in", calls.mapped("phone_e164")),
                ("state", "in", ("pending", "retry", "callback", "in_progress")),
            ]
        )
        found = {
            (callback.campaign_id.id, callback.callback_day, number): callback
            for callback in open_callbacks
            for number in callback.number_ids.mapped("phone_e164")
        }
        to_create = {}
        for call in calls:
            campaign = campaigns[call.team_id]
            key = (campaign.id, call.queued_at.date(), call.phone_e164)
            if key in found:
                callback = found[key]
                callback.write(
                    {
                        "priority": callback.priority + 1,
                        "source_interaction_id": call.id,
                    }
                )
            elif key in to_create:
                values = to_create[key]
                values.update(
                    priority=values["priority"] + 1, source_interaction_id=call.id
                )
            else:
                partner = call.partner_id
                to_create[key] = {
                    "campaign_id": campaign.id,
                    "name": partner.name or call.phone or call.phone_e164,
                    "partner_id": partner.id,
                    "email": partner.email or call.email or False,
                    "tz": partner.tz or False,
                    "priority": 0,
                    "source_interaction_id": call.id,
                    "callback_day": key[1],
                    "number_ids": [
                        Command.create(
                            {
                                "phone": call.phone,
                                "phone_e164": call.phone_e164,
                                "kind": "phone",
                            }
                        )
                    ],
                }
        if to_create:
            self.create(list(to_create.values()))

    @api.model
    def _cc_close_callbacks(self, calls):
        """Callers who got through are not called back any more."""
        open_callbacks = self.search(
            [
                ("campaign_id.is_callback_list", "=", True),
                ("campaign_id.team_id", "in", calls.team_id.ids),
                ("number_ids.phone_e164", "in", calls.mapped("phone_e164")),
                ("state", "in", ("pending", "retry", "callback")),
            ]
        )
        if open_callbacks:
            open_callbacks.write({"state": "done", "last_outcome": "reached_inbound"})

    @api.depends("name", "campaign_id")
    def _compute_display_name(self):
        for contact in self:
            contact.display_name = contact.name or ""
