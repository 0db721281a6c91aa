import logging
from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError

from odoo.addons.phone_validation.tools.phone_validation import phone_format

from ..tools import interaction_state as sm
from .contact_center_click_to_dial_mixin import SOFTPHONE_PROVIDER

_logger = logging.getLogger(__name__)

MAX_ROWS = 5
# minutes after which a softphone call nobody reported on is closed
SOFTPHONE_TIMEOUT_PARAM = "contact_center.softphone_call_timeout_minutes"
SOFTPHONE_TIMEOUT_DEFAULT = 10
# what the agent says of a softphone call: (new state, disposition code)
SOFTPHONE_OUTCOMES = {
    "no_answer": (sm.MISSED, "no_answer"),
    "busy": (sm.MISSED, "busy"),
    # someone answered, but not the customer: the attempt failed
    "wrong_number": (sm.FAILED, "wrong_number"),
}


class ContactCenterScreenPopMixin(models.AbstractModel):
    """The caller's card an agent sees when a call rings (the screen pop).

    Mixed into interactions: the card is built from an interaction (its
    customer, company and agent) and its wrap-up form closes it.
    """

    _name = "contact_center.screen.pop.mixin"
    _description = "Screen Pop"

    # ------------------------------------------------------------------
    # Building and sending the card
    # ------------------------------------------------------------------
    def _cc_screen_pop(self):
        """Push the caller's card to the browser of the agent the call rings.

        Called by the telephony API on a ``ringing`` event: the agent sees who
        is calling before picking up, so the card must arrive with everything
        it shows (no extra round trip while the phone rings). The card is
        built as the agent, so it lists only what they may open.
        """
        for interaction in self.filtered("agent_id.user_id"):
            as_agent = interaction._cc_as_agent()
            if not as_agent:
                continue
            payload = as_agent._cc_screen_pop_payload()
            interaction.agent_id.user_id._bus_send("contact_center.screen_pop", payload)
        return True

    def _cc_as_agent(self):
        """This call as its agent's user, in their companies and language.

        The call's company comes first; an agent who may not work for that
        company gets no card (empty recordset) rather than one built with
        rights they do not have.
        """
        self.ensure_one()
        # sudo: read the agent's user, companies and language to switch to them
        user = self.sudo().agent_id.user_id
        companies = user.company_ids
        if self.sudo().company_id not in companies:
            _logger.warning(
                "Call %s rings %s, who does not work for its company: no screen pop.",
                self.id,
                user.login,
            )
            return self.browse()
        company_ids = [self.sudo().company_id.id] + [
            company_id
            for company_id in companies.ids
            if company_id != self.sudo().company_id.id
        ]
        return self.with_user(user).with_context(
            allowed_company_ids=company_ids, lang=user.lang or self.env.lang
        )

    def _cc_wrap_up_choices(self):
        """The dispositions and contact reasons the card offers for a call.

        Kept by the process per company and language (every ringing call
        needs them); changes to dispositions or reasons clear the cache.
        """
        return self._cc_wrap_up_choices_cached(self.company_id.id, self.env.lang)

    @api.model
    @tools.ormcache("company_id", "lang")
    def _cc_wrap_up_choices_cached(self, company_id, lang):
        # plain data, shown to the company's agents: read as the system
        env = self.sudo().with_context(lang=lang).env
        shared_or_company = [("company_id", "in", (False, company_id))]
        return {
            "dispositions": [
                {"id": d.id, "name": d.name}
                for d in env["contact_center.disposition"].search(
                    [("channel", "in", (False, "phone")), *shared_or_company]
                )
            ],
            "reasons": [
                {"id": r.id, "name": r.display_name}
                for r in env["contact_center.contact.reason"].search(shared_or_company)
            ],
        }

    def _cc_customer_satisfaction(self, partner):
        """The customer's satisfaction as the card shows it (text), or None.

        The core has no survey answers: the card hides the line. The survey
        addon overrides this with the customer's recent score.
        """
        return None

    def _cc_screen_pop_payload(self, choices=None):
        """The card's content, read in a handful of queries.

        Built as the user who sees it (the call's agent, see _cc_as_agent, or
        whoever reopens the card), so record rules apply: open tickets the
        user may not open are counted, never listed.
        """
        self.ensure_one()
        partner = self.partner_id
        customer = None
        tickets = []
        last = []
        counts = {"open_tickets": 0, "contacts_30d": 0}
        if partner:
            commercial = partner.commercial_partner_id
            customer = {
                "id": partner.id,
                "name": partner.name or partner.display_name,
                "tier": partner.cc_tier_id.name or None,
                "vip": bool(partner.cc_is_vip),
                "company": (commercial.name if commercial != partner else None)
                or partner.parent_id.name
                or None,
            }
            status_labels = dict(
                self.env["contact_center.ticket"]
                ._fields["sla_status"]
                ._description_selection(self.env)
            )
            Ticket = self.env["contact_center.ticket"]
            # the same customers as the timeline and 360 view the card opens
            family = self.env["contact_center.timeline"]._customer_partner_ids(partner)
            ticket_domain = [("partner_id", "in", family), ("is_open", "=", True)]
            # sudo: a number only, within the reader's companies, so the agent
            # knows the customer has tickets elsewhere; nothing of them is read
            counts["open_tickets"] = Ticket.sudo().search_count(
                [*ticket_domain, ("company_id", "in", self.env.companies.ids)]
            )
            # listed as the reader: only the tickets they may open
            rows = (
                Ticket.search_read(
                    ticket_domain,
                    ["reference", "name", "sla_status"],
                    order="sla_deadline asc nulls last, id desc",
                    limit=MAX_ROWS,
                )
                if counts["open_tickets"]
                else []
            )
            tickets = [
                {
                    "id": row["id"],
                    "reference": row["reference"] or "",
                    "subject": row["name"],
                    "sla_status": row["sla_status"] or "none",
                    "sla_label": status_labels.get(row["sla_status"] or "none", ""),
                }
                for row in rows
            ]
            channel_labels = dict(
                self._fields["channel"]._description_selection(self.env)
            )
            direction_labels = dict(
                self._fields["direction"]._description_selection(self.env)
            )
            past = self.search(
                [
                    ("partner_id", "in", family),
                    ("id", "!=", self.id),
                ],
                order="queued_at desc, id desc",
                limit=MAX_ROWS,
            )
            last = [
                {
                    "id": item.id,
                    "channel": channel_labels.get(item.channel, item.channel),
                    "direction": direction_labels.get(item.direction, item.direction),
                    "date": fields.Datetime.to_string(item.queued_at),
                    "agent": item.agent_id.name or None,
                    "reason": item.reason_id.name or None,
                    "summary": item.disposition_id.name
                    or (item.note or "")[:120]
                    or None,
                }
                for item in past
            ]
            counts["contacts_30d"] = partner.cc_interaction_count_30d
        states = dict(self._fields["state"]._description_selection(self.env))
        directions = dict(self._fields["direction"]._description_selection(self.env))
        return {
            "interaction_id": self.id,
            "number": self.phone or self.phone_e164 or "",
            "number_display": self._cc_display_number(),
            "direction": self.direction,
            "direction_label": directions.get(self.direction, self.direction),
            "state": self.state,
            "state_label": states.get(self.state, self.state),
            # UTC; the browser runs the timer and shows them in the user's tz
            "queued_at": fields.Datetime.to_string(self.queued_at),
            "answered_at": fields.Datetime.to_string(self.answered_at),
            "ended_at": fields.Datetime.to_string(self.ended_at),
            "softphone": self.provider == SOFTPHONE_PROVIDER,
            # what was already picked, so a reopened card keeps it
            "wrap_up": {
                "disposition_id": self.disposition_id.id or False,
                "reason_id": self.reason_id.id or False,
                "note": self.note or "",
                "resolved": self.is_resolved,
            },
            "team": {"id": self.team_id.id, "name": self.team_id.name}
            if self.team_id
            else None,
            "customer": customer,
            "tickets": tickets,
            "last_interactions": last,
            "satisfaction": self._cc_customer_satisfaction(partner)
            if partner
            else None,
            "counts": counts,
            **(choices or self._cc_wrap_up_choices()),
        }

    def _cc_display_number(self):
        """The caller's number as people read it (international format)."""
        if self.phone_e164:
            return phone_format(
                self.phone_e164,
                None,
                None,
                force_format="INTERNATIONAL",
                raise_exception=False,
            )
        return self.phone or ""

    def write(self, vals):
        res = super().write(vals)
        if "state" in vals:
            self._cc_notify_card_state()
        return res

    def _cc_notify_card_state(self):
        """Tell the agent's open card that its call changed state.

        Only the call's id and state: the card reads the rest again, as its
        reader, when it shows that call.
        """
        # sudo: the agent's user, to address the notification
        for call in self.sudo().filtered(
            lambda i: i.channel == "phone" and i.agent_id.user_id
        ):
            call.agent_id.user_id._bus_send(
                "contact_center.screen_pop_update",
                {"interaction_id": call.id, "state": call.state},
            )

    def cc_screen_pop_data(self):
        """The card's content for the browser (reopening a card)."""
        self._cc_check_card_user()
        return self._cc_screen_pop_payload()

    # ------------------------------------------------------------------
    # The card's buttons
    # ------------------------------------------------------------------
    def _cc_check_card_user(self):
        """Only the call's agent or a supervisor of its team acts on the card."""
        self.ensure_one()
        user = self.env.user
        if self.agent_id.user_id == user:
            return True
        if user.has_group("contact_center.group_contact_center_manager"):
            return True
        if (
            user.has_group("contact_center.group_contact_center_supervisor")
            and user in self.team_id.supervisor_ids
        ):
            return True
        raise AccessError(
            self.env._(
                "Only the agent who took %(call)s or a supervisor of its team can "
                "act on it.",
                call=self.display_name,
            )
        )

    def action_cc_create_partner(self, name):
        """One click: a contact with the caller's number, linked to the call."""
        self._cc_check_card_user()
        name = (name or "").strip()
        if not name:
            raise UserError(self.env._("Type the caller's name to create the contact."))
        # sudo: agents may lack the contact-creation right; the check above
        # limits this to the call's agent or supervisor, for this one caller
        partner = (
            self.env["res.partner"]
            .sudo()
            .create({"name": name, "phone": self.phone or self.phone_e164 or False})
            .sudo(False)
        )
        self.partner_id = partner
        return {"partner_id": partner.id, "payload": self._cc_screen_pop_payload()}

    def action_cc_link_partner(self, partner_id):
        """Attach an existing contact to the call (unknown or wrong caller)."""
        self._cc_check_card_user()
        partner = self.env["res.partner"].browse(int(partner_id)).exists()
        if not partner:
            raise UserError(self.env._("That contact no longer exists."))
        self.partner_id = partner
        return {"partner_id": partner.id, "payload": self._cc_screen_pop_payload()}

    def action_cc_create_lead(self):
        """A lead for the caller, tied to the call so the timeline shows both."""
        self._cc_check_card_user()
        number = self.phone or self.phone_e164 or ""
        # sudo: agents need not be salespeople; the check above limited this to
        # the call's own agent or supervisor, and only this one lead is created
        lead = (
            self.env["crm.lead"]
            .sudo()
            .create(
                {
                    "name": self.env._("Call from %s", self.partner_id.name or number),
                    "phone": number or False,
                    "partner_id": self.partner_id.id or False,
                    "user_id": self.env.uid,
                    "company_id": self.company_id.id,
                    "description": self.note or False,
                }
            )
        )
        if not self.res_model:
            self.write({"res_model": "crm.lead", "res_id": lead.id})
        return {"lead_id": lead.id}

    def action_cc_new_ticket(self):
        """A new-ticket form prefilled with the caller and the call's team."""
        self._cc_check_card_user()
        return {
            "type": "ir.actions.act_window",
            "res_model": "contact_center.ticket",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_partner_id": self.partner_id.id or False,
                "default_team_id": self.team_id.id or False,
                "default_channel": "phone",
            },
        }

    def action_cc_wrap_up(
        self, disposition_id=False, reason_id=False, note="", resolved=False
    ):
        """Save the agent's wrap-up and close the after-call work.

        Only once the call has ended: a wrap-up saved while the call still
        rings or is in progress would be "saved" with nothing closed.
        """
        self._cc_check_card_user()
        if self.state in (sm.QUEUED, sm.RINGING):
            raise UserError(
                self.env._(
                    "The call is still ringing: the wrap-up comes once it has "
                    "been answered and has ended."
                )
            )
        if self.state == sm.IN_PROGRESS:
            raise UserError(
                self.env._("The call is still in progress: end it before the wrap-up.")
            )
        disposition = self.env["contact_center.disposition"].browse(
            int(disposition_id or 0)
        )
        if not disposition.exists():
            raise UserError(self.env._("Pick a disposition to close the call."))
        vals = {
            "disposition_id": disposition.id,
            "reason_id": int(reason_id) if reason_id else False,
            "note": note or False,
            "is_resolved": bool(resolved) or disposition.marks_resolved,
        }
        self.write(vals)
        self._cc_finish_wrap_up()
        return True

    # ------------------------------------------------------------------
    # Softphone calls: no PBX reports on them, the agent does
    # ------------------------------------------------------------------
    def _cc_check_softphone_call(self):
        self.ensure_one()
        if self.provider != SOFTPHONE_PROVIDER:
            raise UserError(
                self.env._(
                    "The PBX reports how %(call)s goes: it cannot be set from "
                    "the card.",
                    call=self.display_name,
                )
            )

    def action_cc_softphone_outcome(self, outcome):
        """The agent says how a call dialled by their softphone went.

        ``answered`` puts the call in progress (the card then offers "End
        call"); ``no_answer``, ``busy`` and ``wrong_number`` end it with the
        matching state and disposition. Returns the card's new content.
        """
        self._cc_check_card_user()
        self._cc_check_softphone_call()
        if outcome != "answered" and outcome not in SOFTPHONE_OUTCOMES:
            raise UserError(
                self.env._("Unknown call outcome %(outcome)r.", outcome=outcome)
            )
        if self.state not in (sm.QUEUED, sm.RINGING):
            raise UserError(
                self.env._(
                    "%(call)s is no longer ringing: its outcome is already known.",
                    call=self.display_name,
                )
            )
        if outcome == "answered":
            self.action_answer()
            self._cc_sync_agent_presence()
        else:
            state, code = SOFTPHONE_OUTCOMES[outcome]
            disposition = self._cc_disposition_by_code(code)
            self.write(
                {
                    "state": state,
                    "ended_at": fields.Datetime.now(),
                    "disposition_id": disposition.id or self.disposition_id.id,
                }
            )
        return self._cc_screen_pop_payload()

    def action_cc_softphone_end(self):
        """The agent hung up a softphone call: its wrap-up starts."""
        self._cc_check_card_user()
        self._cc_check_softphone_call()
        if self.state != sm.IN_PROGRESS:
            raise UserError(
                self.env._(
                    "%(call)s is not in progress: there is no call to end.",
                    call=self.display_name,
                )
            )
        self.action_end()
        self._cc_sync_agent_presence()
        return self._cc_screen_pop_payload()

    def _cc_disposition_by_code(self, code):
        """The company's (or the shared) phone disposition with this code."""
        # sudo: dispositions are configuration every agent picks from
        return (
            self.env["contact_center.disposition"]
            .sudo()
            .search(
                [
                    ("code", "=", code),
                    ("channel", "in", (False, "phone")),
                    ("company_id", "in", (False, self.company_id.id)),
                ],
                order="company_id nulls last",
                limit=1,
            )
            .sudo(False)
        )

    @api.model
    def _cc_softphone_timeout(self):
        """Minutes after which a softphone call without an outcome closes."""
        value = (
            self.env["ir.config_parameter"]
            .sudo()  # sudo: a plain setting, read to close stale calls
            .get_param(SOFTPHONE_TIMEOUT_PARAM, SOFTPHONE_TIMEOUT_DEFAULT)
        )
        try:
            return max(int(value), 1)
        except (TypeError, ValueError):
            return SOFTPHONE_TIMEOUT_DEFAULT

    def _cc_close_softphone_calls(self, minutes):
        """Close these softphone calls as missed: nobody said how they went."""
        for call in self:
            end = call.queued_at + timedelta(minutes=minutes)
            note = self.env._(
                "Closed automatically: nobody reported how the call went within "
                "%(minutes)s minutes.",
                minutes=minutes,
            )
            call.write(
                {
                    "state": sm.MISSED,
                    "ended_at": end,
                    "note": "\n".join(filter(None, [call.note, note])),
                }
            )

    @api.model
    def cc_my_ringing_call(self):
        """The current agent's latest open call, to restore the card on reload.

        Asked by every backend page load, so users outside the contact center
        get a plain ``False`` instead of an access error.
        """
        if not self.env.user.has_group("contact_center.group_contact_center_agent"):
            return False
        minutes = self._cc_softphone_timeout()
        stale = self.search(
            [
                ("agent_id.user_id", "=", self.env.uid),
                ("provider", "=", SOFTPHONE_PROVIDER),
                ("state", "in", (sm.QUEUED, sm.RINGING)),
                ("queued_at", "<=", fields.Datetime.now() - timedelta(minutes=minutes)),
            ]
        )
        # the cron closes them too; on read, the card never comes back first
        stale._cc_close_softphone_calls(minutes)
        call = self.search(
            [
                ("agent_id.user_id", "=", self.env.uid),
                ("channel", "=", "phone"),
                ("state", "in", ("ringing", "in_progress", "wrap_up")),
            ],
            order="id desc",
            limit=1,
        )
        return call._cc_screen_pop_payload() if call else False
