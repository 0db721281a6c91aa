from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.contact_center.tools import interaction_state as sm

PROVIDER = "livechat"
IDLE_MINUTES_PARAM = "contact_center_livechat.idle_minutes"
DEFAULT_IDLE_MINUTES = 60
# context key: who closed the session ("visitor", "operator"); unset: the system
CLOSED_BY_CONTEXT_KEY = "cc_livechat_closed_by"


class DiscussChannel(models.Model):
    """A live chat session of a channel with a contact center team is one
    ``contact_center.interaction``: offered to its agent (ringing) when the
    session starts or the chatbot hands it over, in progress from the
    agent's first message, done (or abandoned, missed when nobody answered)
    when it ends."""

    _inherit = "discuss.channel"

    @api.model_create_multi
    def create(self, vals_list):
        channels = super().create(vals_list)
        sessions = channels.filtered(
            lambda c: (
                c.channel_type == "livechat"
                and c.livechat_active
                and c.livechat_channel_id.cc_team_id
            )
        )
        if sessions:
            # sudo: a visitor (public) starts the session; the operator is an
            # agent only when Odoo's live chat routed it to one
            Agent = self.env["contact_center.agent"].sudo()
            agents = Agent.search(
                [("user_id.partner_id", "in", sessions.livechat_operator_id.ids)]
            )
            by_partner = {agent.user_id.partner_id: agent for agent in agents}
            for session in sessions:
                agent = by_partner.get(session.livechat_operator_id)
                if agent:
                    session._cc_open_interactions(agent)
        return channels

    def write(self, vals):
        ending = self.browse()
        if "livechat_active" in vals and not vals["livechat_active"]:
            ending = self.filtered(
                lambda c: c.channel_type == "livechat" and c.livechat_active
            )
        result = super().write(vals)
        if ending:
            ending._cc_end_interactions()
        return result

    def unlink(self):
        # Odoo removes sessions nobody wrote in: their contacts were missed
        self.filtered(lambda c: c.channel_type == "livechat")._cc_end_interactions()
        return super().unlink()

    def _close_livechat_session(self, **kwargs):
        # Odoo calls this when the visitor leaves, or (website_livechat) when
        # an operator cancels the chat request
        closed_by = "operator" if kwargs.get("operator") else "visitor"
        session = self.with_context(**{CLOSED_BY_CONTEXT_KEY: closed_by})
        return super(DiscussChannel, session)._close_livechat_session(**kwargs)

    def _action_unfollow(self, partner=None, guest=None):
        """The agent leaving a live chat ends their contact."""
        if partner and self.channel_type == "livechat":
            # sudo: the agent leaves; their own contact is closed
            open_ = self.sudo()._cc_interactions(sm.OPEN_STATES)
            mine = open_.filtered(lambda i: i.agent_id.user_id.partner_id == partner)
            self.with_context(**{CLOSED_BY_CONTEXT_KEY: "operator"})._cc_close(mine)
        return super()._action_unfollow(partner=partner, guest=guest)

    def _message_post_after_hook(self, message, msg_vals):
        result = super()._message_post_after_hook(message, msg_vals)
        if (
            self.channel_type == "livechat"
            and message.message_type == "comment"
            and message.author_id
        ):
            self._cc_answer(message)
        return result

    # ------------------------------------------------------------------
    # The session's interaction
    # ------------------------------------------------------------------
    def _cc_interactions(self, states=None):
        """The interactions of these sessions (in ``states`` if given)."""
        domain = [
            ("provider", "=", PROVIDER),
            ("external_id", "in", [str(channel.id) for channel in self]),
        ]
        if states:
            domain.append(("state", "in", list(states)))
        return self.env["contact_center.interaction"].search(domain)

    def _cc_open_interactions(self, agent):
        """Offer each of these sessions to ``agent``: one interaction each.

        A session has one interaction; a second hand-over (the chatbot run
        again) changes nothing.
        """
        # sudo: the system records the contact whoever the visitor is
        channels = self.sudo()
        Interaction = self.env["contact_center.interaction"].sudo()
        existing = set(channels._cc_interactions().mapped("external_id"))
        now = fields.Datetime.now()
        operator_partner = agent.user_id.partner_id
        vals_list = []
        for channel in channels:
            if str(channel.id) in existing:
                continue
            team = channel.livechat_channel_id.cc_team_id
            customers = channel.channel_member_ids.partner_id.filtered(
                lambda p, c=channel: (
                    p != operator_partner
                    and p != c.livechat_operator_id
                    and not p.user_ids.filtered(lambda u: not u.share)
                )
            )
            vals_list.append(
                {
                    "name": self.env._(
                        "Live chat on %(channel)s",
                        channel=channel.livechat_channel_id.name,
                    ),
                    "channel": "chat",
                    "direction": "inbound",
                    "state": sm.RINGING,
                    "company_id": team.company_id.id,
                    "team_id": team.id,
                    "agent_id": agent.id,
                    "partner_id": customers[:1].id,
                    "queued_at": now,
                    "res_model": channel._name,
                    "res_id": channel.id,
                    "provider": PROVIDER,
                    "external_id": str(channel.id),
                }
            )
        if not vals_list:
            return Interaction
        interactions = Interaction.create(vals_list)
        agent.sudo().write({"last_assigned_at": now})
        return interactions

    def _cc_answer(self, message):
        """The agent's first message answers the session's contact."""
        author = message.author_id
        # sudo: anyone in the chat posts; the author is compared, not shown
        if author == self.env.ref("base.partner_root") or not author.sudo().user_ids:
            return
        if author.sudo().user_ids.filtered("share") == author.sudo().user_ids:
            return  # a portal visitor writing
        waiting = self.sudo()._cc_interactions((sm.QUEUED, sm.RINGING))
        if waiting:
            waiting.action_answer(at=max(message.date, waiting.queued_at))

    def _cc_end_interactions(self):
        """End the open interactions of these sessions."""
        # sudo: the session ends for the system, whoever closed it
        self._cc_close(self.sudo()._cc_interactions(sm.OPEN_STATES))

    @api.model
    def _cc_close(self, interactions):
        """Close live chat contacts: done if answered; unanswered, abandoned
        when the visitor left, missed otherwise (nobody answered)."""
        closed_by = self.env.context.get(CLOSED_BY_CONTEXT_KEY)
        now = fields.Datetime.now()
        for interaction in interactions:
            at = max(now, interaction.answered_at or interaction.queued_at)
            if interaction.state in (sm.IN_PROGRESS, sm.WRAP_UP):
                interaction.action_done(at=at)
            elif closed_by == "visitor":
                interaction.action_abandon(at=at)
            else:
                interaction.action_miss(at=at)

    @api.model
    def _cron_close_idle_chats(self, batch_size=500):
        """End the contacts of live chats nobody wrote in for a while.

        A visitor who closes the browser tab does not leave the session: its
        contact would hold a place of the agent's chat capacity for ever.
        After ``contact_center_livechat.idle_minutes`` (60 by default; 0:
        never) without a message, the contact ends at the last message
        (done if answered, else missed); the Odoo session stays as it is.
        ``FOR UPDATE SKIP LOCKED``: two cron workers never close the same one.
        """
        minutes = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(IDLE_MINUTES_PARAM, DEFAULT_IDLE_MINUTES)
        )
        if minutes <= 0:
            return 0
        limit = fields.Datetime.now() - timedelta(minutes=minutes)
        Interaction = self.env["contact_center.interaction"]
        Interaction.flush_model()
        self.env["mail.message"].flush_model(["model", "res_id", "date"])
        self.env.cr.execute(
            """
            SELECT i.id, GREATEST(i.queued_at, i.answered_at, last.at)
              FROM contact_center_interaction i
         LEFT JOIN LATERAL (
                   SELECT max(m.date) AS at FROM mail_message m
                    WHERE m.model = 'discuss.channel' AND m.res_id = i.res_id
                   ) last ON TRUE
             WHERE i.provider = %(provider)s
               AND i.res_model = 'discuss.channel'
               AND i.state IN ('queued', 'ringing', 'in_progress')
               AND GREATEST(i.queued_at, i.answered_at, last.at) <= %(limit)s
          ORDER BY i.id
             LIMIT %(batch)s
               FOR UPDATE OF i SKIP LOCKED
            """,
            {"provider": PROVIDER, "limit": limit, "batch": batch_size},
        )
        rows = self.env.cr.fetchall()
        # sudo: the cron closes every company's idle chats
        for interaction_id, last_at in rows:
            interaction = Interaction.sudo().browse(interaction_id)
            if interaction.state == sm.IN_PROGRESS:
                interaction.action_done(at=last_at)
            else:
                interaction.action_miss(at=last_at)
        return len(rows)
