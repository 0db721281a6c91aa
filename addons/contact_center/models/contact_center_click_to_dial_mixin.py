import uuid

from odoo import fields, models
from odoo.exceptions import UserError

from ..tools import interaction_state as sm
from ..tools.notification import notification
from ..tools.phone import to_e164
from ..tools.telephony_connectors import ConnectorError


class ContactCenterClickToDialMixin(models.AbstractModel):
    """Click-to-dial from any record with a phone number.

    The call is logged as an outbound interaction before anything is dialled,
    so that a call the PBX refused still shows in the customer's history.
    """

    _name = "contact_center.click.to.dial.mixin"
    _description = "Click-to-Dial"

    def _cc_dial_partner(self):
        """The customer the call is for (the record itself or its partner)."""
        return self.env["res.partner"]

    def action_cc_dial(self, field_name="phone"):
        """Call the number in ``field_name`` as the current user's agent.

        With a connector, the PBX rings the agent's phone and then the
        customer.  Without one, a ``tel:`` link opens the agent's softphone;
        a ``sip:`` link when the agent's extension is a SIP URI (contains
        "@"), so a SIP client dials the number from that account's domain.
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
        number = to_e164(raw, company.country_id.code)
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
        partner = self._cc_dial_partner()
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
                "provider": provider.code or "click_to_dial",
                "external_id": f"odoo-{uuid.uuid4().hex}",
            }
        )
        if not provider:
            interaction.action_ring()
            scheme = "sip" if agent.extension and "@" in agent.extension else "tel"
            return {
                "type": "ir.actions.act_url",
                "url": f"{scheme}:{number}",
                "target": "self",
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
