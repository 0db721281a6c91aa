from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.contact_center_livechat.models.im_livechat_channel import (
    URL_CONTEXT_KEY,
)

BILLING_URL = "https://shop.example.com/billing/invoices"


class LivechatSetup:
    """A live chat channel answered by the team "Chat Care".

    Ann speaks English, Bob French; both have the Billing skill and take two
    chats at once. Carl is in the team, speaks French, lacks the skill.
    All three are operators of the channel and available. The channel's
    rule for /billing pages asks for the Billing skill.
    """

    @classmethod
    def _setup_livechat(cls):
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env["res.lang"]._activate_lang("fr_FR")
        lang = {
            code: cls.env["res.lang"]._lang_get(code) for code in ("en_US", "fr_FR")
        }
        cls.team = cls.env["contact_center.team"].create(
            {"name": "Chat Care", "handles_chat": True, "resource_calendar_id": False}
        )
        cls.billing = cls.env["contact_center.skill"].create({"name": "Chat billing"})
        Agent = cls.env["contact_center.agent"]
        cls.users = {}
        cls.agents = {}
        for login, code, skilled in (
            ("ann", "en_US", True),
            ("bob", "fr_FR", True),
            ("carl", "fr_FR", False),
        ):
            user = new_test_user(
                cls.env,
                f"cc_chat_{login}",
                name=login.capitalize(),
                groups="contact_center.group_contact_center_agent,"
                "im_livechat.im_livechat_group_user",
            )
            cls.users[login] = user
            cls.agents[login] = Agent.create(
                {
                    "user_id": user.id,
                    "team_ids": [Command.link(cls.team.id)],
                    "language_ids": [Command.set(lang[code].ids)],
                    "capacity_chat": 2,
                    "skill_line_ids": [
                        Command.create({"skill_id": cls.billing.id, "level": "3"})
                    ]
                    if skilled
                    else [],
                }
            )
        cls.ann, cls.bob, cls.carl = (cls.agents[k] for k in ("ann", "bob", "carl"))
        (cls.ann | cls.bob | cls.carl)._set_presence("available")
        cls.livechat = cls.env["im_livechat.channel"].create(
            {
                "name": "Shop support",
                "cc_team_id": cls.team.id,
                "user_ids": [Command.set([u.id for u in cls.users.values()])],
                "rule_ids": [
                    Command.create(
                        {
                            "regex_url": "/billing",
                            "cc_skill_ids": [Command.link(cls.billing.id)],
                            "sequence": 1,
                        }
                    ),
                    Command.create({"regex_url": False, "sequence": 2}),
                ],
            }
        )
        cls.customer_user = new_test_user(
            cls.env,
            "cc_chat_visitor",
            name="Vera Visitor",
            groups="base.group_portal",
        )
        cls.customer = cls.customer_user.partner_id

    def _operator(self, url=None, lang=None, previous=None, channel=None):
        """The user Odoo's live chat would put in charge of a new chat."""
        channel = channel or self.livechat
        return channel.with_context(**{URL_CONTEXT_KEY: url})._get_operator(
            previous_operator_id=previous.user_id.partner_id.id if previous else None,
            lang=lang,
        )

    def _live_chat(self, agent, state="ringing"):
        """A chat ``agent`` holds now (ringing or in progress)."""
        Interaction = self.env["contact_center.interaction"]
        interaction = Interaction.create(
            {"channel": "chat", "team_id": self.team.id, "agent_id": agent.id}
        )
        if state == "in_progress":
            interaction.action_answer()
        else:
            interaction.action_ring()
        return interaction
