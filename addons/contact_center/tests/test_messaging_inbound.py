"""Inbound SMS and social messages: the signed webhook, conversations as
tickets, routing by channel capacity, and agents' replies on the channel."""

import json
import time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..tools import telephony
from .common import RecordingMessagingServer

SECRET = "test-secret-of-the-gateway"
AUTH_FAILED = "unknown provider or signature does not match"
MAIN_NUMBER = "+3222001100"  # our number: no DID, the provider's default team
BILLING_NUMBER = "+3222001199"  # a DID of the Billing team
CARLA = "+32470111222"  # a known customer's mobile
STRANGER = "+32470999888"  # nobody's number
API = "/contact_center/messaging/v1/messages"


class MessagingSetup:
    @classmethod
    def _setup_messaging(cls):
        env = cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # deterministic teams: no demo rule moves a ticket elsewhere
        env["contact_center.classification.rule"].search([]).active = False
        Team = env["contact_center.team"]
        cls.desk = Team.create({"name": "Text Desk", "resource_calendar_id": False})
        cls.billing = Team.create({"name": "Billing", "resource_calendar_id": False})
        users = [
            new_test_user(
                env, f"cc_msg_{n}", groups="contact_center.group_contact_center_agent"
            )
            for n in ("ann", "bob")
        ]
        cls.ann, cls.bob = env["contact_center.agent"].create(
            [
                {
                    "user_id": user.id,
                    "team_ids": [Command.link(team.id)],
                    "capacity_sms": 5,
                    "capacity_social": 5,
                }
                for user, team in zip(users, (cls.desk, cls.billing), strict=True)
            ]
        )
        cls.provider = env["contact_center.telephony.provider"].create(
            {
                "name": "Test Gateway",
                "code": "test-gw",
                "secret": SECRET,
                "default_team_id": cls.desk.id,
                "did_ids": [
                    Command.create(
                        {"number": BILLING_NUMBER, "team_id": cls.billing.id}
                    )
                ],
            }
        )
        cls.carla = env["res.partner"].create(
            {"name": "Carla Customer", "mobile": CARLA, "email": "carla@example.com"}
        )
        cls.Ticket = env["contact_center.ticket"]
        cls.Interaction = env["contact_center.interaction"]
        cls.Event = env["contact_center.telephony.event"]

    def _tickets(self, address):
        return self.Ticket.search([("contact_address", "=", address)], order="id")

    def _logged(self, message_id):
        return self.Interaction.search(
            [("provider", "=", "test-gw"), ("external_id", "=", message_id)]
        )


def msg(message_id, text="Hello, my order did not arrive", **extra):
    """A message as the gateway sends it: an SMS from Carla to our number."""
    return {
        "id": message_id,
        "channel": "sms",
        "from": CARLA,
        "to": MAIN_NUMBER,
        "text": text,
        "at": "2026-03-02T09:00:00Z",
        **extra,
    }


