import re
from datetime import datetime, timedelta

import pytz
from markupsafe import escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext
from odoo.tools.translate import LazyTranslate

from .contact_center_campaign import AUTO_MODES
from .contact_center_campaign_contact import OUTCOMES

_lt = LazyTranslate(__name__)

# the outcome buttons in the order agents reach for them, with the key that
# records each; "do not call" and "failed" have no key: one stray key press
# must not put a number on the do-not-call list
PANEL_OUTCOMES = [
    ("no_answer", _lt("No Answer"), "1"),
    ("busy", _lt("Busy"), "2"),
    ("voicemail", _lt("Voicemail"), "3"),
    ("interested", _lt("Interested"), "4"),
    ("sale", _lt("Sale"), "5"),
    ("not_interested", _lt("Not Interested"), "6"),
    ("wrong_person", _lt("Wrong Person"), "7"),
    ("wrong_number", _lt("Wrong Number"), "8"),
    ("callback", _lt("Callback"), "9"),
    ("failed", _lt("Call Failed"), ""),
    ("do_not_call", _lt("Do Not Call"), ""),
]
# modes in which the agent sees the contact before the call and may skip it
SKIPPABLE_MODES = ("preview", "progressive")
HISTORY_SIZE = 5
PLACEHOLDER = re.compile(r"\$\{\s*([a-z_]+)\s*\}")


