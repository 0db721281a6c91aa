"""Customers who ask to be called back (an offline chat message with a phone
number) join the team's callback list like missed callers."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .test_callbacks import CallbackCase

NOW = datetime(2026, 3, 2, 10, 0)  # Monday 11:00 in Brussels, calls allowed


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestOfflineCallback(CallbackCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.visitor = cls.env["res.partner"].create(
            {"name": "Vera Visitor", "email": "vera@example.org"}
        )

    def _request(self, at=NOW, **values):
        """A chat message left while the team was away, asking for a call."""
        return self.env["contact_center.interaction"].create(
            {
                "channel": "chat",
                "direction": "inbound",
                "state": "missed",
                "phone": "+32 470 12 34 56",
                "partner_id": self.visitor.id,
                "team_id": self.team.id,
                "callback_requested": True,
                "queued_at": at,
                "ended_at": at,
                **values,
            }
        )

    def test_callback_request_joins_the_teams_callback_list(self):
        request = self._request()
        callback = self._callbacks()
        self.assertEqual(len(callback), 1)
        self.assertEqual(callback.campaign_id.team_id, self.team)
        self.assertEqual(callback.partner_id, self.visitor)
        self.assertEqual(callback.name, "Vera Visitor")
        self.assertEqual(callback.email, "vera@example.org")
        # "+32 470 12 34 56" in E.164: +32 then the national number 470123456
        self.assertEqual(callback.number_ids.phone_e164, "+32470123456")
        self.assertEqual(callback.source_interaction_id, request)
        # an agent of the team takes it like a missed caller's callback
        self.assertEqual(callback.campaign_id._take_next_contact(self.ann), callback)

    def test_second_request_the_same_day_merges(self):
        self._request()
        again = self._request(at=NOW + timedelta(minutes=30))
        callback = self._callbacks()
        self.assertEqual(len(callback), 1)
        # merged: asked twice, one step up the list
        self.assertEqual(callback.priority, 1)
        self.assertEqual(callback.source_interaction_id, again)

    def test_missed_call_and_chat_request_of_one_number_merge(self):
        self._request()
        self.env["contact_center.interaction"].create(
            {
                "channel": "phone",
                "direction": "inbound",
                "state": "abandoned",
                "phone": "+32470123456",
                "team_id": self.team.id,
                "queued_at": NOW + timedelta(minutes=5),
                "ended_at": NOW + timedelta(minutes=6),
            }
        )
        self.assertEqual(len(self._callbacks()), 1)
        self.assertEqual(self._callbacks().priority, 1)

    def test_chat_without_a_callback_request_is_not_called_back(self):
        self._request(callback_requested=False)
        self.assertFalse(self._callbacks())

    def test_request_is_not_queued_again_when_the_chat_moves_on(self):
        request = self._request(state="queued", ended_at=False)
        self.assertEqual(self._callbacks().priority, 0)
        request.write({"state": "missed", "ended_at": NOW + timedelta(minutes=1)})
        # still one callback, not bumped: the request was made once
        self.assertEqual(len(self._callbacks()), 1)
        self.assertEqual(self._callbacks().priority, 0)

    def test_request_asked_later_on_a_chat_is_queued(self):
        chat = self._request(callback_requested=False)
        self.assertFalse(self._callbacks())
        chat.write({"callback_requested": True})
        self.assertEqual(self._callbacks().source_interaction_id, chat)
