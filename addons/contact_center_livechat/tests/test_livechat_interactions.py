from datetime import datetime

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .common import BILLING_URL, LivechatSetup

T_START = "2026-03-02 09:00:00"
T_ANSWER = "2026-03-02 09:01:30"  # 90 s after the start
T_END = "2026-03-02 09:06:30"  # 300 s after the answer


@tagged("post_install", "-at_install")
class TestLivechatInteractions(LivechatSetup, HttpCase):
    """Sessions started through Odoo's own live chat route, as a browser does."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_livechat()

    def _start(self, login="cc_chat_visitor", lang="fr_FR", at=T_START):
        """The visitor (``login``, None: anonymous) writes their first line."""
        self.authenticate(login, login)
        if lang:
            self.opener.cookies["frontend_lang"] = lang
        with freeze_time(at):
            result = self.make_jsonrpc_request(
                "/im_livechat/get_session",
                {
                    "channel_id": self.livechat.id,
                    "anonymous_name": "Visitor",
                    "persisted": True,
                },
                headers={"Referer": BILLING_URL},
            )
        self.assertTrue(result, "the route refused the session")
        return self.env["discuss.channel"].search(
            [("livechat_channel_id", "=", self.livechat.id)], order="id desc", limit=1
        )

    def _interaction(self, session):
        return self.env["contact_center.interaction"].search(
            [("res_model", "=", "discuss.channel"), ("res_id", "=", session.id)]
        )

    def _post(self, session, user, body, at):
        with freeze_time(at):
            session.with_user(user).message_post(
                body=body, message_type="comment", subtype_xmlid="mail.mt_comment"
            )

    def _leave(self, session, at):
        """The visitor closes the chat window: Odoo's route ends the session."""
        with freeze_time(at):
            self.make_jsonrpc_request(
                "/im_livechat/visitor_leave_session", {"channel_id": session.id}
            )
        self.env.invalidate_all()

    def test_session_start_offers_chat_to_routed_agent(self):
        # French visitor on the billing page: Bob (French, Billing skill)
        session = self._start()
        self.assertEqual(session.livechat_operator_id, self.users["bob"].partner_id)
        interaction = self._interaction(session)
        self.assertEqual(len(interaction), 1)
        self.assertRecordValues(
            interaction,
            [
                {
                    "channel": "chat",
                    "direction": "inbound",
                    "state": "ringing",
                    "team_id": self.team.id,
                    "agent_id": self.bob.id,
                    "partner_id": self.customer.id,
                    "queued_at": datetime(2026, 3, 2, 9, 0),
                    "answered_at": False,
                    "provider": "livechat",
                    "external_id": str(session.id),
                }
            ],
        )
        self.assertEqual(self.bob.last_assigned_at, datetime(2026, 3, 2, 9, 0))

    def test_ringing_chat_counts_in_agent_load(self):
        # Bob takes two chats: after two French visitors, the third goes to
        # Ann (the other Billing agent)
        self._start()
        self._start(at="2026-03-02 09:00:10")
        session = self._start(at="2026-03-02 09:00:20")
        self.assertEqual(session.livechat_operator_id, self.users["ann"].partner_id)

    def test_visitor_message_does_not_answer(self):
        session = self._start()
        self._post(session, self.customer_user, "Is my invoice paid?", T_ANSWER)
        self.assertEqual(self._interaction(session).state, "ringing")

    def test_operator_first_message_answers(self):
        session = self._start()
        self._post(session, self.users["bob"], "Bonjour !", T_ANSWER)
        self._post(session, self.users["bob"], "Un instant.", T_END)
        interaction = self._interaction(session)
        self.assertEqual(interaction.state, "in_progress")
        self.assertEqual(interaction.answered_at, datetime(2026, 3, 2, 9, 1, 30))
        self.assertEqual(interaction.wait_seconds, 90)

    def test_visitor_leaving_answered_chat_makes_it_done(self):
        session = self._start()
        self._post(session, self.users["bob"], "Bonjour !", T_ANSWER)
        self._leave(session, T_END)
        interaction = self._interaction(session)
        self.assertFalse(session.livechat_active)
        self.assertEqual(interaction.state, "done")
        self.assertEqual(interaction.ended_at, datetime(2026, 3, 2, 9, 6, 30))
        # 09:00:00 -> 09:01:30 waiting, 09:01:30 -> 09:06:30 chatting
        self.assertEqual(interaction.wait_seconds, 90)
        self.assertEqual(interaction.talk_seconds, 300)
        self.assertEqual(interaction.handle_seconds, 300)

    def test_visitor_leaving_unanswered_chat_abandons_it(self):
        session = self._start()
        self._post(session, self.customer_user, "Hello?", T_ANSWER)
        self._leave(session, T_END)
        interaction = self._interaction(session)
        self.assertEqual(interaction.state, "abandoned")
        self.assertEqual(interaction.wait_seconds, 390)
        self.assertEqual(interaction.talk_seconds, 0)

    def test_operator_leaving_unanswered_chat_misses_it_and_frees_capacity(self):
        first = self._start()
        self._start(at="2026-03-02 09:00:10")  # Bob is at capacity now
        with freeze_time(T_ANSWER):
            first.with_user(self.users["bob"]).action_unfollow()
        self.assertEqual(self._interaction(first).state, "missed")
        session = self._start(at=T_END)
        self.assertEqual(session.livechat_operator_id, self.users["bob"].partner_id)

    def test_empty_session_removed_by_odoo_is_missed(self):
        session = self._start()
        interaction = self._interaction(session)
        session.unlink()
        self.assertEqual(interaction.state, "missed")

    def test_anonymous_visitor_chat_has_no_customer(self):
        session = self._start(login=None)
        interaction = self._interaction(session)
        self.assertEqual(interaction.agent_id, self.bob)
        self.assertFalse(interaction.partner_id)

    def test_no_free_agent_refuses_the_session(self):
        (self.ann | self.bob | self.carl)._set_presence("break")
        self.authenticate("cc_chat_visitor", "cc_chat_visitor")
        before = self.env["contact_center.interaction"].search_count([])
        result = self.make_jsonrpc_request(
            "/im_livechat/get_session",
            {"channel_id": self.livechat.id, "anonymous_name": "Visitor"},
        )
        self.assertFalse(result)
        self.assertEqual(
            self.env["contact_center.interaction"].search_count([]), before
        )

    def test_idle_answered_chat_ends_at_its_last_message(self):
        # the visitor closed the tab without leaving: 60 idle minutes after
        # Bob's last line (09:06:30) the contact ends, done, at that line
        session = self._start()
        self._post(session, self.users["bob"], "Bonjour !", T_ANSWER)
        self._post(session, self.users["bob"], "Autre chose ?", T_END)
        Channel = self.env["discuss.channel"]
        with freeze_time("2026-03-02 10:06:00"):
            self.assertEqual(Channel._cron_close_idle_chats(), 0)
        with freeze_time("2026-03-02 10:07:00"):
            self.assertEqual(Channel._cron_close_idle_chats(), 1)
        interaction = self._interaction(session)
        self.assertEqual(interaction.state, "done")
        self.assertEqual(interaction.ended_at, datetime(2026, 3, 2, 9, 6, 30))
        self.assertEqual(interaction.talk_seconds, 300)
        self.assertTrue(session.livechat_active)

    def test_idle_unanswered_chat_is_missed(self):
        session = self._start()
        with freeze_time("2026-03-02 10:01:00"):
            self.env["discuss.channel"]._cron_close_idle_chats()
        self.assertEqual(self._interaction(session).state, "missed")

    def test_idle_chats_stay_open_when_the_limit_is_zero(self):
        self.env["ir.config_parameter"].set_param(
            "contact_center_livechat.idle_minutes", "0"
        )
        session = self._start()
        with freeze_time("2026-03-03 10:00:00"):
            self.assertEqual(self.env["discuss.channel"]._cron_close_idle_chats(), 0)
        self.assertEqual(self._interaction(session).state, "ringing")
