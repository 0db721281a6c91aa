from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import TransactionCase, tagged

from .common import BILLING_URL, LivechatSetup


@tagged("post_install", "-at_install")
class TestLivechatRouting(LivechatSetup, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_livechat()

    def _only_operators(self, *logins):
        self.livechat.user_ids = [Command.set([self.users[k].id for k in logins])]

    def test_chat_goes_to_skilled_agent_speaking_visitor_language(self):
        # /billing asks for Billing: Ann (English) and Bob (French) have it,
        # Carl (French) does not; a French visitor gets Bob
        operator = self._operator(url=BILLING_URL, lang="fr_FR")
        self.assertEqual(operator, self.users["bob"])

    def test_chat_goes_to_english_skilled_agent_for_english_visitor(self):
        operator = self._operator(url=BILLING_URL, lang="en_US")
        self.assertEqual(operator, self.users["ann"])

    def test_page_without_skill_rule_lets_unskilled_speaker_answer(self):
        # the catch-all rule asks no skill: Bob and Carl speak French, both
        # free with no chat; Bob was assigned last, so Carl, idle longest
        self.bob.sudo().last_assigned_at = datetime(2026, 3, 2, 9, 0)
        self.carl.sudo().last_assigned_at = datetime(2026, 3, 2, 8, 0)
        operator = self._operator(url="https://shop.example.com/", lang="fr_FR")
        self.assertEqual(operator, self.users["carl"])

    def test_agent_on_break_gets_no_chat(self):
        # Bob is the only French billing agent, but on break: Ann (skilled,
        # free) gets the French visitor rather than nobody
        self.bob._set_presence("break")
        operator = self._operator(url=BILLING_URL, lang="fr_FR")
        self.assertEqual(operator, self.users["ann"])

    def test_agent_at_chat_capacity_gets_no_chat(self):
        # Bob takes two chats at once and holds two: Ann gets the third
        self._live_chat(self.bob, "in_progress")
        self._live_chat(self.bob)
        operator = self._operator(url=BILLING_URL, lang="fr_FR")
        self.assertEqual(operator, self.users["ann"])

    def test_ended_chats_free_capacity(self):
        # Bob's two chats are over: his load is 0, he takes the French visitor
        for chat in (
            self._live_chat(self.bob, "in_progress"),
            self._live_chat(self.bob),
        ):
            if chat.state == "in_progress":
                chat.action_done()
            else:
                chat.action_miss()
        operator = self._operator(url=BILLING_URL, lang="fr_FR")
        self.assertEqual(operator, self.users["bob"])

    def test_nobody_free_means_no_operator_and_no_chat_button(self):
        # Ann at capacity, Bob on break, Carl offline
        self._live_chat(self.ann)
        self._live_chat(self.ann, "in_progress")
        self.bob._set_presence("break")
        self.carl._set_presence("offline")
        self.assertFalse(self._operator(url=BILLING_URL, lang="fr_FR"))
        self.livechat.invalidate_recordset(["available_operator_ids"])
        self.assertFalse(self.livechat.available_operator_ids)
        self.assertFalse(self.livechat.get_livechat_info()["available"])

    def test_free_agents_make_the_chat_button_available(self):
        self.bob._set_presence("break")
        self.assertEqual(
            self.livechat.available_operator_ids,
            self.users["ann"] | self.users["carl"],
        )
        self.assertTrue(self.livechat.get_livechat_info()["available"])

    def test_skilled_agents_busy_means_no_operator_for_billing_page(self):
        # Carl is free but lacks Billing: nobody for the billing page
        self.ann._set_presence("break")
        self.bob._set_presence("break")
        self.assertFalse(self._operator(url=BILLING_URL, lang="fr_FR"))
        self.assertEqual(self._operator(lang="fr_FR"), self.users["carl"])

    def test_previous_operator_is_preferred(self):
        # a French visitor on a page without skills: Bob and Carl speak
        # French; Bob holds a chat, Carl none, so the least loaded is Carl;
        # the visitor chatted with Bob before and he is free: Bob
        self._live_chat(self.bob, "in_progress")
        self.assertEqual(self._operator(lang="fr_FR"), self.users["carl"])
        operator = self._operator(lang="fr_FR", previous=self.bob)
        self.assertEqual(operator, self.users["bob"])

    def test_previous_operator_at_capacity_is_not_forced(self):
        self._live_chat(self.bob, "in_progress")
        self._live_chat(self.bob, "in_progress")
        operator = self._operator(lang="fr_FR", previous=self.bob)
        self.assertEqual(operator, self.users["carl"])

    def _vip_visitor_operator(self):
        tier = self.env["contact_center.customer.tier"].create(
            {"name": "Chat gold", "is_vip": True}
        )
        self.customer.cc_tier_id = tier
        # as the logged-in visitor, as Odoo's route asks (sudo, visitor's uid)
        channel = self.livechat.with_user(self.customer_user).sudo()
        return self._operator(lang="fr_FR", channel=channel)

    def test_vip_visitor_goes_to_free_senior_agent(self):
        # Bob and Carl speak French, both free and idle: Bob comes first
        # (created first); Carl is senior, so a VIP visitor gets Carl
        self.carl.tier = "senior"
        self.assertEqual(self._operator(lang="fr_FR"), self.users["bob"])
        self.assertEqual(self._vip_visitor_operator(), self.users["carl"])

    def test_vip_visitor_is_not_held_for_a_senior_agent(self):
        # the team holds VIP contacts for senior agents only, but a chat
        # cannot wait: with no senior agent, Bob takes it at once
        self.team.vip_routing = "senior_only"
        self.assertEqual(self._vip_visitor_operator(), self.users["bob"])

    def test_team_agent_not_operator_of_channel_gets_no_chat(self):
        # Bob is in the team and free, but not an operator of this channel
        self._only_operators("ann", "carl")
        operator = self._operator(url=BILLING_URL, lang="fr_FR")
        self.assertEqual(operator, self.users["ann"])

    def test_operator_outside_team_gets_no_chat(self):
        outsider = self.users["carl"].copy({"login": "cc_chat_outsider"})
        self.env["contact_center.agent"].create(
            {"user_id": outsider.id, "capacity_chat": 5}
        )._set_presence("available")
        self.livechat.user_ids = [Command.set(outsider.ids)]
        self.assertFalse(self._operator())
        self.assertFalse(self.livechat.available_operator_ids)

    def test_closed_team_offers_no_chat(self):
        # Monday to Friday, 9:00-18:00 in Brussels (UTC+1 in March)
        self.team.resource_calendar_id = self.env["resource.calendar"].create(
            {
                "name": "Brussels 9-18",
                "tz": "Europe/Brussels",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 9,
                            "hour_to": 18,
                            "day_period": "morning",
                        }
                    )
                    for day in range(5)
                ],
            }
        )
        # Sunday 2026-03-08 12:00 UTC: outside Monday-Friday 9-18 in Brussels
        with freeze_time("2026-03-08 12:00:00"):
            self.assertFalse(self._operator())
            self.livechat.invalidate_recordset(["available_operator_ids"])
            self.assertFalse(self.livechat.get_livechat_info()["available"])
        # Monday 10:00 in Brussels (9:00 UTC): open
        with freeze_time("2026-03-09 09:00:00"):
            self.livechat.invalidate_recordset(["available_operator_ids"])
            self.assertTrue(self._operator())

    def test_choosing_an_operator_assigns_nothing(self):
        # Odoo asks for an operator before the visitor writes: no side effect
        before = self.env["contact_center.interaction"].search_count([])
        self._operator(url=BILLING_URL, lang="fr_FR")
        self.assertFalse(self.bob.last_assigned_at)
        self.assertEqual(
            self.env["contact_center.interaction"].search_count([]), before
        )

    def test_channel_without_team_keeps_odoo_choice(self):
        # No team: Odoo's rule (online in Odoo) decides, not the contact
        # center presence; Bob is on break for the contact center, online
        # in Odoo, Ann available in the contact center but offline in Odoo
        self.bob._set_presence("break")
        self.env["bus.presence"].create(
            {"user_id": self.users["bob"].id, "status": "online"}
        )
        plain = self.env["im_livechat.channel"].create(
            {
                "name": "Plain",
                "user_ids": [Command.set((self.users["ann"] | self.users["bob"]).ids)],
            }
        )
        self.assertEqual(plain.available_operator_ids, self.users["bob"])
        self.assertEqual(self._operator(channel=plain), self.users["bob"])
        vals = plain._get_livechat_discuss_channel_vals("Visitor")
        session = self.env["discuss.channel"].create(vals)
        self.assertFalse(
            self.env["contact_center.interaction"].search(
                [("res_model", "=", "discuss.channel"), ("res_id", "=", session.id)]
            )
        )


