import base64
import contextlib
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch
from urllib.parse import parse_qs, urlsplit

import requests

from odoo.exceptions import AccessError, UserError
from odoo.tests.common import _super_send

from ..tools.telephony_connectors import (
    AsteriskAriConnector,
    ConnectorError,
    ConnectorSettings,
    GenericConnector,
)
from .common import ContactCenterCase

NUMBER = "+32470123456"


class PbxDouble:
    """PBX test double: a real HTTP server on 127.0.0.1 that records requests.

    Each request is kept as a dict (method, path, query, headers, json); the
    answer is ``status`` and ``reply`` (a dict sent as JSON), after ``delay``
    seconds, so tests can play a PBX that fails or is slow.
    """

    def __init__(self):
        self.requests = []
        self.status = 200
        self.reply = {}
        self.delay = 0.0
        double = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                url = urlsplit(self.path)
                double.requests.append(
                    {
                        "method": self.command,
                        "path": url.path,
                        "query": {k: v[0] for k, v in parse_qs(url.query).items()},
                        "headers": dict(self.headers),
                        "json": json.loads(raw) if raw else None,
                    }
                )
                if double.delay:
                    time.sleep(double.delay)
                body = json.dumps(double.reply).encode()
                # the client may have given up already (timeout test)
                with contextlib.suppress(OSError):
                    self.send_response(double.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

            do_GET = do_POST = do_DELETE = _handle

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def closed_port_url():
    """A URL on a local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class TestConnectors(ContactCenterCase):
    """What the connectors send to a PBX and how they report its failures."""

    def setUp(self):
        super().setUp()
        self.pbx = PbxDouble()
        self.addCleanup(self.pbx.close)

    def _generic(self, **kw):
        return GenericConnector(ConnectorSettings(url=self.pbx.url + "/hook", **kw))

    def _ari(self, **kw):
        settings = {"username": "odoo", "password": "s3cret", "timeout": 2.0}
        settings.update(kw)
        return AsteriskAriConnector(
            ConnectorSettings(url=self.pbx.url + "/ari/", **settings)
        )

    def test_generic_originate_posts_json_with_basic_auth(self):
        self.pbx.reply = {"call_id": "pbx-42"}
        connector = self._generic(username="odoo", password="pw", caller_id="+3222")
        call_id = connector.originate("201", "Ann Agent", NUMBER, "odoo-1")
        self.assertEqual(call_id, "pbx-42")
        (req,) = self.pbx.requests
        self.assertEqual((req["method"], req["path"]), ("POST", "/hook"))
        self.assertEqual(
            req["headers"]["Authorization"],
            "Basic " + base64.b64encode(b"odoo:pw").decode(),
        )
        self.assertEqual(
            req["json"],
            {
                "action": "originate",
                "agent": {"extension": "201", "name": "Ann Agent"},
                "number": NUMBER,
                "call_id": "odoo-1",
                "caller_id": "+3222",
            },
        )

    def test_generic_keeps_odoo_call_id_when_pbx_gives_none(self):
        call_id = self._generic().originate("201", "Ann", NUMBER, "odoo-1")
        self.assertEqual(call_id, "odoo-1")
        self.assertNotIn("Authorization", self.pbx.requests[0]["headers"])

    def test_generic_hangup(self):
        self._generic().hangup("odoo-1")
        (req,) = self.pbx.requests
        self.assertEqual(req["json"], {"action": "hangup", "call_id": "odoo-1"})

    def test_ari_originate_sends_channel_params(self):
        self.pbx.reply = {"id": "odoo-1", "state": "Down"}
        call_id = self._ari().originate("201", "Ann", NUMBER, "odoo-1")
        self.assertEqual(call_id, "odoo-1")
        (req,) = self.pbx.requests
        self.assertEqual((req["method"], req["path"]), ("POST", "/ari/channels"))
        self.assertEqual(
            req["headers"]["Authorization"],
            "Basic " + base64.b64encode(b"odoo:s3cret").decode(),
        )
        query = req["query"]
        self.assertEqual(query["endpoint"], "PJSIP/201")
        self.assertEqual(query["extension"], NUMBER)
        self.assertEqual(query["context"], "from-internal")
        self.assertEqual(query["priority"], "1")
        self.assertEqual(query["channelId"], "odoo-1")
        self.assertEqual(query["otherChannelId"], "odoo-1-b")
        self.assertEqual(query["callerId"], NUMBER)
        self.assertNotIn("app", query)

    def test_ari_originate_to_stasis_app(self):
        self._ari(app="cc", endpoint_template="SIP/{extension}").originate(
            "7", "Ann", NUMBER, "c9"
        )
        query = self.pbx.requests[0]["query"]
        self.assertEqual(query["app"], "cc")
        self.assertEqual(query["endpoint"], "SIP/7")
        self.assertNotIn("context", query)

    def test_ari_hangup_deletes_channel(self):
        self._ari().hangup("odoo-1")
        (req,) = self.pbx.requests
        self.assertEqual(
            (req["method"], req["path"]), ("DELETE", "/ari/channels/odoo-1")
        )

    def test_ari_hangup_quotes_the_call_id_in_the_path(self):
        self._ari().hangup("a/b?c#d")
        (req,) = self.pbx.requests
        self.assertEqual(
            (req["method"], req["path"]), ("DELETE", "/ari/channels/a%2Fb%3Fc%23d")
        )

    def test_ari_originate_quotes_extension_and_call_id(self):
        self._ari().originate("sip:ann@pbx.example.com", "Ann", NUMBER, "x/y?z#w")
        (req,) = self.pbx.requests
        self.assertEqual(req["path"], "/ari/channels")
        query = req["query"]
        self.assertEqual(query["endpoint"], "PJSIP/sip:ann@pbx.example.com")
        self.assertEqual(query["channelId"], "x/y?z#w")
        self.assertEqual(query["otherChannelId"], "x/y?z#w-b")
        self.assertEqual(query["extension"], NUMBER)

    def test_pbx_error_status_is_reported_with_its_text(self):
        self.pbx.status = 500
        self.pbx.reply = {"message": "Endpoint not found"}
        with self.assertRaisesRegex(ConnectorError, "HTTP 500.*Endpoint not found"):
            self._ari().originate("201", "Ann", NUMBER, "c1")

    def test_bad_credentials_are_reported(self):
        self.pbx.status = 401
        with self.assertRaisesRegex(ConnectorError, "credentials"):
            self._generic().originate("201", "Ann", NUMBER, "c1")

    def test_unreachable_pbx_is_reported(self):
        connector = GenericConnector(ConnectorSettings(url=closed_port_url()))
        with self.assertRaisesRegex(ConnectorError, "cannot be reached"):
            connector.originate("201", "Ann", NUMBER, "c1")

    def test_slow_pbx_times_out(self):
        self.pbx.delay = 1.0
        # Odoo's test guard stretches request timeouts under 10 s to 10 s;
        # give this one local request the real send so 0.3 s is honoured
        with (
            patch.object(requests.Session, "send", _super_send),
            self.assertRaisesRegex(ConnectorError, "did not answer within 0.3"),
        ):
            self._generic(timeout=0.3).originate("201", "Ann", NUMBER, "c1")


class TestClickToDial(ContactCenterCase):
    """Calling a customer from a partner, a lead or a ticket."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.country_id = cls.env.ref("base.be")
        cls.agent.extension = "201"
        # leads are the sales team's: the agent who calls them sells too
        cls.user_agent.groups_id |= cls.env.ref("sales_team.group_sale_salesman")
        cls.customer.write({"phone": "0470 12 34 56", "mobile": "+32 475 00 11 22"})
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Big deal",
                "partner_id": cls.customer.id,
                "phone": NUMBER,
                "user_id": cls.user_agent.id,
            }
        )
        cls.ticket = cls.env["contact_center.ticket"].create(
            {"name": "Broken", "partner_id": cls.customer.id}
        )

    def setUp(self):
        super().setUp()
        self.pbx = PbxDouble()
        self.addCleanup(self.pbx.close)

    def _provider(self, connector="generic", url=None, **vals):
        values = {
            "name": "PBX",
            "code": "pbx1",
            "connector": connector,
            "connector_url": url or self.pbx.url,
            "connector_timeout": 0.3,
        }
        values.update(vals)
        return self.env["contact_center.telephony.provider"].create(values)

    def _last_interaction(self):
        return self.env["contact_center.interaction"].search(
            [("direction", "=", "outbound"), ("user_id", "in", self.user_agent.ids)],
            order="id desc",
            limit=1,
        )

    def test_partner_without_connector_returns_tel_link(self):
        action = self.customer.with_user(self.user_agent).action_cc_dial()
        self.assertEqual(action["tag"], "contact_center_softphone_dial")
        self.assertEqual(action["params"]["uri"], "tel:" + NUMBER)
        call = self._last_interaction()
        self.assertEqual(call.partner_id, self.customer)
        self.assertEqual(call.phone, NUMBER)
        self.assertEqual(call.channel, "phone")
        self.assertEqual(call.state, "ringing")
        self.assertEqual(call.agent_id, self.agent)
        self.assertEqual(call.team_id, self.team)
        self.assertEqual(
            (call.res_model, call.res_id), ("res.partner", self.customer.id)
        )

    def test_sip_extension_gives_sip_link(self):
        self.agent.extension = "sip:ann@pbx.example.com"
        action = self.customer.with_user(self.user_agent).action_cc_dial("mobile")
        self.assertEqual(action["params"]["uri"], "sip:+32475001122")

    def test_partner_with_connector_originates_through_pbx(self):
        self._provider()
        self.pbx.reply = {"call_id": "pbx-77"}
        action = self.customer.with_user(self.user_agent).action_cc_dial()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(self.pbx.requests[0]["json"]["number"], NUMBER)
        self.assertEqual(self.pbx.requests[0]["json"]["agent"]["extension"], "201")
        call = self._last_interaction()
        self.assertEqual(call.state, "ringing")
        self.assertEqual(call.provider, "pbx1")
        self.assertEqual(call.external_id, "pbx-77")

    def test_provider_hangs_up_the_call_it_started(self):
        provider = self._provider(connector="asterisk_ari", url=self.pbx.url + "/ari")
        self.customer.with_user(self.user_agent).action_cc_dial()
        call = self._last_interaction()
        provider._hangup(call)
        self.assertEqual(
            (self.pbx.requests[-1]["method"], self.pbx.requests[-1]["path"]),
            ("DELETE", f"/ari/channels/{call.external_id}"),
        )

    def test_lead_call_is_linked_to_lead_and_its_partner(self):
        self._provider(connector="asterisk_ari", url=self.pbx.url + "/ari")
        self.lead.with_user(self.user_agent).action_cc_dial()
        self.assertEqual(self.pbx.requests[0]["path"], "/ari/channels")
        call = self._last_interaction()
        self.assertEqual(call.partner_id, self.customer)
        self.assertEqual((call.res_model, call.res_id), ("crm.lead", self.lead.id))
        self.assertEqual(self.pbx.requests[0]["query"]["channelId"], call.external_id)

    def test_ticket_call_uses_customer_phone(self):
        self.assertEqual(self.ticket.partner_phone, "0470 12 34 56")
        action = (
            self.ticket.with_user(self.user_agent)
            .with_context(cc_dial_field="partner_phone")
            .action_cc_dial()
        )
        self.assertEqual(action["params"]["uri"], "tel:" + NUMBER)
        call = self._last_interaction()
        self.assertEqual(call.partner_id, self.customer)
        self.assertEqual(
            (call.res_model, call.res_id), ("contact_center.ticket", self.ticket.id)
        )

    def test_pbx_error_keeps_failed_interaction_and_notifies(self):
        self._provider()
        self.pbx.status = 500
        self.pbx.reply = {"error": "trunk down"}
        action = self.customer.with_user(self.user_agent).action_cc_dial()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("trunk down", action["params"]["message"])
        call = self._last_interaction()
        self.assertEqual(call.state, "failed")
        self.assertIn("trunk down", call.note)

    def test_unreachable_pbx_keeps_failed_interaction(self):
        self._provider(url=closed_port_url())
        action = self.customer.with_user(self.user_agent).action_cc_dial()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertEqual(self._last_interaction().state, "failed")

    def test_user_without_agent_gets_clear_error(self):
        with self.assertRaisesRegex(UserError, "not a contact-center agent"):
            self.customer.with_user(self.user_employee).action_cc_dial()

    def test_record_without_number_gets_clear_error(self):
        partner = self.env["res.partner"].create({"name": "No Phone"})
        with self.assertRaisesRegex(UserError, "has no"):
            partner.with_user(self.user_agent).action_cc_dial()
        self.assertFalse(self._last_interaction())

    def test_agent_without_extension_cannot_call_through_pbx(self):
        self._provider()
        self.agent.extension = False
        with self.assertRaisesRegex(UserError, "no extension"):
            self.customer.with_user(self.user_agent).action_cc_dial()
        self.assertFalse(self.pbx.requests)

    def test_connection_test_reports_failure(self):
        provider = self._provider()
        self.pbx.status = 401
        action = provider.with_user(self.user_manager).action_test_connection()
        self.assertEqual(action["params"]["type"], "danger")
        self.pbx.status = 200
        action = provider.with_user(self.user_manager).action_test_connection()
        self.assertEqual(action["params"]["type"], "success")
        with self.assertRaises(AccessError):
            provider.with_user(self.user_agent).action_test_connection()

    def test_call_buttons_shown_to_agents_only(self):
        for model in ("res.partner", "crm.lead", "contact_center.ticket"):
            with self.subTest(model=model):
                arch = (
                    self.env[model]
                    .with_user(self.user_agent)
                    .get_views([(False, "form")])["views"]["form"]["arch"]
                )
                self.assertIn('name="action_cc_dial"', arch)
        arch = (
            self.env["res.partner"]
            .with_user(self.user_employee)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertNotIn("action_cc_dial", arch)


class TestDialerConnectors(ContactCenterCase):
    """The dialer's commands (dial, bridge, play a message) sent to a PBX."""

    def setUp(self):
        super().setUp()
        self.pbx = PbxDouble()
        self.addCleanup(self.pbx.close)

    def _generic(self, **kw):
        return GenericConnector(ConnectorSettings(url=self.pbx.url + "/hook", **kw))

    def _ari(self, **kw):
        settings = {"username": "odoo", "password": "s3cret", "timeout": 2.0}
        settings.update(kw)
        return AsteriskAriConnector(
            ConnectorSettings(url=self.pbx.url + "/ari/", **settings)
        )

    def test_generic_dial_posts_number_without_agent(self):
        self.pbx.reply = {"call_id": "pbx-9"}
        call_id = self._generic(caller_id="+3222").dial(
            NUMBER, "odoo-1", ring_seconds=25
        )
        self.assertEqual(call_id, "pbx-9")
        self.assertEqual(
            self.pbx.requests[0]["json"],
            {
                "action": "dial",
                "number": NUMBER,
                "call_id": "odoo-1",
                "caller_id": "+3222",
                "ring_seconds": 25,
            },
        )

    def test_generic_dial_keeps_odoo_call_id_and_given_caller_id(self):
        call_id = self._generic(caller_id="+3222").dial(
            NUMBER, "odoo-1", caller_id="+3233"
        )
        self.assertEqual(call_id, "odoo-1")
        self.assertEqual(self.pbx.requests[0]["json"]["caller_id"], "+3233")
        self.assertIsNone(self.pbx.requests[0]["json"]["ring_seconds"])

    def test_generic_bridge_names_the_agent(self):
        self._generic().bridge("odoo-1", "201", "Ann Agent")
        self.assertEqual(
            self.pbx.requests[0]["json"],
            {
                "action": "bridge",
                "call_id": "odoo-1",
                "agent": {"extension": "201", "name": "Ann Agent"},
            },
        )

    def test_generic_play_message(self):
        self._generic().play_message("odoo-1", "We will call you back.")
        self.assertEqual(
            self.pbx.requests[0]["json"],
            {
                "action": "play_message",
                "call_id": "odoo-1",
                "message": "We will call you back.",
            },
        )

    def test_ari_dial_originates_through_trunk_into_stasis(self):
        self.pbx.reply = {"id": "odoo-1"}
        call_id = self._ari(app="dialer", caller_id="+3222").dial(
            NUMBER, "odoo-1", ring_seconds=20
        )
        self.assertEqual(call_id, "odoo-1")
        (req,) = self.pbx.requests
        self.assertEqual((req["method"], req["path"]), ("POST", "/ari/channels"))
        query = req["query"]
        self.assertEqual(query["endpoint"], "PJSIP/+32470123456@trunk")
        self.assertEqual(query["channelId"], "odoo-1")
        self.assertEqual(query["timeout"], "20")
        self.assertEqual(query["app"], "dialer")
        self.assertEqual(query["callerId"], "+3222")
        self.assertNotIn("context", query)

    def test_ari_dial_uses_trunk_template(self):
        self._ari(app="dialer", trunk_template="SIP/gw/{number}").dial(
            NUMBER, "c1", caller_id="+3233"
        )
        query = self.pbx.requests[0]["query"]
        self.assertEqual(query["endpoint"], "SIP/gw/+32470123456")
        self.assertEqual(query["callerId"], "+3233")
        self.assertNotIn("timeout", query)

    def test_ari_dial_without_stasis_app_is_refused_before_calling(self):
        with self.assertRaisesRegex(ConnectorError, "Stasis application"):
            self._ari().dial(NUMBER, "c1")
        self.assertFalse(self.pbx.requests)

    def test_ari_dial_quotes_hostile_call_id(self):
        self._ari(app="dialer").dial(NUMBER, "x/y?z#w&app=evil")
        (req,) = self.pbx.requests
        self.assertEqual(req["path"], "/ari/channels")
        self.assertEqual(req["query"]["channelId"], "x/y?z#w&app=evil")
        self.assertEqual(req["query"]["app"], "dialer")

    def test_ari_bridge_continues_to_agent_extension(self):
        self._ari().bridge("odoo-1", "201", "Ann")
        (req,) = self.pbx.requests
        self.assertEqual(
            (req["method"], req["path"]), ("POST", "/ari/channels/odoo-1/continue")
        )
        self.assertEqual(
            req["query"],
            {"context": "from-internal", "extension": "201", "priority": "1"},
        )

    def test_ari_bridge_quotes_call_id_and_extension(self):
        self._ari().bridge("a/b?c#d", "20 1&x=y")
        (req,) = self.pbx.requests
        self.assertEqual(req["path"], "/ari/channels/a%2Fb%3Fc%23d/continue")
        self.assertEqual(req["query"]["extension"], "20 1&x=y")
        self.assertNotIn("x", req["query"])

    def test_ari_play_message_plays_a_sound_by_name(self):
        self._ari().play_message("odoo-1", "cc-abandoned-call")
        (req,) = self.pbx.requests
        self.assertEqual(
            (req["method"], req["path"]), ("POST", "/ari/channels/odoo-1/play")
        )
        self.assertEqual(req["query"], {"media": "sound:cc-abandoned-call"})

    def test_ari_play_message_keeps_a_media_uri(self):
        connector = self._ari()
        connector.play_message("c1", "recording:voicemail-drop")
        connector.play_message("c/1", "https://media.example.com/drop.wav")
        first, second = self.pbx.requests
        self.assertEqual(first["query"]["media"], "recording:voicemail-drop")
        self.assertEqual(second["path"], "/ari/channels/c%2F1/play")
        self.assertEqual(second["query"]["media"], "https://media.example.com/drop.wav")

    def test_dial_to_unreachable_pbx_is_reported(self):
        connector = GenericConnector(ConnectorSettings(url=closed_port_url()))
        with self.assertRaisesRegex(ConnectorError, "cannot be reached"):
            connector.dial(NUMBER, "c1")

    def test_bridge_and_message_errors_carry_the_pbx_text(self):
        self.pbx.status = 404
        self.pbx.reply = {"message": "Channel not found"}
        with self.assertRaisesRegex(ConnectorError, "HTTP 404.*Channel not found"):
            self._ari().bridge("gone", "201")
        with self.assertRaisesRegex(ConnectorError, "HTTP 404.*Channel not found"):
            self._ari().play_message("gone", "hello")

    def test_provider_sends_dialer_commands_for_the_interaction(self):
        self.agent.extension = "201"
        provider = self.env["contact_center.telephony.provider"].create(
            {
                "name": "PBX",
                "code": "pbx-dialer",
                "connector": "asterisk_ari",
                "connector_url": self.pbx.url + "/ari",
                "ari_app": "dialer",
                "outbound_caller_id": "+3222",
            }
        )
        call = self._interaction(
            direction="outbound", provider="pbx-dialer", external_id="odoo-c/7"
        )
        self.assertEqual(provider._dial(NUMBER, call, ring_seconds=15), "odoo-c/7")
        provider._bridge(call, self.agent)
        provider._play_message(call, "goodbye")
        dial, bridge, play = self.pbx.requests
        self.assertEqual(dial["query"]["channelId"], "odoo-c/7")
        self.assertEqual(dial["query"]["endpoint"], "PJSIP/+32470123456@trunk")
        self.assertEqual(dial["query"]["callerId"], "+3222")
        self.assertEqual(dial["query"]["timeout"], "15")
        self.assertEqual(bridge["path"], "/ari/channels/odoo-c%2F7/continue")
        self.assertEqual(bridge["query"]["extension"], "201")
        self.assertEqual(play["path"], "/ari/channels/odoo-c%2F7/play")
        self.assertEqual(play["query"]["media"], "sound:goodbye")

    def test_provider_dial_to_pbx_down_raises_for_the_user(self):
        provider = self.env["contact_center.telephony.provider"].create(
            {
                "name": "PBX",
                "code": "pbx-down",
                "connector": "generic",
                "connector_url": closed_port_url(),
            }
        )
        call = self._interaction(
            direction="outbound", provider="pbx-down", external_id="odoo-c8"
        )
        with self.assertRaisesRegex(
            ConnectorError, r"The PBX at http://127\.0\.0\.1:\d+ cannot be reached"
        ):
            provider._dial(NUMBER, call)
