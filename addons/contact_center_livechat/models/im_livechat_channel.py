import dataclasses

from odoo import api, fields, models
from odoo.http import request

from odoo.addons.contact_center.tools import routing

# context key: the page the visitor chats from, when no HTTP request tells it
URL_CONTEXT_KEY = "cc_livechat_url"


class ImLivechatChannel(models.Model):
    _inherit = "im_livechat.channel"

    cc_team_id = fields.Many2one(
        "contact_center.team",
        string="Contact Center Team",
        help="The team whose agents answer this channel's chats, chosen by "
        "presence and chat capacity; its business hours decide when visitors "
        "may leave a message instead.",
    )

    # ------------------------------------------------------------------
    # Availability: whether the chat button shows
    # ------------------------------------------------------------------
    @api.depends("user_ids.im_status", "cc_team_id")
    def _compute_available_operator_ids(self):
        """Channels of a team: the operators the routing engine could give a
        chat to now (team open, agent available under chat capacity), whatever
        the skills a page asks; other channels keep Odoo's rule."""
        plain = self.filtered(lambda channel: not channel.cc_team_id)
        result = super(ImLivechatChannel, plain)._compute_available_operator_ids()
        for channel in self - plain:
            agents, team_states = channel._cc_routing_pool()
            team_id, _reason = routing.resolve_team(channel.cc_team_id.id, team_states)
            ordered = []
            if team_id is not None:
                ordered, _reason = routing.candidates(
                    routing.WorkItem(team_id=team_id), list(agents.values())
                )
            channel.available_operator_ids = channel._cc_agent_users(
                [agent.id for agent in ordered]
            )
        return result

    # ------------------------------------------------------------------
    # Operator selection
    # ------------------------------------------------------------------
    def _get_operator(self, previous_operator_id=None, lang=None, country_id=None):
        """Channels of a team: the agent the routing engine picks, as a user.

        No side effect: Odoo asks once to show the chat window and again
        when the session is saved; the session's interaction records the
        assignment.
        """
        if not self.cc_team_id:
            return super()._get_operator(
                previous_operator_id=previous_operator_id,
                lang=lang,
                country_id=country_id,
            )
        decision = self._cc_route(
            previous_operator_id=previous_operator_id, lang=lang, country_id=country_id
        )
        return self._cc_agent_users([decision.agent_id] if decision.agent_id else [])

    def _cc_route(self, previous_operator_id=None, lang=None, country_id=None):
        """The routing engine's decision for a new chat on this channel.

        Required skills come from the channel rule matching the visitor's
        page (and country), the language from the visitor, affinity from the
        operator they chatted with before (a partner id, as Odoo keeps it).
        """
        self.ensure_one()
        agents, team_states = self._cc_routing_pool()
        rule = self._cc_matching_rule(country_id)
        visitor = self._cc_visitor_partner()
        previous = self._cc_agent_of_partner(previous_operator_id)
        item = routing.WorkItem(
            team_id=self.cc_team_id.id,
            required_skills={skill.id: 1 for skill in rule.cc_skill_ids},
            language=lang or visitor.lang or None,
            is_vip=bool(visitor.cc_is_vip),
            previous_agent_id=previous.id or None,
            created_at=fields.Datetime.now(),
            # a chat cannot wait in a queue: a VIP visitor goes to a free
            # senior agent, else to any free agent at once
            vip_rule=routing.VipRule(),
        )
        return routing.route(
            item, list(agents.values()), team_states, now=fields.Datetime.now()
        )

    def _cc_routing_pool(self):
        """Routing states of the agents who may take this channel's chats.

        ({agent id: routing.AgentState}, {team id: routing.TeamState}) over
        the team and its overflow chain; an agent must also be one of the
        channel's operators. Two queries for the agents, one per team chain.
        """
        self.ensure_one()
        # sudo: visitors (public) reach this; the pool is read, never shown
        team = self.cc_team_id.sudo()
        teams = team
        while team.overflow_team_id and team.overflow_team_id not in teams:
            team = team.overflow_team_id
            teams |= team
        Agent = self.env["contact_center.agent"].sudo()
        states = Agent._routing_states("chat", teams)
        operators = set(self.sudo().user_ids.ids)
        users = {agent.id: agent.user_id.id for agent in Agent.browse(list(states))}
        agents = {
            agent_id: state
            for agent_id, state in states.items()
            if users.get(agent_id) in operators
        }
        # the teams' VIP waiting rules do not apply to chats (see _cc_route)
        team_states = {
            team_id: dataclasses.replace(state, vip_rule=None)
            for team_id, state in teams._routing_team_states("chat").items()
        }
        return agents, team_states

    def _cc_agent_users(self, agent_ids):
        """The users of these agents, in the same order."""
        # sudo: the agent's user is handed to Odoo's live chat as the operator
        agents = self.env["contact_center.agent"].sudo().browse(agent_ids)
        return self.env["res.users"].browse([agent.user_id.id for agent in agents])

    def _cc_agent_of_partner(self, partner_id):
        """The agent whose user is partner ``partner_id`` (an operator)."""
        if not partner_id:
            return self.env["contact_center.agent"]
        # sudo: find an agent from Odoo's previous-operator cookie, read only
        return (
            self.env["contact_center.agent"]
            .sudo()
            .search([("user_id.partner_id", "=", int(partner_id))], limit=1)
        )

    def _cc_visitor_partner(self):
        """The visitor's partner when they are logged in, else an empty one."""
        user = self.env.user
        if user._is_public():
            return self.env["res.partner"]
        # sudo: the visitor's own language and tier decide routing, read only
        return user.sudo().partner_id

    def _cc_matching_rule(self, country_id=None):
        """The channel rule for the visitor's page: its skills are required."""
        self.ensure_one()
        url = self.env.context.get(URL_CONTEXT_KEY)
        if url is None and request:
            url = request.httprequest.headers.get("Referer")
        # sudo: rules are configuration the live chat reads for any visitor
        Rule = self.env["im_livechat.channel.rule"].sudo()
        return Rule.match_rule(self.id, url, country_id) or Rule

    # ------------------------------------------------------------------
    # Offline messages (helper: offline): the visitor leaves a message
    # ------------------------------------------------------------------
    def _cc_is_offline(self):
        """Whether visitors are offered to leave a message instead of chatting.

        True when no one could take a chat now: the team and its overflow
        are outside business hours, or none of their agents who are this
        channel's operators is available with free chat capacity. It reads
        ``available_operator_ids``, the availability that shows the chat
        button, so the offline page and the button never disagree.
        """
        self.ensure_one()
        # sudo: visitors (public) ask; only a yes or no comes out
        return not self.sudo().available_operator_ids
