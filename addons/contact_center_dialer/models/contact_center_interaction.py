from odoo import api, fields, models

from ..tools import pacing

# inbound calls that did not get through: the customer is called back
UNREACHED_STATES = ("abandoned", "missed")


ANSWERED_BY = [("human", "Person"), ("machine", "Answering Machine")]
HANG_UP_REASONS = [
    ("no_agent", "No agent logged in"),
    ("campaign_stopped", "Campaign paused or stopped"),
]


class ContactCenterInteraction(models.Model):
    _inherit = "contact_center.interaction"

    campaign_id = fields.Many2one(
        "contact_center.campaign",
        string="Campaign",
        readonly=True,
        index="btree_not_null",
        help="The outbound campaign this call was made for.",
    )
    campaign_contact_id = fields.Many2one(
        "contact_center.campaign.contact",
        string="Campaign Contact",
        readonly=True,
        index="btree_not_null",
    )
    campaign_number_id = fields.Many2one(
        "contact_center.campaign.number", string="Number Called", readonly=True
    )
    is_dialer_call = fields.Boolean(
        string="Placed by the Dialer",
        readonly=True,
        help="The dialer started the call (progressive, power or predictive), "
        "not the agent.",
    )
    dialer_answered_by = fields.Selection(
        ANSWERED_BY,
        string="Answered By",
        readonly=True,
        help="Who picked up, as the PBX detected it.",
    )
    dialer_connected_at = fields.Datetime(
        string="Agent Connected",
        readonly=True,
        help="When an agent was connected to the answered call.",
    )
    is_dialer_abandoned = fields.Boolean(
        string="Abandoned by the Dialer",
        readonly=True,
        help="A person answered and no agent was connected within 2 seconds: "
        "the campaign's identification message was played instead.",
    )
    dialer_hang_up_reason = fields.Selection(
        HANG_UP_REASONS,
        string="Hung Up By the Dialer",
        readonly=True,
        help="Why the dialer ended the call before anyone answered.",
    )

    def init(self):
        # the abandon rate reads a campaign's answered calls over its window
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS contact_center_interaction_campaign_answer_idx
                ON contact_center_interaction (campaign_id, answered_at)
             WHERE campaign_id IS NOT NULL AND dialer_answered_by IS NOT NULL
            """
        )

    @api.model_create_multi
    def create(self, vals_list):
        interactions = super().create(vals_list)
        interactions._cc_sync_callbacks()
        return interactions

    def write(self, vals):
        result = super().write(vals)
        if {"state", "answered_at", "callback_requested"} & set(vals):
            # a callback request is queued when it is made, not again when
            # the interaction moves on (an agent closing the chat)
            self._cc_sync_callbacks(queue_requests=bool(vals.get("callback_requested")))
        return result

    @api.model
    def _cc_calls_folded(self, legs):
        """React to the PBX's news on the calls the dialer placed: a person
        answered (bridge an agent, or abandon), a machine answered (leave the
        message), the call ended unanswered (no answer, busy, failed) or on
        a machine (voicemail). Events come again and out of order: each step
        happens once, when the call's record first shows it. Then the
        campaigns pace again."""
        result = super()._cc_calls_folded(legs)
        campaigns = self.env["contact_center.campaign"]
        for call, leg in legs:
            if not call.is_dialer_call:
                continue
            campaigns |= call.campaign_id
            call = call.sudo()  # sudo: the dialer's own call, moved by the PBX
            values = {}
            answered_by = leg.answered_by or (
                "human" if leg.answered_at and leg.connected_at else None
            )
            first_answer = answered_by and not call.dialer_answered_by
            if first_answer:
                values["dialer_answered_by"] = answered_by
            if leg.connected_at and not call.dialer_connected_at:
                values["dialer_connected_at"] = leg.connected_at
                if pacing.is_abandoned(leg.answered_at, leg.connected_at):
                    # connected, but too late: the rule counts it abandoned
                    values["is_dialer_abandoned"] = True
            if values:
                call.write(values)
            contact = call.campaign_contact_id
            if contact.interaction_id != call or contact.state != "in_progress":
                # the attempt is closed already: the agent recorded how it
                # went before the call ended, so the wrap-up is over too
                if call.state == "wrap_up":
                    call._cc_finish_wrap_up()
                continue
            if leg.ended_at is None:
                if first_answer and answered_by == "machine":
                    contact._dialer_machine(call)
                elif first_answer and not leg.connected_at and not contact.agent_id:
                    contact._dialer_connect(call)
                continue
            if not leg.answered_at:
                cause = leg.cause if leg.cause in ("busy", "failed") else "no_answer"
                contact._dialer_result(cause)
            elif call.dialer_answered_by == "machine":
                contact._dialer_result("voicemail")
            elif not call.dialer_connected_at:
                # the person hung up before an agent was connected
                call.write({"is_dialer_abandoned": True})
                contact._dialer_result("abandoned")
            # connected calls: the agent records how it went
        campaigns._dialer_tick()
        return result

    def _cc_sync_callbacks(self, queue_requests=True):
        """Queue a callback for inbound calls that did not get through and,
        with ``queue_requests``, for customers who asked to be called back
        (an offline chat message with a phone number), on any channel; close
        the open callbacks of callers who got through."""
        inbound = self.filtered(
            lambda i: (
                i.direction == "inbound"
                and i.phone_e164
                and i.team_id
                and not i.is_transfer_leg
            )
        )
        calls = inbound.filtered(lambda i: i.channel == "phone")
        requests = (
            inbound.filtered("callback_requested") if queue_requests else inbound[:0]
        )
        if not calls and not requests:
            return
        missed = calls.filtered(lambda i: i.state in UNREACHED_STATES) | requests
        reached = calls.filtered("answered_at")
        Contact = self.env["contact_center.campaign.contact"].sudo()
        if reached:
            Contact._cc_close_callbacks(reached)
        if missed:
            Contact._cc_queue_callbacks(missed)