class ContactCenterDialerPanel(models.AbstractModel):
    """What the agent's dialer panel shows and does.

    Every method acts for the current user's agent: it refuses (AccessError)
    a campaign the agent does not work on and a contact another agent holds.
    The queue itself is only changed through the campaign's hand-out
    (``_take_next_contact``) and the contact's ``_record_outcome``.
    """

    _name = "contact_center.dialer.panel"
    _description = "Agent Dialer Panel"

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------
    @api.model
    def _my_agent(self):
        if not self.env.user.has_group("contact_center.group_contact_center_agent"):
            raise AccessError(self.env._("The dialer is for contact-center agents."))
        agent = self.env["contact_center.agent"]._get_my_agent()
        if not agent:
            raise AccessError(
                self.env._(
                    "You have no agent record: ask a manager to create it "
                    "before taking campaign calls."
                )
            )
        return agent

    @api.model
    def _my_campaigns(self, agent):
        """Running campaigns the agent may take contacts from."""
        campaigns = self.env["contact_center.campaign"].search(
            [("state", "=", "running")]
        )
        return campaigns.filtered(lambda c: c._may_take(agent))

    @api.model
    def _check_campaign(self, campaign_id, agent):
        campaign = self.env["contact_center.campaign"].browse(int(campaign_id)).exists()
        if not campaign or not campaign._may_take(agent):
            raise AccessError(
                self.env._("You are not an agent of this campaign: ask its supervisor.")
            )
        return campaign

    @api.model
    def _check_contact(self, contact_id, agent):
        """The contact, if the agent holds it now in a campaign of theirs."""
        contact = (
            self.env["contact_center.campaign.contact"].browse(int(contact_id)).exists()
        )
        if (
            not contact
            or contact.state != "in_progress"
            or contact.agent_id != agent
            or not contact.campaign_id._may_take(agent)
        ):
            raise AccessError(
                self.env._(
                    "This contact is not yours to call: take the next contact "
                    "from your campaign."
                )
            )
        return contact

    # ------------------------------------------------------------------
    # What the panel shows
    # ------------------------------------------------------------------
    @api.model
    def get_state(self, campaign_id=None):
        """The panel's data: the campaigns the agent may work, the chosen
        one (the one asked for, else the one where the agent holds a
        contact, else the only one), its mode, the contact the agent holds
        in it with numbers, script and history, and the outcomes."""
        agent = self._my_agent()
        campaigns = self._my_campaigns(agent)
        Contact = self.env["contact_center.campaign.contact"]
        if campaign_id:
            campaign = self._check_campaign(campaign_id, agent)
        else:
            held = Contact.search(
                [
                    ("agent_id", "=", agent.id),
                    ("state", "=", "in_progress"),
                    ("campaign_id", "in", campaigns.ids),
                ],
                limit=1,
            )
            campaign = held.campaign_id or (
                campaigns if len(campaigns) == 1 else campaigns.browse()
            )
        contact = (
            Contact.search(
                [
                    ("campaign_id", "=", campaign.id),
                    ("agent_id", "=", agent.id),
                    ("state", "=", "in_progress"),
                ],
                limit=1,
            )
            if campaign
            else Contact
        )
        modes = dict(
            self.env["contact_center.campaign"]
            ._fields["dialer_mode"]
            ._description_selection(self.env)
        )
        return {
            "campaigns": [
                {
                    "id": c.id,
                    "name": c.name,
                    "mode": c.dialer_mode,
                    "mode_label": modes[c.dialer_mode],
                }
                for c in campaigns
            ],
            "campaign": {
                "id": campaign.id,
                "name": campaign.name,
                "mode": campaign.dialer_mode,
                "mode_label": modes[campaign.dialer_mode],
                "purpose": campaign.purpose or "",
                "can_skip": campaign.dialer_mode in SKIPPABLE_MODES,
                # power, predictive: the dialer calls and connects the agent
                "is_auto": campaign.dialer_mode in AUTO_MODES,
                # progressive: the call starts through the PBX after the preview
                "dials_after_preview": campaign.dialer_mode == "progressive",
                "preview_seconds": campaign.preview_seconds,
                "pending_count": campaign.pending_count,
            }
            if campaign
            else False,
            "contact": self._contact_data(contact, agent) if contact else False,
            "outcomes": campaign._panel_outcomes() if campaign else [],
            "agent_id": agent.id,
            "presence": agent.presence,
            "joined": bool(campaign) and agent.sudo().dialer_campaign_id == campaign,
        }

    @api.model
    def _contact_tz(self, contact):
        return contact.tz or contact.campaign_id._default_contact_tz()

    @api.model
    def _contact_data(self, contact, agent):
        tz = self._contact_tz(contact)
        scheme = "sip" if agent.extension and "@" in agent.extension else "tel"
        kinds = dict(
            contact.number_ids._fields["kind"]._description_selection(self.env)
        )
        numbers = contact.number_ids.filtered("active").sorted("sequence")
        return {
            "id": contact.id,
            "name": contact.name,
            "email": contact.email or contact.partner_id.email or "",
            "tz": tz,
            "attempts": contact.attempts,
            "last_outcome": dict(OUTCOMES).get(contact.last_outcome, "")
            if contact.last_outcome
            else "",
            "partner_id": contact.partner_id.id,
            "numbers": [
                {
                    "id": number.id,
                    "kind": kinds.get(number.kind, number.kind),
                    "phone": number.phone_e164,
                    "uri": f"{scheme}:{number.phone_e164}",
                    "is_current": number == contact.number_id,
                }
                for number in numbers
            ],
            "call": self._call_data(contact),
            "script": self._render_script(contact),
            "history": self._history(contact),
        }

    @api.model
    def _call_data(self, contact):
        """The call the dialer placed for the contact, as the panel shows it."""
        call = contact.sudo().interaction_id  # sudo: the system's call record
        if not call:
            return False
        states = dict(call._fields["state"]._description_selection(self.env))
        return {
            "id": call.id,
            "state": call.state,
            "state_label": states.get(call.state, call.state),
            "connected": bool(call.dialer_connected_at),
        }

    @api.model
    def _script_values(self, contact):
        """The contact's fields a script may name as ${field}."""
        partner = contact.partner_id
        name = contact.name or partner.name or ""
        return {
            "name": name,
            "first_name": name.split()[0] if name.strip() else "",
            "email": contact.email or partner.email or "",
            "phone": contact.number_id.phone_e164 or "",
            "company": partner.commercial_company_name or partner.parent_id.name or "",
            "city": partner.city or "",
            "country": partner.country_id.name or "",
            "campaign": contact.campaign_id.name or "",
            "agent": self.env.user.name or "",
        }

    @api.model
    def _render_script(self, contact):
        """The campaign's script with ${field} replaced by the contact's
        values, HTML-escaped: a name such as "<b>" is shown, never run.
        Unknown names are left as written, so a typo shows."""
        script = contact.campaign_id.script
        if not script or not html2plaintext(script).strip():
            return ""
        values = self._script_values(contact)

        def fill(match):
            key = match.group(1)
            return str(escape(values[key])) if key in values else match.group(0)

        return PLACEHOLDER.sub(fill, str(script))

    @api.model
    def _history(self, contact):
        """The last interactions with the contact's customer (or of this
        campaign contact when there is no customer), newest first."""
        if contact.partner_id:
            domain = [("partner_id", "=", contact.partner_id.id)]
        else:
            domain = [
                ("res_model", "=", contact._name),
                ("res_id", "=", contact.id),
            ]
        interactions = self.env["contact_center.interaction"].search(
            domain, order="queued_at desc, id desc", limit=HISTORY_SIZE
        )
        states = dict(interactions._fields["state"]._description_selection(self.env))
        directions = dict(
            interactions._fields["direction"]._description_selection(self.env)
        )
        channels = dict(
            interactions._fields["channel"]._description_selection(self.env)
        )
        return [
            {
                "id": i.id,
                "at": fields.Datetime.to_string(i.queued_at) if i.queued_at else "",
                "channel": channels.get(i.channel, i.channel),
                "direction": directions.get(i.direction, i.direction),
                "state": states.get(i.state, i.state),
                "disposition": i.disposition_id.display_name or "",
                "agent": i.agent_id.display_name or "",
                "note": i.note or "",
            }
            for i in interactions
        ]

    # ------------------------------------------------------------------
    # What the agent does
    # ------------------------------------------------------------------
    @api.model
    def take_next(self, campaign_id):
        """Hand the agent the next contact of the campaign; an agent who
        already holds one there keeps it (one call at a time)."""
        agent = self._my_agent()
        campaign = self._check_campaign(campaign_id, agent)
        if campaign.state != "running":
            raise UserError(
                self.env._(
                    "%(campaign)s is not running: no contacts are handed out.",
                    campaign=campaign.name,
                )
            )
        held = self.env["contact_center.campaign.contact"].search_count(
            [
                ("campaign_id", "=", campaign.id),
                ("agent_id", "=", agent.id),
                ("state", "=", "in_progress"),
            ]
        )
        taken = True
        if not held:
            self._check_ready(agent, campaign)
            taken = bool(campaign._take_next_contact(agent))
        state = self.get_state(campaign.id)
        state["nothing_to_call"] = not taken
        return state

    @api.model
    def _check_ready(self, agent, campaign):
        """Contacts go to agents who are available, and to blended agents
        only while their inbound queues are short enough."""
        if agent.presence != "available":
            raise UserError(
                self.env._(
                    "You are %(presence)s: set yourself Available to take calls.",
                    presence=dict(
                        agent._fields["presence"]._description_selection(self.env)
                    )[agent.presence],
                )
            )
        if agent.is_blended and agent._dialer_blend_held_back():
            raise UserError(
                self.env._(
                    "Inbound callers are waiting in your team's queue: they come "
                    "first while you are blended."
                )
            )

    @api.model
    def join(self, campaign_id):
        """Log the agent in to a power or predictive campaign: the dialer
        connects them to the calls it places while they are available. An
        offline agent becomes available; an agent on break stays on break
        (and gets no call) until they come back."""
        agent = self._my_agent()
        campaign = self._check_campaign(campaign_id, agent)
        if campaign.state != "running":
            raise UserError(
                self.env._(
                    "%(campaign)s is not running: no calls are placed.",
                    campaign=campaign.name,
                )
            )
        previous = agent.sudo().dialer_campaign_id
        # sudo: joining sets a system field of the agent's own record
        agent.sudo().dialer_campaign_id = campaign
        if previous and previous != campaign:
            previous._dialer_stop_if_unstaffed()
        if agent.presence == "offline":
            agent._set_presence("available")
        campaign._dialer_tick()
        return self.get_state(campaign.id)

    @api.model
    def leave(self):
        """Log the agent out of their campaign; the last one out stops its
        automatic dialing, calls in flight included."""
        agent = self._my_agent()
        campaign = agent.sudo().dialer_campaign_id
        # sudo: leaving clears a system field of the agent's own record
        agent.sudo().dialer_campaign_id = False
        if campaign:
            campaign._dialer_stop_if_unstaffed()
        return self.get_state(campaign.id if campaign else None)

    @api.model
    def poll(self, campaign_id):
        """What the panel shows now; a joined agent's panel also paces the
        campaign between the PBX's events."""
        agent = self._my_agent()
        campaign = self._check_campaign(campaign_id, agent)
        if agent.sudo().dialer_campaign_id == campaign:
            campaign._dialer_tick()
        return self.get_state(campaign.id)

    @api.model
    def dial_now(self, contact_id):
        """Progressive: the preview is over, the PBX rings the agent and then
        the contact's number."""
        agent = self._my_agent()
        contact = self._check_contact(contact_id, agent)
        campaign = contact.campaign_id
        if campaign.dialer_mode != "progressive":
            raise UserError(
                self.env._("Only progressive campaigns dial after the preview.")
            )
        if not contact.sudo().interaction_id:
            # sudo: the agent holding the contact (checked above) starts its call
            contact.sudo()._dialer_originate(agent)
        return self.get_state(campaign.id)

    @api.model
    def _callback_utc(self, contact, callback_at):
        """``callback_at`` ("YYYY-MM-DD HH:MM", or with a "T") read in the
        contact's time zone, as naive UTC."""
        if isinstance(callback_at, datetime):
            local = callback_at
        else:
            text = str(callback_at).strip().replace("T", " ")
            local = None
            for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
                try:
                    local = datetime.strptime(text, pattern)
                    break
                except ValueError:
                    continue
            if local is None:
                raise UserError(
                    self.env._(
                        "%(value)s is not a date and time: pick the day and the hour.",
                        value=callback_at,
                    )
                )
        zone = pytz.timezone(self._contact_tz(contact))
        try:
            aware = zone.localize(local, is_dst=None)
        except pytz.AmbiguousTimeError:
            # the hour that comes twice when clocks go back: the first one
            aware = zone.localize(local, is_dst=True)
        except pytz.NonExistentTimeError as error:
            raise UserError(
                self.env._(
                    "%(time)s does not exist in %(tz)s (the clocks move forward "
                    "that night): pick another time.",
                    time=local.strftime("%Y-%m-%d %H:%M"),
                    tz=zone.zone,
                )
            ) from error
        utc = aware.astimezone(pytz.utc).replace(tzinfo=None)
        if utc <= fields.Datetime.now():
            raise UserError(self.env._("Pick a callback time in the future."))
        return utc

    @api.model
    def record_outcome(
        self, contact_id, outcome, callback_at=None, callback_for_me=True, note=None
    ):
        """Record how the call to the agent's contact went. A callback's time
        is the contact's local time, as the agent picked it; it is kept for
        the agent (``callback_for_me``) or for any agent of the campaign."""
        agent = self._my_agent()
        contact = self._check_contact(contact_id, agent)
        campaign = contact.campaign_id
        if outcome not in dict(OUTCOMES):
            raise UserError(self.env._("Unknown outcome: %s", outcome))
        if outcome not in {line["code"] for line in campaign._panel_outcomes()}:
            raise UserError(
                self.env._(
                    "%(campaign)s does not offer this outcome: pick one of its "
                    "buttons.",
                    campaign=campaign.name,
                )
            )
        utc = None
        if outcome == "callback":
            if not callback_at:
                raise UserError(self.env._("Pick when to call back."))
            utc = self._callback_utc(contact, callback_at)
        for_me = outcome == "callback" and callback_for_me
        contact._record_outcome(
            outcome,
            callback_at=utc,
            callback_agent=agent if for_me else None,
            note=(note or "").strip() or None,
        )
        return self.get_state(campaign.id)

    @api.model
    def skip(self, contact_id):
        """Preview: give the contact back without calling; no attempt is
        counted and the contact goes behind those waiting."""
        agent = self._my_agent()
        contact = self._check_contact(contact_id, agent)
        campaign = contact.campaign_id
        if campaign.dialer_mode not in SKIPPABLE_MODES:
            raise UserError(
                self.env._(
                    "In %(mode)s mode the dialer has already called: record how "
                    "the call went instead of skipping.",
                    mode=dict(
                        campaign._fields["dialer_mode"]._description_selection(self.env)
                    )[campaign.dialer_mode],
                )
            )
        # sudo: the agent holding the contact (checked above) gives it back;
        # agents do not write the queue otherwise
        if contact.sudo().interaction_id:
            raise UserError(
                self.env._("The call has started: record how it went instead.")
            )
        is_callback = contact.last_outcome == "callback"
        contact.sudo().write(
            {
                # a callback skipped stays a callback
                "state": "callback" if is_callback else "pending",
                "agent_id": False,
                "number_id": False,
                "lease_until": False,
                # behind the contacts never tried yet and those already due
                "next_attempt_at": fields.Datetime.now() + timedelta(seconds=1),
            }
        )
        return self.get_state(campaign.id)
