"""Connectors that ask a PBX to start, connect or end calls.

Click-to-dial (``originate``: ring the agent, then the number) and the
dialer's calls (``dial`` the customer first, ``bridge`` the answered call to
an agent, ``play_message`` to a person or a machine), and ``hangup``;
``send_message`` sends an SMS or a social reply through the provider.

Plain Python over HTTP with ``requests``: no ORM here, so the connectors
can be exercised against any HTTP peer.  Each connector is built from a
plain settings dict (see ``ConnectorSettings``) and raises
``ConnectorError`` with a sentence a user understands when the PBX cannot
be reached, is too slow, refuses the credentials or answers an error.
"""

import dataclasses
import json
import logging
import random
import threading
import time
import uuid
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import requests

from . import simulated_pbx
from .telephony import sign

_logger = logging.getLogger(__name__)

# Longest part of a PBX's error answer we repeat to the user.
MAX_PBX_TEXT = 300
# Written channels a provider can send on (see ``send_message``)
MESSAGE_CHANNELS = ("sms", "social")


class ConnectorError(Exception):
    """The PBX did not do what was asked; the message is for the user."""


@dataclass
class ConnectorSettings:
    """What a connector needs to know about its PBX."""

    url: str
    username: str = ""
    password: str = ""
    timeout: float = 5.0
    endpoint_template: str = "PJSIP/{extension}"
    context: str = "from-internal"
    app: str = ""
    caller_id: str = ""
    # Asterisk ARI: the endpoint of a customer's number for dialer calls
    trunk_template: str = "PJSIP/{number}@trunk"
    # Messaging (SMS and social): where the generic connector POSTs messages
    messaging_url: str = ""
    # Simulated PBX: whom it reports events to (``url`` is Odoo's own base
    # URL), how it signs them, how its called people behave
    provider_code: str = ""
    secret: str = ""
    profile: simulated_pbx.SimProfile | None = None
    seed: int | None = None