@tagged("post_install", "-at_install")
class TestChatbotHandOff(LivechatSetup, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_livechat()
        cls.script = cls.env["chatbot.script"].create(
            {
                "title": "Shop bot",
                "script_step_ids": [
                    Command.create({"step_type": "text", "message": "Hello!"}),
                    Command.create(
                        {"step_type": "forward_operator", "message": "One moment"}
                    ),
                ],
            }
        )
        cls.livechat.rule_ids[0].chatbot_script_id = cls.script
        cls.forward = cls.script.script_step_ids[1]

    def _bot_session(self):
        vals = self.livechat._get_livechat_discuss_channel_vals(
            "Visitor", chatbot_script=self.script
        )
        return self.env["discuss.channel"].create(vals)

    def _interaction(self, session):
        return self.env["contact_center.interaction"].search(
            [("provider", "=", "livechat"), ("external_id", "=", str(session.id))]
        )

    def test_bot_session_is_no_contact_before_hand_off(self):
        session = self._bot_session()
        self.assertFalse(self._interaction(session))

    def test_hand_off_goes_to_routed_agent(self):
        # the French visitor on /billing: Bob, as without a bot
        session = self._bot_session()
        with freeze_time("2026-03-02 09:05:00"):
            self.forward.with_context(
                lang="fr_FR", cc_livechat_url=BILLING_URL
            )._process_step(session)
        self.assertIn(
            self.users["bob"].partner_id, session.channel_member_ids.partner_id
        )
        interaction = self._interaction(session)
        self.assertEqual(interaction.agent_id, self.bob)
        self.assertEqual(interaction.state, "ringing")
        self.assertEqual(interaction.queued_at, datetime(2026, 3, 2, 9, 5))
        self.assertEqual(interaction.team_id, self.team)
        self.assertEqual(self.bob.last_assigned_at, datetime(2026, 3, 2, 9, 5))

    def test_hand_off_with_nobody_free_adds_nobody(self):
        (self.ann | self.bob | self.carl)._set_presence("break")
        session = self._bot_session()
        members = session.channel_member_ids.partner_id
        self.forward.with_context(cc_livechat_url=BILLING_URL)._process_step(session)
        self.assertEqual(session.channel_member_ids.partner_id, members)
        self.assertFalse(self._interaction(session))
