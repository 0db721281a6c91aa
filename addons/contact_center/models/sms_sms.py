import logging
from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import UserError

from ..tools.phone import to_e164

_logger = logging.getLogger(__name__)

# Odoo's "Sent" state (submitted, no delivery report yet); its "sent" state
# reads "Delivered", which a provider's answer to the request does not prove
CC_SENT_STATE = "pending"


class SmsSms(models.Model):
    """Odoo's outgoing SMS, sent through the contact center's provider.

    When the company of an SMS has a provider set up for messaging, the SMS
    goes to that provider's connector instead of Odoo's SMS service (IAP),
    and is logged as an outbound interaction of the customer. Otherwise
    Odoo's own sending is untouched.
    """

    _inherit = "sms.sms"

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        providers = self._cc_providers()
        through_provider = self.filtered(lambda sms: sms.id in providers)
        others = self - through_provider
        result = None  # Odoo's sending returns nothing: kept for overrides
        if others:
            result = super(SmsSms, others)._send(
                unlink_failed=unlink_failed,
                unlink_sent=unlink_sent,
                raise_exception=raise_exception,
            )
        if through_provider:
            through_provider._cc_send(
                providers,
                unlink_failed=unlink_failed,
                unlink_sent=unlink_sent,
                raise_exception=raise_exception,
            )
        return result

    # ------------------------------------------------------------------
    # Which provider sends which SMS
    # ------------------------------------------------------------------

    def _cc_records(self):
        """{sms id: record} of the SMS posted on a record (one query per
        model)."""
        by_model = defaultdict(set)
        for sms in self:
            message = sms.mail_message_id
            if message.model and message.res_id and message.model in self.env:
                by_model[message.model].add(message.res_id)
        # sudo: the SMS queue is a system's; only the record's company, team
        # and link are read from it
        existing = {
            (model, record.id): record
            for model, res_ids in by_model.items()
            for record in self.env[model].sudo().browse(res_ids).exists()
        }
        records = {}
        for sms in self:
            message = sms.mail_message_id
            record = existing.get((message.model, message.res_id))
            if record:
                records[sms.id] = record
        return records

    def _cc_companies(self):
        """{sms id: company}: the company of the record the SMS was posted
        on, else the current company (a text sent to bare numbers)."""
        companies = dict.fromkeys(self.ids, self.env.company)
        for sms_id, record in self._cc_records().items():
            if record._fields.get("company_id", None) is not None and record.company_id:
                companies[sms_id] = record.company_id
        return companies

    def _cc_providers(self):
        """{sms id: provider} of the SMS whose company sends through one."""
        if not self:
            return {}
        companies = self._cc_companies()
        # sudo: the SMS queue is sent by whoever (or whichever cron) flushes
        # it; the provider is only used to send, its settings never leave
        Provider = self.env["contact_center.telephony.provider"].sudo()
        per_company = {
            company: Provider._cc_messaging_provider(company)
            for company in set(companies.values())
        }
        return {
            sms_id: per_company[company]
            for sms_id, company in companies.items()
            if per_company[company]
        }

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    def _cc_send(self, providers, unlink_failed, unlink_sent, raise_exception):
        """Send each SMS through its provider, then write the outcomes in
        batch: Odoo's states, failure types and notifications, and one
        outbound interaction per SMS sent. A failed SMS does not stop the
        others."""
        sent = {}  # sms id -> provider's message id
        failed = defaultdict(list)  # (failure type, reason) -> sms ids
        for sms in self:
            provider = providers[sms.id]
            if not sms.number:
                failed["sms_number_missing", False].append(sms.id)
                continue
            country = provider.company_id.partner_id.country_id.code or None
            if not to_e164(sms.number, country):
                failed["sms_number_format", False].append(sms.id)
                continue
            try:
                sent[sms.id] = provider._cc_send_message(
                    "sms", sms.number, sms.body or "", reference=sms.uuid
                )
            except UserError as exc:
                failed["sms_server", str(exc)].append(sms.id)
        _logger.info(
            "contact center: sent %s SMS through the provider, %s failed",
            len(sent),
            sum(len(ids) for ids in failed.values()),
        )
        sms_all = self.with_context(sms_skip_msg_notification=True)
        if sent:
            done = sms_all.browse(list(sent))
            done.sms_tracker_id._action_update_from_sms_state(CC_SENT_STATE)
            done.write(
                {
                    "state": CC_SENT_STATE,
                    "failure_type": False,
                    **({"to_delete": True} if unlink_sent else {}),
                }
            )
        for (failure_type, reason), sms_ids in failed.items():
            errors = sms_all.browse(sms_ids)
            errors.sms_tracker_id._action_update_from_sms_state(
                "error", failure_type=failure_type, failure_reason=reason
            )
            errors.write(
                {
                    "state": "error",
                    "failure_type": failure_type,
                    **({"to_delete": True} if unlink_failed else {}),
                }
            )
        self.browse(list(sent))._cc_log_interactions(sent, providers)
        self.mail_message_id._notify_message_notification_update()
        if raise_exception and failed:
            reasons = [reason for (__, reason) in failed if reason]
            raise UserError(
                reasons[0]
                if reasons
                else self.env._("Some SMS have a missing or invalid number.")
            )

    def _cc_log_interactions(self, message_ids, providers):
        """One outbound SMS interaction per SMS sent (``message_ids``: sms id
        -> provider's message id), on the customer's timeline and in the
        KPIs; a message id the provider already reported is not logged
        twice."""
        if not self:
            return
        Interaction = self.env["contact_center.interaction"].sudo()
        keys = {(providers[sms.id].code, message_ids[sms.id]) for sms in self}
        known = {
            (i.provider, i.external_id)
            for i in Interaction.search(
                [
                    ("provider", "in", list({code for code, __ in keys})),
                    ("external_id", "in", list({ext for __, ext in keys})),
                ]
            )
        }
        authors = self.mail_message_id.author_id.user_ids | self.env.user
        # sudo: the agents of the SMS authors, to credit them in the KPIs
        agents = (
            self.env["contact_center.agent"]
            .sudo()
            .search([("user_id", "in", authors.ids)])
        )
        agent_of = {(a.user_id.id, a.company_id.id): a for a in agents}
        records = self._cc_records()
        now = fields.Datetime.now()
        values = []
        for sms in self:
            provider = providers[sms.id]
            key = (provider.code, message_ids[sms.id])
            if key in known:
                continue
            known.add(key)
            company = provider.company_id
            message = sms.mail_message_id
            record = records.get(sms.id)
            users = message.author_id.user_ids or self.env.user
            agent = next(
                (
                    agent_of[u.id, company.id]
                    for u in users
                    if (u.id, company.id) in agent_of
                ),
                self.env["contact_center.agent"],
            )
            team_field = record._fields.get("team_id") if record else None
            team = (
                record.team_id
                if team_field is not None
                and team_field.comodel_name == "contact_center.team"
                else agent.team_ids[:1]
            )
            values.append(
                {
                    "name": (sms.body or "").strip().split("\n", 1)[0][:200],
                    "channel": "sms",
                    "direction": "outbound",
                    "state": "done",
                    "company_id": company.id,
                    "partner_id": sms.partner_id.id,
                    "phone": sms.number,
                    "team_id": team.id if team.company_id == company else False,
                    "agent_id": agent.id,
                    "queued_at": now,
                    "answered_at": now,
                    "ended_at": now,
                    "res_model": record._name if record else False,
                    "res_id": record.id if record else False,
                    "provider": provider.code,
                    "external_id": key[1],
                }
            )
        # sudo: the interaction is the system's record of an SMS sent; the
        # SMS queue may be flushed by a user who cannot create interactions
        Interaction.create(values)