class BaseConnector:
    """HTTP plumbing shared by the connectors: auth, timeout, error text."""

    label = "PBX"  # how error messages name the connector
    can_message = False  # whether it sends SMS and social messages

    def __init__(self, settings):
        if not settings.url:
            raise ConnectorError("The provider has no connector URL.")
        self.settings = settings

    def _auth(self):
        if self.settings.username:
            return (self.settings.username, self.settings.password or "")
        return None

    def _request(self, method, url, peer="PBX", **kwargs):
        """Send one request; turn every failure into a ConnectorError.

        ``peer`` names the far end in the error messages (the PBX, or the
        messaging provider).
        """
        timeout = self.settings.timeout or 5.0
        where = url.split("?", 1)[0]  # errors name the PBX, not the query
        try:
            response = requests.request(
                method, url, auth=self._auth(), timeout=timeout, **kwargs
            )
        except requests.exceptions.Timeout as exc:
            raise ConnectorError(
                f"The {peer} at {where} did not answer within {timeout:g} seconds."
            ) from exc
        except requests.exceptions.RequestException as exc:
            raise ConnectorError(
                f"The {peer} at {where} cannot be reached ({type(exc).__name__})."
            ) from exc
        if response.status_code in (401, 403):
            raise ConnectorError(
                f"The {peer} refused the connector's credentials "
                f"(HTTP {response.status_code}): check the user name and password."
            )
        if response.status_code >= 400:
            text = (response.text or response.reason or "").strip()[:MAX_PBX_TEXT]
            raise ConnectorError(
                f"The {peer} answered HTTP {response.status_code}: {text}"
            )
        return response

    @staticmethod
    def _json(response):
        """The JSON body of an answer, or {} when the PBX sent none."""
        if not response.content:
            return {}
        try:
            body = response.json()
        except (ValueError, json.JSONDecodeError):
            return {}
        return body if isinstance(body, dict) else {}

    def originate(self, extension, agent_name, number, call_id):
        """Ring the agent, then the number; return the PBX's call id."""
        raise NotImplementedError

    def hangup(self, call_id):
        """End the call the PBX knows as ``call_id``."""
        raise NotImplementedError

    def dial(self, number, call_id, caller_id=None, ring_seconds=None):
        """Call the customer first, no agent yet (a dialer call).

        ``ring_seconds``: how long to let it ring (None: the PBX's default).
        The PBX reports the answer (``answered_by`` human or machine) as an
        event; returns the PBX's call id.
        """
        raise NotImplementedError

    def bridge(self, call_id, extension, agent_name=None):
        """Connect the answered call ``call_id`` to the agent's extension."""
        raise NotImplementedError

    def play_message(self, call_id, message):
        """Play ``message`` to the called person (or machine), then hang up."""
        raise NotImplementedError

    def test(self):
        """Check the PBX answers with these credentials; raise if not."""
        raise NotImplementedError

    def send_message(self, channel, to, text, network=None, reference=None):
        """Send ``text`` to ``to`` on ``channel`` (sms or social).

        ``to`` is an E.164 number for an SMS, the customer's id on the
        network for a social message; ``network`` names the social network
        (whatsapp, facebook, ...). ``reference`` is Odoo's own id of the
        message, which the provider may use to drop a duplicate. Returns the
        provider's message id (``reference`` when the provider gives none).
        """
        raise ConnectorError(
            f"The {self.label} connector cannot send SMS or social messages: "
            "choose the generic connector to send them."
        )

    @staticmethod
    def _check_message(channel, to, text):
        """Refuse a message no provider could deliver, before any request."""
        if channel not in MESSAGE_CHANNELS:
            raise ConnectorError(
                f"Unknown message channel {channel!r}: expected "
                f"{' or '.join(MESSAGE_CHANNELS)}."
            )
        if not (to or "").strip():
            raise ConnectorError("The message has no recipient.")
        if not (text or "").strip():
            raise ConnectorError("The message is empty.")


class GenericConnector(BaseConnector):
    """POSTs JSON commands to one URL; for PBXs with a small webhook adapter.

    The PBX may answer ``{"call_id": "..."}`` to give its own call id;
    otherwise Odoo's call id stays the reference.
    """

    label = "generic"
    can_message = True

    def originate(self, extension, agent_name, number, call_id):
        body = {
            "action": "originate",
            "agent": {"extension": extension, "name": agent_name},
            "number": number,
            "call_id": call_id,
            "caller_id": self.settings.caller_id or None,
        }
        response = self._request("POST", self.settings.url, json=body)
        return self._json(response).get("call_id") or call_id

    def hangup(self, call_id):
        self._request(
            "POST", self.settings.url, json={"action": "hangup", "call_id": call_id}
        )
        return True

    def dial(self, number, call_id, caller_id=None, ring_seconds=None):
        body = {
            "action": "dial",
            "number": number,
            "call_id": call_id,
            "caller_id": caller_id or self.settings.caller_id or None,
            "ring_seconds": ring_seconds,
        }
        response = self._request("POST", self.settings.url, json=body)
        return self._json(response).get("call_id") or call_id

    def bridge(self, call_id, extension, agent_name=None):
        body = {
            "action": "bridge",
            "call_id": call_id,
            "agent": {"extension": extension, "name": agent_name},
        }
        self._request("POST", self.settings.url, json=body)
        return True

    def play_message(self, call_id, message):
        body = {"action": "play_message", "call_id": call_id, "message": message}
        self._request("POST", self.settings.url, json=body)
        return True

    def test(self):
        self._request("POST", self.settings.url, json={"action": "ping"})
        return True

    def send_message(self, channel, to, text, network=None, reference=None):
        """POST the message as JSON to the messaging URL (the call URL when
        none is set); the provider answers ``{"message_id": "..."}``."""
        self._check_message(channel, to, text)
        reference = reference or f"odoo-{uuid.uuid4().hex}"
        body = {
            "action": "send_message",
            "channel": channel,
            "network": network or None,
            "to": to,
            "text": text,
            "reference": reference,
            "from": self.settings.caller_id or None,
        }
        url = self.settings.messaging_url or self.settings.url
        response = self._request("POST", url, peer="messaging provider", json=body)
        answer = self._json(response)
        message_id = answer.get("message_id") or answer.get("id")
        return str(message_id) if message_id else reference


