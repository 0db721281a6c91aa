"""One customer, three channels: a call, an SMS through the messaging webhook
and a live chat through Odoo's own route land side by side on the customer's
timeline, each as an interaction of its channel."""

import json
import time
from datetime import datetime

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from odoo.addons.contact_center.tools import telephony

from .common import BILLING_URL, LivechatSetup

SECRET = "omnichannel-test-secret"
VERA = "+32470998877"
OUR_NUMBER = "+3222001100"


@tagged("post_install", "-at_install")
class TestOmnichannelTimeline(LivechatSetup, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_livechat()
        cls.customer.mobile = VERA
        cls.provider = cls.env["contact_center.telephony.provider"].create(
            {
                "name": "Omnichannel Gateway",
                "code": "omni-gw",
                "secret": SECRET,
                "default_team_id": cls.team.id,
            }
        )
        cls.other = cls.env["res.partner"].create({"name": "Someone Else"})

    def _call(self, partner, at):
        """A call answered and ended five minutes later, as the PBX reports."""
        return self.env["contact_center.interaction"].create(
            {
                "channel": "phone",
                "direction": "inbound",
                "state": "done",
                "partner_id": partner.id,
                "team_id": self.team.id,
                "agent_id": self.ann.id,
                "queued_at": at,
                "answered_at": at,
                "ended_at": at.replace(minute=at.minute + 5),
            }
        )

    def _sms(self, at):
        """Vera's SMS, posted by the gateway to the signed webhook at ``at``."""
        body = json.dumps(
            {
                "messages": [
                    {
                        "id": "omni-1",
                        "channel": "sms",
                        "from": VERA,
                        "to": OUR_NUMBER,
                        "text": "I called this morning about my invoice",
                        "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    }
                ]
            }
        ).encode()
        with freeze_time(at):
            stamp = int(time.time())
            response = self.url_open(
                "/contact_center/messaging/v1/messages",
                data=body,
                headers={
                    "Content-Type": "application/json",
                    "X-CC-Provider": "omni-gw",
                    "X-CC-Timestamp": str(stamp),
                    "X-CC-Signature": telephony.sign(SECRET, stamp, body),
                },
            )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["accepted"], 1)

    def _chat(self, at):
        """Vera, logged in, opens the live chat on the billing page."""
        self.authenticate("cc_chat_visitor", "cc_chat_visitor")
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

    def test_call_sms_and_chat_of_one_customer_are_adjacent_on_the_timeline(self):
        self._call(self.customer, datetime(2026, 3, 2, 9, 0))
        # another customer's call in between: not on Vera's timeline
        self._call(self.other, datetime(2026, 3, 2, 9, 5))
        self._sms(datetime(2026, 3, 2, 9, 10))
        self._chat(datetime(2026, 3, 2, 9, 20))
        page = (
            self.env["contact_center.timeline"]
            .with_user(self.users["ann"])
            .get_page(self.customer.id)
        )
        contacts = [
            (entry["at"], entry["channel"])
            for entry in page["entries"]
            if entry["source"] == "interaction"
        ]
        # newest first: the chat (09:20), the SMS (09:10), the call (09:00)
        self.assertEqual(
            contacts,
            [
                ("2026-03-02 09:20:00", "chat"),
                ("2026-03-02 09:10:00", "sms"),
                ("2026-03-02 09:00:00", "phone"),
            ],
        )
        # the SMS opened a conversation of Vera's: its ticket is there too
        tickets = [e for e in page["entries"] if e["source"] == "ticket"]
        self.assertEqual(len(tickets), 1)
        self.assertEqual(tickets[0]["channel"], "sms")
