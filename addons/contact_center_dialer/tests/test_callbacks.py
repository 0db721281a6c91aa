"""Inbound callers who did not get through are called back, once a day."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import TransactionCase, new_test_user, tagged

NOW = datetime(2026, 3, 2, 10, 0)


class CallbackCase(TransactionCase):
    """A team of one agent in Brussels, and a caller with a phone number."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.be")
        user = new_test_user(
            cls.env, "cb_ann", groups="contact_center.group_contact_center_agent"
        )
        cls.ann = cls.env["contact_center.agent"].create({"user_id": user.id})
        cls.team = cls.env["contact_center.team"].create(
            {
                "name": "Care",
                "tz": "Europe/Brussels",
                "member_ids": [Command.set(cls.ann.ids)],
            }
        )
        cls.caller = cls.env["res.partner"].create(
            {"name": "Carla Caller", "phone": "+32 2 555 31 31"}
        )

    def _callbacks(self):
        return self.env["contact_center.campaign.contact"].search(
            [("campaign_id.is_callback_list", "=", True)]
        )


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestCallbacks(CallbackCase):
    def _call(self, state, at=NOW, **values):
        return self.env["contact_center.interaction"].create(
            {
                "channel": "phone",
                "direction": "inbound",
                "phone": "+32 2 555 31 31",
                "partner_id": self.caller.id,
                "team_id": self.team.id,
                "state": state,
                "queued_at": at,
                "ended_at": at + timedelta(seconds=40),
                **values,
            }
        )

    def test_abandoned_call_queues_a_callback_on_the_teams_list(self):
        call = self._call("abandoned")
        callback = self._callbacks()
        self.assertEqual(len(callback), 1)
        self.assertEqual(callback.campaign_id.team_id, self.team)
        self.assertEqual(callback.campaign_id.state, "running")
        self.assertEqual(callback.campaign_id.dialer_mode, "preview")
        self.assertEqual(callback.partner_id, self.caller)
        self.assertEqual(callback.name, "Carla Caller")
        self.assertEqual(callback.number_ids.phone_e164, "+3225553131")
        self.assertEqual(callback.source_interaction_id, call)
        # an agent of the team takes it like any campaign contact
        self.assertEqual(callback.campaign_id._take_next_contact(self.ann), callback)

    def test_caller_trying_again_the_same_day_is_merged(self):
        self._call("abandoned")
        again = self._call("missed", at=NOW + timedelta(minutes=20))
        callback = self._callbacks()
        self.assertEqual(len(callback), 1)
        self.assertEqual(callback.priority, 1)
        self.assertEqual(callback.source_interaction_id, again)
        # the next day is a new callback
        self._call("abandoned", at=NOW + timedelta(days=1))
        self.assertEqual(len(self._callbacks()), 2)

    def test_callback_closes_when_the_caller_gets_through(self):
        self._call("abandoned")
        call = self._call("ringing", at=NOW + timedelta(minutes=5), ended_at=False)
        self.assertEqual(self._callbacks().state, "pending")
        call.write({"state": "in_progress", "answered_at": NOW + timedelta(minutes=6)})
        callback = self._callbacks()
        self.assertEqual(callback.state, "done")
        self.assertEqual(callback.last_outcome, "reached_inbound")

    def test_no_callback_without_a_number_or_for_outbound_calls(self):
        self._call("abandoned", phone=False)
        self._call("abandoned", direction="outbound")
        self._call("done", answered_at=NOW + timedelta(seconds=5))
        self.assertFalse(self._callbacks())