class AsteriskAriConnector(BaseConnector):
    """Asterisk REST Interface: originate and hang up channels over HTTP.

    The agent's endpoint rings first; when it answers, Asterisk continues
    in the dialplan context at the customer's number, or hands the channel
    to a Stasis application when one is configured.  The channel id is
    Odoo's call id, so a later hang-up needs no lookup.
    """

    label = "Asterisk ARI"

    def _url(self, *segments, **params):
        """The ARI URL of ``segments`` with ``params``, every part quoted.

        Extensions, endpoints and call ids come from users and PBXs: a ``/``,
        ``?`` or ``#`` in them must stay data, never reshape the URL.
        """
        url = "/".join(
            [self.settings.url.rstrip("/"), *(quote(str(s), safe="") for s in segments)]
        )
        if params:
            url += "?" + urlencode(params, quote_via=quote, safe="")
        return url

    def originate(self, extension, agent_name, number, call_id):
        params = {
            "endpoint": self.settings.endpoint_template.format(extension=extension),
            "channelId": call_id,
            "otherChannelId": f"{call_id}-b",
            "timeout": 30,
        }
        if self.settings.app:
            params["app"] = self.settings.app
            params["appArgs"] = f"dial,{number}"
        else:
            params.update(extension=number, context=self.settings.context, priority=1)
        # shown on the agent's phone while it rings: whom they are calling
        params["callerId"] = number
        response = self._request("POST", self._url("channels", **params))
        return self._json(response).get("id") or call_id

    def hangup(self, call_id):
        self._request("DELETE", self._url("channels", call_id))
        return True

    def dial(self, number, call_id, caller_id=None, ring_seconds=None):
        """Originate the customer's channel through the trunk, into Stasis.

        The dialer's Stasis application watches the channel (answer, answering
        machine detection) and reports its events; without an application
        Asterisk would run the dialplan on the customer's answer, with nobody
        to bridge it to.
        """
        if not self.settings.app:
            raise ConnectorError(
                "Dialer calls need a Stasis application: set the provider's "
                "Stasis Application (ARI) before dialling."
            )
        params = {
            "endpoint": self.settings.trunk_template.format(number=number),
            "channelId": call_id,
            "app": self.settings.app,
            "appArgs": "dialer",
        }
        if ring_seconds:
            params["timeout"] = int(ring_seconds)
        caller_id = caller_id or self.settings.caller_id
        if caller_id:
            params["callerId"] = caller_id
        response = self._request("POST", self._url("channels", **params))
        return self._json(response).get("id") or call_id

    def bridge(self, call_id, extension, agent_name=None):
        """Send the answered channel on to the agent's extension in the dialplan."""
        self._request(
            "POST",
            self._url(
                "channels",
                call_id,
                "continue",
                context=self.settings.context,
                extension=extension,
                priority=1,
            ),
        )
        return True

    def play_message(self, call_id, message):
        """Play a media to the channel; the Stasis application hangs up after.

        ARI plays media, not text: ``message`` is a media URI
        (``sound:``, ``recording:``, ``http(s)://``) or the name of a sound
        file on the PBX (played as ``sound:<message>``). A text message has
        to be turned into a sound (TTS) on the PBX side.
        """
        media = message
        if not media.startswith(("sound:", "recording:", "http")):
            media = f"sound:{media}"
        self._request("POST", self._url("channels", call_id, "play", media=media))
        return True

    def test(self):
        self._request("GET", self._url("asterisk", "info"))
        return True


