import uuid

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import interaction_state as sm
from ..tools.notification import notification
from ..tools.phone import to_e164
from ..tools.telephony_connectors import ConnectorError

# provider code of the calls dialled by the agent's softphone, with no PBX to
# report on them: the agent reports their outcome on the card
SOFTPHONE_PROVIDER = "click_to_dial"


class ContactCenterClickToDialMixin(models.AbstractModel):
    """Click-to-dial from any record with a phone number.

    The call is logged as an outbound interaction before anything is dialled,
    so that a call the PBX refused still shows in the customer's history.
    """

    _name = "contact_center.click.to.dial.mixin"
    _description = "Click-to-Dial"
    # the phone and mobile fields the dial buttons sit beside
    _cc_dial_fields = ("phone", "mobile")

    cc_dial_phone_ok = fields.Boolean(
        string="Phone Can Be Dialled",
        compute="_compute_cc_dial_ok",
        help="The phone number can be dialled (it reads as an international number).",
    )
    cc_dial_mobile_ok = fields.Boolean(
        string="Mobile Can Be Dialled",
        compute="_compute_cc_dial_ok",
        help="The mobile number can be dialled (it reads as an international number).",
    )

    @api.depends(lambda self: list(self._cc_dial_fields))
    def _compute_cc_dial_ok(self):
        phone_field, mobile_field = self._cc_dial_fields
        for record in self:
            code = record._cc_dial_country().code
            record.cc_dial_phone_ok = bool(to_e164(record[phone_field], code))
            record.cc_dial_mobile_ok = bool(to_e164(record[mobile_field], code))

    def _cc_dial_partner(self):
        """The customer the call is for (the record itself or its partner)."""
        return self.env["res.partner"]

    def _cc_dial_country(self):
        """The country a national number of this record is read in: the
        customer's, as caller ID reads it, else the current company's."""
        partner = self._cc_dial_partner()
        return partner._cc_phone_country() if partner else self.env.company.country_id

    def action_cc_dial(self, field_name="phone"):
        """Call the number in ``field_name`` as the current user's agent.

        With a connector, the PBX rings the agent's phone and then the
        customer.  Without one, the browser hands a ``tel:`` URI to the
        agent's softphone (a ``sip:`` URI when the agent's extension is a SIP
        address, containing "@") and stays on the page; the screen pop shows
        the call and asks the agent how it went.
        """
        self.ensure_one()
        # form buttons cannot pass arguments: they name the field in context
        field_name = self.env.context.get("cc_dial_field") or field_name
        if field_name not in self._fields or self._fields[field_name].type != "char":
            raise UserError(
                self.env._("%(field)s is not a phone field.", field=field_name)
            )
        is_agent = self.env.user.has_group("contact_center.group_contact_center_agent")
        agent = is_agent and self.env["contact_center.agent"]._get_my_agent()
        if not agent:
            raise UserError(
                self.env._(
                    "You are not a contact-center agent: ask a manager to create "
                    "your agent record before calling customers."
                )
            )
        raw = self[field_name]
        if not raw:
            raise UserError(
                self.env._(
                    "%(record)s has no %(field)s number to call.",
                    record=self.display_name,
                    field=self._fields[field_name].get_description(self.env)["string"],
                )
            )
        company = agent.company_id or self.env.company
        # a national number is the customer's: read it in their country, as
        # caller ID does, else in the agent's company's
        partner = self._cc_dial_partner()
        country = self._cc_dial_country() if partner else company.country_id
        number = to_e164(raw, country.code)
        if not number:
            raise UserError(
                self.env._(
                    "%(number)s is not a valid phone number: correct it and "
                    "call again.",
                    number=raw,
                )
            )
        Provider = self.env["contact_center.telephony.provider"]
        provider = Provider._dial_provider(company)
        if provider and not agent.extension:
            raise UserError(
                self.env._(
                    "Your agent record has no extension: ask a manager to set the "
                    "extension of your phone before calling through the PBX."
                )
            )
        interaction = self.env["contact_center.interaction"].create(
            {
                "channel": "phone",
                "direction": "outbound",
                "state": sm.QUEUED,
                "company_id": company.id,
                "partner_id": partner.id or False,
                "phone": number,
                "team_id": agent.team_ids[:1].id,
                "agent_id": agent.id,
                "user_id": self.env.uid,
                "res_model": self._name,
                "res_id": self.id,
                "provider": provider.code or SOFTPHONE_PROVIDER,
                "external_id": f"odoo-{uuid.uuid4().hex}",
            }
        )
        if not provider:
            interaction.action_ring()
            scheme = "sip" if agent.extension and "@" in agent.extension else "tel"
            # a client action, not an act_url: the web client would turn
            # "tel:..." into the page "/tel:..." and leave Odoo. The browser
            # hands the URI to the softphone and stays; the card shows the
            # call until the agent says how it went (or it times out)
            return {
                "type": "ir.actions.client",
                "tag": "contact_center_softphone_dial",
                "params": {
                    "uri": f"{scheme}:{number}",
                    "card": interaction._cc_screen_pop_payload(),
                },
            }
        try:
            pbx_call_id = provider._originate(agent, number, interaction)
        except ConnectorError as exc:
            interaction.write(
                {
                    "state": sm.FAILED,
                    "ended_at": fields.Datetime.now(),
                    "note": self.env._(
                        "The call could not be started: %(error)s", error=str(exc)
                    ),
                }
            )
            # a notification rather than an exception: raising would roll
            # back the failed interaction the user may want to look at
            return notification(
                self.env._("Call failed"),
                self.env._(
                    "The call to %(number)s could not be started: %(error)s",
                    number=number,
                    error=str(exc),
                ),
                "danger",
            )
        vals = {"state": sm.RINGING}
        if pbx_call_id and pbx_call_id != interaction.external_id:
            vals["external_id"] = pbx_call_id
        interaction.write(vals)
        return notification(
            self.env._("Calling %(number)s", number=number),
            self.env._("Your phone rings first; pick it up to reach the customer."),
            "info",
        )