@tagged("post_install", "-at_install")
class TestMessagingWebhook(MessagingSetup, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_messaging()

    def _post(self, payload=None, secret=SECRET, timestamp=None, raw=None, code=None):
        body = raw if raw is not None else json.dumps(payload).encode()
        stamp = int(time.time()) if timestamp is None else timestamp
        headers = {
            "Content-Type": "application/json",
            "X-CC-Provider": code or "test-gw",
            "X-CC-Timestamp": str(stamp),
            "X-CC-Signature": telephony.sign(secret, stamp, body),
        }
        response = self.url_open(API, data=body, headers=headers)
        return response.status_code, response.json()

    def _send(self, *messages):
        status, answer = self._post({"messages": list(messages)})
        self.assertEqual(status, 200, answer)
        return answer

    def _stored(self):
        return self.Event.search([("provider_id", "=", self.provider.id)])

    # -- authentication ----------------------------------------------------
    def test_forged_stale_unsigned_and_unknown_provider_requests_store_nothing(self):
        payload = {"messages": [msg("a1")]}
        status, answer = self._post(payload, secret="guess")
        self.assertEqual((status, answer["error"]), (401, AUTH_FAILED))
        status, answer = self._post(payload, code="no-such-gateway")
        # same answer as a forged signature: provider codes are not revealed
        self.assertEqual((status, answer["error"]), (401, AUTH_FAILED))
        status, answer = self._post(payload, timestamp=int(time.time()) - 600)
        self.assertEqual(status, 401)
        self.assertIn("too old", answer["error"])
        response = self.url_open(
            API,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", "X-CC-Provider": "test-gw"},
        )
        self.assertEqual(response.status_code, 401)
        self.assertFalse(self._stored())
        self.assertFalse(self._tickets(CARLA))

    def test_resent_request_reports_duplicates_and_changes_nothing(self):
        body = json.dumps({"messages": [msg("d1")]}).encode()
        stamp = int(time.time())
        first = self._post(raw=body, timestamp=stamp)
        self.assertEqual(first[0], 200)
        self.assertEqual(first[1]["accepted"], 1)
        # the gateway lost the answer and sends the same signed bytes again
        status, answer = self._post(raw=body, timestamp=stamp)
        self.assertEqual(status, 200)
        self.assertEqual((answer["accepted"], answer["duplicates"]), (0, 1))
        self.assertEqual(answer["messages"][0]["status"], "duplicate")
        # the same message id in a new request: still once
        self.assertEqual(self._send(msg("d1"))["duplicates"], 1)
        ticket = self._tickets(CARLA)
        self.assertEqual(len(ticket), 1)
        self.assertEqual(len(self._logged("d1")), 1)
        customer_posts = ticket.message_ids.filtered(
            lambda m: m.message_type == "comment"
        )
        self.assertEqual(len(customer_posts), 1)

    # -- bad input ---------------------------------------------------------
    def test_malformed_json_is_refused_and_nothing_stored(self):
        status, answer = self._post(raw=b'{"messages": [')
        self.assertEqual(status, 400)
        self.assertIn("malformed JSON", answer["error"])
        self.assertFalse(self._stored())

    def test_unusable_request_is_refused_with_the_field_at_fault(self):
        cases = [
            ("not an object", ["x"], None),
            ("no messages", {"message": []}, "messages"),
            ("messages not a list", {"messages": {"id": "x"}}, "messages"),
            ("empty list", {"messages": []}, "messages"),
            ("over 100", {"messages": [msg(f"o{n}") for n in range(101)]}, "messages"),
            ("its only message bad", {"messages": [msg("b1", text="")]}, None),
        ]
        for case, payload, field in cases:
            with self.subTest(case):
                status, answer = self._post(payload)
                self.assertEqual(status, 400, answer)
                if field:
                    self.assertEqual(answer["field"], field)
        # the only message had no text: refused, its field named
        status, answer = self._post({"messages": [msg("b2", channel="sms", text=None)]})
        self.assertEqual((status, answer["field"]), (400, "messages[0].text"))
        self.assertFalse(self._stored())

    def test_invalid_message_is_reported_and_valid_ones_are_kept(self):
        answer = self._send(
            msg("g1"),
            msg("g2", **{"from": "not a number"}),  # an SMS needs a number
            msg("g3", channel=""),
            msg("g4", at="yesterday"),
            msg("g5", text="A second question"),
        )
        statuses = [(m["id"], m["status"], m.get("field")) for m in answer["messages"]]
        self.assertEqual(
            statuses,
            [
                ("g1", "done", None),
                ("g2", "invalid", "messages[1].from"),
                ("g3", "invalid", "messages[2].channel"),
                ("g4", "invalid", "messages[3].at"),
                ("g5", "done", None),
            ],
        )
        self.assertEqual((answer["accepted"], answer["invalid"]), (2, 3))
        # only the good ones are stored and logged
        self.assertEqual(len(self._stored()), 2)
        self.assertEqual(
            self.Interaction.search([("provider", "=", "test-gw")]).mapped(
                "external_id"
            ),
            ["g5", "g1"],  # newest first: same time, higher id first
        )

    # -- conversations -----------------------------------------------------
    def test_two_sms_from_one_number_make_one_ticket_and_two_interactions(self):
        self._send(msg("c1", text="My parcel is late"))
        self._send(msg("c2", text="Any news?", at="2026-03-02T09:05:00Z"))
        ticket = self._tickets(CARLA)
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.channel, "sms")
        self.assertEqual(ticket.partner_id, self.carla)
        self.assertEqual(ticket.name, "My parcel is late")
        self.assertEqual(ticket.team_id, self.desk)
        inbound = self.Interaction.search(
            [("res_model", "=", ticket._name), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(sorted(inbound.mapped("external_id")), ["c1", "c2"])
        for interaction in inbound:
            self.assertEqual(
                (
                    interaction.channel,
                    interaction.direction,
                    interaction.state,
                    interaction.partner_id,
                    interaction.phone_e164,
                    interaction.team_id,
                ),
                ("sms", "inbound", "done", self.carla, CARLA, self.desk),
            )
        # both texts are on the chatter as Carla's messages
        posted = ticket.message_ids.filtered(lambda m: m.author_id == self.carla)
        self.assertEqual(len(posted), 2)
        self.assertIn("Any news?", posted[0].body)
        # the customer, answered by SMS, does not follow the ticket by email
        self.assertNotIn(self.carla, ticket.message_partner_ids)

    def test_unknown_number_opens_a_ticket_without_partner_keeping_the_number(self):
        partners_before = self.env["res.partner"].search_count([])
        # the gateway writes the number with spaces: kept as sent on the
        # interaction, matched and stored in E.164 on the ticket
        self._send(msg("u1", **{"from": "+32 470 99 98 88"}, name="Dave"))
        ticket = self._tickets(STRANGER)
        self.assertEqual(len(ticket), 1)
        self.assertFalse(ticket.partner_id)
        self.assertEqual(ticket.contact_address, STRANGER)
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before)
        interaction = self._logged("u1")
        self.assertEqual(
            (interaction.phone, interaction.phone_e164), ("+32 470 99 98 88", STRANGER)
        )
        self.assertFalse(interaction.partner_id)

    def test_whatsapp_message_opens_a_social_ticket_of_that_network(self):
        self._send(msg("w1", channel="WhatsApp", text="Hi from WhatsApp"))
        ticket = self._tickets(CARLA)
        self.assertEqual(
            (ticket.channel, ticket.social_network, ticket.partner_id),
            ("social", "whatsapp", self.carla),
        )
        self.assertEqual(self._logged("w1").social_network, "whatsapp")
        # the same number by SMS is another conversation
        self._send(msg("w2"))
        self.assertEqual(self._tickets(CARLA).mapped("channel"), ["social", "sms"])

    def test_handle_on_a_social_network_continues_its_conversation(self):
        self._send(msg("h1", channel="telegram", **{"from": "@carla_c"}))
        self._send(msg("h2", channel="telegram", **{"from": "@carla_c"}))
        self._send(msg("h3", channel="facebook", **{"from": "@carla_c"}))
        tickets = self._tickets("@carla_c")
        self.assertEqual(tickets.mapped("social_network"), ["telegram", "facebook"])
        self.assertFalse(tickets.partner_id)  # a handle names no contact

    def test_message_to_a_did_lands_in_its_team(self):
        self._send(msg("t1", to="+32 2 200 11 99"))
        ticket = self._tickets(CARLA)
        self.assertEqual(ticket.team_id, self.billing)
        self.assertEqual(ticket.agent_id, self.bob.browse())  # bob is offline
        self.assertEqual(self._logged("t1").team_id, self.billing)

    def test_new_sms_reopens_a_solved_ticket(self):
        self._send(msg("r1"))
        ticket = self._tickets(CARLA)
        solved = self.env["contact_center.ticket.stage"].search(
            [("is_solved", "=", True), ("is_closed", "=", False)], limit=1
        )
        ticket.stage_id = solved
        self._send(msg("r2", text="It broke again"))
        self.assertEqual(self._tickets(CARLA), ticket)
        self.assertFalse(ticket.is_solved)
        self.assertEqual(ticket.reopen_count, 1)

    def test_new_sms_after_a_closed_ticket_opens_a_new_one(self):
        self._send(msg("x1"))
        ticket = self._tickets(CARLA)
        closed = self.env["contact_center.ticket.stage"].search(
            [("is_closed", "=", True)], limit=1
        )
        ticket.stage_id = closed
        self._send(msg("x2", text="Something new"))
        tickets = self._tickets(CARLA)
        self.assertEqual(len(tickets), 2)
        self.assertEqual(tickets[1].name, "Something new")

    def test_sms_ticket_is_routed_and_not_acknowledged_by_email(self):
        self.ann._set_presence("available")
        self._send(msg("k1"))
        ticket = self._tickets(CARLA)
        self.assertEqual(ticket.agent_id, self.ann)
        self.assertTrue(ticket.acknowledgement_skipped)
        self.assertFalse(
            self.env["mail.mail"].search(
                [("model", "=", ticket._name), ("res_id", "=", ticket.id)]
            )
        )

    def test_same_message_twice_in_one_request_is_kept_once(self):
        answer = self._send(msg("s1"), msg("s1"))
        self.assertEqual(
            [m["status"] for m in answer["messages"]], ["done", "duplicate"]
        )
        self.assertEqual(len(self._logged("s1")), 1)

    def test_classification_rules_classify_a_new_sms_ticket(self):
        self.env["contact_center.classification.rule"].create(
            {
                "name": "Refunds",
                "subject_keywords": "refund",
                "set_team_id": self.billing.id,
                "set_priority": "3",
            }
        )
        self._send(msg("l1", text="I want a refund for order 42"))
        ticket = self._tickets(CARLA)
        self.assertEqual((ticket.team_id, ticket.priority), (self.billing, "3"))

    @mute_logger("odoo.sql_db")
    def test_failed_message_stays_in_the_inbox_and_can_be_retried(self):
        # a call logged under the same id by this provider: the message's
        # interaction cannot be created (unique provider and id)
        call = self.Interaction.create(
            {"channel": "phone", "provider": "test-gw", "external_id": "f1"}
        )
        answer = self._send(msg("f1"), msg("f2", **{"from": STRANGER}))
        statuses = {m["id"]: m["status"] for m in answer["messages"]}
        self.assertEqual(statuses, {"f1": "failed", "f2": "done"})
        event = self._stored().filtered(lambda e: e.external_id == "message/f1")
        self.assertEqual(event.state, "failed")
        self.assertTrue(event.error)
        self.assertFalse(self._tickets(CARLA))  # rolled back with its message
        self.assertTrue(self._tickets(STRANGER))  # the other one went on
        call.unlink()
        event.action_retry()
        self.assertEqual(event.state, "done")
        self.assertEqual(event.interaction_id, self._logged("f1"))
        self.assertEqual(len(self._tickets(CARLA)), 1)


class TestMessagingRouting(MessagingSetup, TransactionCase):
    """Written conversations fill their channel's capacity, email its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_messaging()
        cls.env["contact_center.sla.policy"].search([]).active = False
        cls.ann.write({"capacity_sms": 1, "capacity_email": 5})

    def _ticket(self, channel, **vals):
        return self.Ticket.create(
            {"name": "Help", "team_id": self.desk.id, "channel": channel, **vals}
        )

    def test_agent_at_sms_capacity_gets_no_new_sms_ticket(self):
        self.ann._set_presence("available")
        first = self._ticket("sms")
        self.assertEqual(first.agent_id, self.ann)
        # one SMS open = her SMS capacity; four email places are free
        second = self._ticket("sms")
        self.assertFalse(second.agent_id)

    def test_sms_tickets_do_not_fill_email_capacity(self):
        self.ann.write({"capacity_sms": 3, "capacity_email": 1})
        self.ann._set_presence("available")
        sms = self._ticket("sms") | self._ticket("sms")
        self.assertEqual(sms.agent_id, self.ann)
        self.assertEqual(self._ticket("email").agent_id, self.ann)
        self.assertFalse(self._ticket("email").agent_id)  # email capacity 1

    def test_agent_on_break_gets_no_sms_ticket(self):
        self.ann._set_presence("break")
        self.assertFalse(self._ticket("sms").agent_id)

    def test_social_and_chat_tickets_use_their_own_capacity(self):
        self.ann.write({"capacity_social": 0, "capacity_chat": 1})
        self.ann._set_presence("available")
        self.assertFalse(self._ticket("social", social_network="facebook").agent_id)
        self.assertEqual(self._ticket("chat").agent_id, self.ann)

    def test_free_agent_takes_waiting_tickets_up_to_each_channel_capacity(self):
        # 2 SMS and 2 email tickets wait; Ann (SMS 1, email 5) comes back:
        # she takes 1 SMS and both emails
        waiting = self._ticket("sms") | self._ticket("sms")
        emails = self._ticket("email") | self._ticket("email")
        self.ann._set_presence("available")
        self.assertEqual(len(waiting.filtered("agent_id")), 1)
        self.assertEqual(emails.agent_id, self.ann)

    def test_routing_reads_agents_in_the_same_queries_whatever_the_channels(self):
        self.ann._set_presence("available")
        Ticket = self.Ticket.with_context(cc_skip_routing=True)
        one = Ticket.create(
            [{"name": "x", "team_id": self.desk.id, "channel": "email"}] * 3
        )
        mixed = Ticket.create(
            [
                {"name": "x", "team_id": self.desk.id, "channel": channel}
                for channel in ("email", "sms", "social")
            ]
        )
        # a first routing fills the caches both measures then share
        Ticket.create({"name": "x", "team_id": self.desk.id})._route()
        self.env.flush_all()
        counts = []
        for tickets in (one, mixed):
            before = self.env.cr.sql_log_count
            tickets._route()
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])


class TestMessagingReplies(MessagingSetup, TransactionCase):
    """Agents answer SMS and social tickets on the channel, never by email."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_messaging()
        cls.env.company.country_id = cls.env.ref("base.be")

    def setUp(self):
        super().setUp()
        self.gateway = RecordingMessagingServer()
        self.addCleanup(self.gateway.close)
        self.provider.write(
            {
                "connector": "generic",
                "connector_url": self.gateway.url,
                "messaging_enabled": True,
            }
        )
        messaging = self.env["contact_center.messaging"]
        payload = {
            "messages": [
                msg("in1"),
                msg("in2", channel="facebook", **{"from": "carla.fb"}),
            ]
        }
        messaging._ingest(self.provider, payload)
        self.sms_ticket = self._tickets(CARLA)
        self.social_ticket = self._tickets("carla.fb")
        # worst case: the customer follows the ticket with an email address
        self.sms_ticket.message_subscribe(partner_ids=self.carla.ids)
        self.agent_user = self.ann.user_id

    def _reply(self, ticket, body, **kwargs):
        return ticket.with_user(self.agent_user).message_post(
            body=body, message_type="comment", subtype_xmlid="mail.mt_comment", **kwargs
        )

    def test_public_reply_on_sms_ticket_is_sent_by_the_gateway_not_emailed(self):
        message = self._reply(self.sms_ticket, "Your parcel leaves today.")
        self.assertEqual(len(self.gateway.requests), 1)
        sent = self.gateway.requests[0]["json"]
        self.assertEqual(
            (sent["channel"], sent["to"], sent["text"]),
            ("sms", CARLA, "Your parcel leaves today."),
        )
        # no email for the customer: neither a mail nor an email notification
        self.assertFalse(
            self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        )
        self.assertFalse(
            message.notification_ids.filtered(lambda n: n.res_partner_id == self.carla)
        )
        outbound = self.Interaction.search(
            [
                ("res_model", "=", self.sms_ticket._name),
                ("res_id", "=", self.sms_ticket.id),
                ("direction", "=", "outbound"),
            ]
        )
        self.assertEqual(
            (outbound.channel, outbound.state, outbound.agent_id, outbound.external_id),
            ("sms", "done", self.ann, "msg-1"),
        )
        # the first reply meets the first-response target
        self.assertEqual(self.sms_ticket.first_response_at, message.date)

    def test_reply_on_social_ticket_names_its_network(self):
        self._reply(self.social_ticket, "Hello on Facebook")
        sent = self.gateway.requests[0]["json"]
        self.assertEqual(
            (sent["channel"], sent["network"], sent["to"]),
            ("social", "facebook", "carla.fb"),
        )

    def test_internal_note_on_sms_ticket_sends_nothing(self):
        self.sms_ticket.with_user(self.agent_user).message_post(
            body="Customer sounds upset",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.assertFalse(self.gateway.requests)
        self.assertFalse(self.sms_ticket.first_response_at)

    def test_gateway_refusal_cancels_the_reply_with_its_reason(self):
        self.gateway.failing.add(CARLA)
        with (
            self.assertRaises(UserError) as caught,
            mute_logger("odoo.addons.contact_center.tools.telephony_connectors"),
        ):
            self._reply(self.sms_ticket, "This will not go")
        self.assertIn("Test Gateway", str(caught.exception))
