from datetime import datetime, time, timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

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
ANSWERED = ("interested", "sale", "not_interested", "wrong_person")
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
        left without any number is excluded."""
        self.ensure_one()
        campaign = self.campaign_id
        if self.attempts >= campaign.max_attempts:
            self.write({"state": "failed", "last_outcome": "max_attempts"})
            return self.number_ids.browse()
        today = now.date()
        for number in self.number_ids.filtered("active").sorted("sequence"):
            if number.phone_e164 in blocked:
                number.write(
                    {
                        "active": False,
                        "archive_reason": self.env._("On the do-not-call list"),
                    }
                )
                continue
            if number.attempts >= campaign.attempts_per_number:
                continue
            if (
                number.last_attempt_at
                and number.last_attempt_at.date() == today
                and number.attempts_today >= campaign.attempts_per_number_day
            ):
                continue
            return number
        active = self.number_ids.filtered("active")
        if not active:
            self.write({"state": "excluded", "last_outcome": "no_number"})
        elif all(n.attempts >= campaign.attempts_per_number for n in active):
            self.write({"state": "failed", "last_outcome": "numbers_exhausted"})
        else:
            # every number reached its daily limit: try again tomorrow
            self.next_attempt_at = datetime.combine(today, time.min) + timedelta(days=1)
        return self.number_ids.browse()

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
        now = fields.Datetime.now()
        number = self.number_id
        same_day = (
            number.last_attempt_at and number.last_attempt_at.date() == now.date()
        )
        number.write(
            {
                "attempts": number.attempts + 1,
                "attempts_today": (number.attempts_today if same_day else 0) + 1,
                "last_attempt_at": now,
            }
        )
        self._log_attempt(outcome, note)
        if outcome in ("interested", "sale", "not_interested"):
            self._apply_to_lead(outcome, note)
        values = {
            "attempts": self.attempts + 1,
            "last_outcome": outcome,
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
        else:
            values.update(
                state="retry",
                next_attempt_at=now + timedelta(minutes=campaign[RETRIED[outcome]]),
            )
        self.write(values)

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
        """The attempt as an interaction of the suite's fact table."""
        self.ensure_one()
        code = DISPOSITION_CODES.get(outcome)
        disposition = (
            self.env["contact_center.disposition"].search(
                [("code", "=", code)], limit=1
            )
            if code
            else self.env["contact_center.disposition"]
        )
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
