from odoo import api, fields, models, tools
from odoo.exceptions import UserError

from odoo.addons.contact_center.tools.phone import to_e164

# what a visitor may type, at most: enough for a message, not a document
MAX_LENGTHS = {"name": 200, "email": 200, "phone": 40, "message": 10000}
CHECKED = (True, 1, "1", "on", "true", "True")


class ContactCenterTicket(models.Model):
    _inherit = "contact_center.ticket"

    # ------------------------------------------------------------------
    # Offline chat messages
    # ------------------------------------------------------------------
    @api.model
    def _cc_offline_clean(self, values, company):
        """The visitor's form values, cleaned, and {field: error} for the
        ones that cannot be used (an empty dict when all can).

        ``values``: name, email, phone, message as typed, and callback (one
        of ``CHECKED`` when they ask to be called back). National phone
        numbers are read in the country of ``company``.
        """
        clean = {
            key: str(values.get(key) or "").strip()[:limit]
            for key, limit in MAX_LENGTHS.items()
        }
        # a checked box posts "on" (or its value); JSON sends true
        clean["callback"] = values.get("callback") in CHECKED
        errors = {}
        if not clean["message"]:
            errors["message"] = self.env._("Please write your message.")
        if clean["email"]:
            email = tools.email_normalize(clean["email"], strict=True)
            # a visitor's address must reach them: a bare host such as
            # "name@localhost", valid for Odoo, is a typo on a public form
            if email and "." not in email.rpartition("@")[2]:
                email = False
            if not email:
                errors["email"] = self.env._(
                    "\u201c%s\u201d is not an email address: it should look "
                    "like name@example.com.",
                    clean["email"],
                )
            clean["email_normalized"] = email or ""
        else:
            clean["email_normalized"] = ""
        clean["phone_e164"] = ""
        if clean["phone"]:
            e164 = to_e164(clean["phone"], company.partner_id.country_id.code)
            if not e164:
                errors["phone"] = self.env._(
                    "\u201c%s\u201d is not a phone number we can call: write "
                    "it with its country code, for example +32 2 555 31 31.",
                    clean["phone"],
                )
            clean["phone_e164"] = e164 or ""
        elif clean["callback"]:
            errors["phone"] = self.env._(
                "Leave your phone number so that we can call you back."
            )
        if not clean["email"] and not clean["phone"] and "phone" not in errors:
            errors["email"] = self.env._(
                "Leave your email address or your phone number so that we "
                "can answer you."
            )
        return clean, errors

    @api.model
    def _cc_offline_partner(self, clean, company):
        """The customer who left the message, found the way the email
        gateway finds senders: by their email address, an unknown address
        becoming a new contact as for an email from a stranger; without an
        address, by their phone number as caller ID does, else a new contact.
        A contact created here gets the phone number typed; an existing one
        is never changed on the word of an anonymous visitor."""
        Ticket = self.with_company(company)
        if clean["email_normalized"]:
            address = tools.formataddr((clean["name"], clean["email_normalized"]))
            partner = Ticket._mail_find_partner_from_emails([address])[0]
            if partner:
                return partner
            partner = Ticket._ticket_partner_from_email(address)
            if partner and clean["phone_e164"]:
                partner.phone = clean["phone_e164"]
            return partner
        Partner = self.env["res.partner"].with_company(company)
        found = Partner._cc_find_by_phones([clean["phone_e164"]], company=company)
        return found.get(clean["phone_e164"]) or Partner.create(
            {"name": clean["name"] or clean["phone"], "phone": clean["phone_e164"]}
        )

    @api.model
    def _cc_create_offline_message(self, livechat_channel, values):
        """Turn a visitor's offline chat message into a ticket of the
        channel's team, acknowledged like an email request; with a phone
        number and a callback asked, also a missed chat interaction that
        asks for a callback (the dialer puts it on the team's callback list).

        The caller validates first (``_cc_offline_clean``): invalid values
        raise a UserError here. Called as superuser by the public routes.
        Returns the ticket.
        """
        team = livechat_channel.cc_team_id
        if not team:
            raise UserError(self.env._("This chat channel takes no messages."))
        company = team.company_id
        clean, errors = self._cc_offline_clean(values, company)
        if errors:
            raise UserError("\n".join(errors.values()))
        partner = self._cc_offline_partner(clean, company)
        Ticket = self.with_company(company)
        who = clean["name"] or partner.name or clean["email"] or clean["phone"]
        body = tools.plaintext2html(clean["message"])
        ticket = Ticket.create(
            {
                "name": self.env._("Chat message from %s", who),
                "description": body,
                "channel": "chat",
                "team_id": team.id,
                "company_id": company.id,
                "partner_id": partner.id,
                # no address typed: nothing is emailed to a contact found by
                # phone on the word of whoever typed the number
                "email_from": tools.formataddr((who, clean["email_normalized"]))
                if clean["email_normalized"]
                else False,
            }
        )
        # the customer's words, posted for them: no canned response expanded,
        # never an agent's answer (even with an employee's address typed), no
        # email interaction (the callback request, if any, is the contact)
        ticket.with_context(cc_customer_message=True).message_post(
            body=body,
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        # the email gateway's acknowledgement: the same template, expected
        # time, loop and rate guards
        ticket._acknowledge()
        if clean["callback"]:
            now = fields.Datetime.now()
            self.env["contact_center.interaction"].with_company(company).create(
                {
                    "name": self.env._(
                        "Call-back asked in a chat message: %s", ticket.reference
                    ),
                    "channel": "chat",
                    "direction": "inbound",
                    "state": "missed",
                    "company_id": company.id,
                    "partner_id": partner.id,
                    # E.164 whatever the contact's country: read once, here
                    "phone": clean["phone_e164"],
                    "email": clean["email_normalized"] or False,
                    "team_id": team.id,
                    "queued_at": now,
                    "ended_at": now,
                    "callback_requested": True,
                    "res_model": ticket._name,
                    "res_id": ticket.id,
                }
            )
        return ticket