# The telephony API's events endpoint (see controllers/telephony.py)
EVENTS_PATH = "/contact_center/telephony/v1/events"
# Seconds before the simulated PBX reports a command's first event: the
# transaction that gave the command (and created the interaction) commits
# first, as it would while a real phone starts ringing
SIMULATED_START_DELAY = 1.0
SIMULATED_SEND_ATTEMPTS = 3


class SimulatedCalls:
    """The simulated calls of this process and their pending event timers.

    Timers live in the Odoo process that gave the command: another worker,
    or a restart, does not see them (a hang-up there ends the call through
    its own event; later events of an ended call are ignored by the fold).
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._calls = {}  # call id -> {"timers": [Timer], "plan", "number"}

    def get(self, call_id):
        """What this process knows of the call: {"plan", "number"} or {}."""
        with self._lock:
            call = self._calls.get(call_id)
            return {k: v for k, v in call.items() if k != "timers"} if call else {}

    def schedule(self, call_id, events, send, **info):
        """Send each ``(delay, event)`` when its delay is up (daemon timers)."""
        with self._lock:
            call = self._calls.setdefault(call_id, {"timers": []})
            call.update(info)
            for delay, event in events:
                timer = threading.Timer(
                    SIMULATED_START_DELAY + delay, self._fire, (call_id, event, send)
                )
                timer.daemon = True
                call["timers"].append(timer)
                timer.start()

    def _fire(self, call_id, event, send):
        timer = threading.current_thread()
        with self._lock:
            if timer.finished.is_set():
                return  # cancelled while it waited for the lock
            call = self._calls.get(call_id)
            if call is not None:
                call["timers"] = [
                    t for t in call["timers"] if t.is_alive() and t is not timer
                ]
                if event["type"] == "ended":
                    # the call is over: forget it (its other timers run out)
                    self._calls.pop(call_id, None)
        send(event)

    def cancel(self, call_id):
        """Stop the call's pending events; return what was known of it."""
        with self._lock:
            call = self._calls.pop(call_id, None)
        if not call:
            return {}
        for timer in call.pop("timers"):
            timer.cancel()
        return call

    def cancel_all(self):
        """Stop every pending event of this process (tests, shutdown)."""
        with self._lock:
            call_ids = list(self._calls)
        for call_id in call_ids:
            self.cancel(call_id)


SIMULATED_CALLS = SimulatedCalls()


class SimulatedConnector(BaseConnector):
    """A simulated PBX, for demos and tours: no phone, no audio.

    It decides each call's fate from the provider's profile (see
    ``tools/simulated_pbx.py``) and reports the events a PBX would, signed
    with the provider's secret, to Odoo's own events API over HTTP (``url``
    is Odoo's base URL): the very code path of a real PBX runs. The events
    are sent by timer threads of the Odoo process that gave the command
    (``SIMULATED_CALLS``); they only speak HTTP, never touch the database.
    Not for production: a restarted or other worker forgets pending events.
    """

    label = "simulated PBX"

    def __init__(self, settings):
        super().__init__(settings)
        self.profile = settings.profile or simulated_pbx.SimProfile()
        self.events_url = settings.url.rstrip("/") + EVENTS_PATH

    def _rng(self, call_id):
        """A random source per call: the same call plays the same with a seed."""
        if self.settings.seed is None:
            return random.Random()
        return random.Random(f"{self.settings.seed}:{call_id}")

    def _send(self, event):
        """POST one event, signed like a PBX; retried a little, then logged."""
        body = json.dumps({"events": [event]}).encode()
        for attempt in range(1, SIMULATED_SEND_ATTEMPTS + 1):
            stamp = int(time.time())
            headers = {
                "Content-Type": "application/json",
                "X-CC-Provider": self.settings.provider_code,
                "X-CC-Timestamp": str(stamp),
                "X-CC-Signature": sign(self.settings.secret, stamp, body),
            }
            try:
                response = requests.post(
                    self.events_url,
                    data=body,
                    headers=headers,
                    timeout=self.settings.timeout or 5.0,
                )
            except requests.exceptions.RequestException as exc:
                error = type(exc).__name__
            else:
                if response.status_code < 500:
                    if response.status_code >= 400:
                        _logger.warning(
                            "simulated PBX: event %s refused: HTTP %s %s",
                            event["id"],
                            response.status_code,
                            response.text[:MAX_PBX_TEXT],
                        )
                    return
                error = f"HTTP {response.status_code}"
            if attempt < SIMULATED_SEND_ATTEMPTS:
                time.sleep(attempt)
        _logger.warning(
            "simulated PBX: event %s not delivered to %s (%s)",
            event["id"],
            self.events_url,
            error,
        )

    def dial(self, number, call_id, caller_id=None, ring_seconds=None):
        plan = simulated_pbx.plan_call(self._rng(call_id), self.profile, ring_seconds)
        caller_id = caller_id or self.settings.caller_id or None
        events = simulated_pbx.dial_events(
            call_id, number, plan, simulated_pbx.now_utc(), caller_id=caller_id
        )
        SIMULATED_CALLS.cancel(call_id)
        SIMULATED_CALLS.schedule(call_id, events, self._send, plan=plan, number=number)
        return call_id

    def bridge(self, call_id, extension, agent_name=None):
        known = SIMULATED_CALLS.cancel(call_id)
        plan = known.get("plan")
        talk = (
            plan.talk_seconds
            if plan
            else self._rng(call_id).randint(
                self.profile.talk_min_seconds, self.profile.talk_max_seconds
            )
        )
        number = known.get("number")
        events = simulated_pbx.bridge_events(
            call_id, extension, talk, simulated_pbx.now_utc(), number=number
        )
        SIMULATED_CALLS.schedule(call_id, events, self._send, **known)
        return True

    def play_message(self, call_id, message):
        known = SIMULATED_CALLS.cancel(call_id)
        events = simulated_pbx.play_message_events(
            call_id, simulated_pbx.now_utc(), number=known.get("number")
        )
        SIMULATED_CALLS.schedule(call_id, events, self._send, **known)
        return True

    def hangup(self, call_id):
        known = SIMULATED_CALLS.cancel(call_id)
        events = simulated_pbx.hangup_events(
            call_id, simulated_pbx.now_utc(), number=known.get("number")
        )
        SIMULATED_CALLS.schedule(call_id, events, self._send)
        return True

    def originate(self, extension, agent_name, number, call_id):
        # click-to-dial: the agent picks up, so does the customer
        answering = dataclasses.replace(
            self.profile,
            human_percent=100,
            machine_percent=0,
            busy_percent=0,
            failed_percent=0,
        )
        plan = simulated_pbx.plan_call(self._rng(call_id), answering)
        events = simulated_pbx.originate_events(
            call_id,
            extension,
            number,
            plan,
            simulated_pbx.now_utc(),
            caller_id=self.settings.caller_id or None,
        )
        SIMULATED_CALLS.cancel(call_id)
        SIMULATED_CALLS.schedule(call_id, events, self._send, plan=plan, number=number)
        return call_id

    def test(self):
        """Odoo answers at its own URL: the events can reach it."""
        self._request("GET", self.settings.url.rstrip("/") + "/web/health")
        return True


CONNECTORS = {
    "generic": GenericConnector,
    "asterisk_ari": AsteriskAriConnector,
    "simulated": SimulatedConnector,
}


def get_connector(kind, settings):
    """The connector of ``kind`` (a key of ``CONNECTORS``) for ``settings``."""
    if kind not in CONNECTORS:
        raise ConnectorError(f"Unknown connector {kind!r}.")
    return CONNECTORS[kind](settings)
