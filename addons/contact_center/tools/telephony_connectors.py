"""Connectors that ask a PBX to start or end calls (click-to-dial).

Plain Python over HTTP with ``requests``: no ORM here, so the connectors
can be exercised against any HTTP peer.  Each connector is built from a
plain settings dict (see ``ConnectorSettings``) and raises
``ConnectorError`` with a sentence a user understands when the PBX cannot
be reached, is too slow, refuses the credentials or answers an error.
"""

import json
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import requests

# Longest part of a PBX's error answer we repeat to the user.
MAX_PBX_TEXT = 300


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


class BaseConnector:
    """HTTP plumbing shared by the connectors: auth, timeout, error text."""

    def __init__(self, settings):
        if not settings.url:
            raise ConnectorError("The provider has no connector URL.")
        self.settings = settings

    def _auth(self):
        if self.settings.username:
            return (self.settings.username, self.settings.password or "")
        return None

    def _request(self, method, url, **kwargs):
        """Send one request; turn every failure into a ConnectorError."""
        timeout = self.settings.timeout or 5.0
        where = url.split("?", 1)[0]  # errors name the PBX, not the query
        try:
            response = requests.request(
                method, url, auth=self._auth(), timeout=timeout, **kwargs
            )
        except requests.exceptions.Timeout as exc:
            raise ConnectorError(
                f"The PBX at {where} did not answer within {timeout:g} seconds."
            ) from exc
        except requests.exceptions.RequestException as exc:
            raise ConnectorError(
                f"The PBX at {where} cannot be reached ({type(exc).__name__})."
            ) from exc
        if response.status_code in (401, 403):
            raise ConnectorError(
                f"The PBX refused the connector's credentials "
                f"(HTTP {response.status_code}): check the user name and password."
            )
        if response.status_code >= 400:
            text = (response.text or response.reason or "").strip()[:MAX_PBX_TEXT]
            raise ConnectorError(
                f"The PBX answered HTTP {response.status_code}: {text}"
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

    def test(self):
        """Check the PBX answers with these credentials; raise if not."""
        raise NotImplementedError


class GenericConnector(BaseConnector):
    """POSTs JSON commands to one URL; for PBXs with a small webhook adapter.

    The PBX may answer ``{"call_id": "..."}`` to give its own call id;
    otherwise Odoo's call id stays the reference.
    """

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

    def test(self):
        self._request("POST", self.settings.url, json={"action": "ping"})
        return True


class AsteriskAriConnector(BaseConnector):
    """Asterisk REST Interface: originate and hang up channels over HTTP.

    The agent's endpoint rings first; when it answers, Asterisk continues
    in the dialplan context at the customer's number, or hands the channel
    to a Stasis application when one is configured.  The channel id is
    Odoo's call id, so a later hang-up needs no lookup.
    """

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

    def test(self):
        self._request("GET", self._url("asterisk", "info"))
        return True


CONNECTORS = {
    "generic": GenericConnector,
    "asterisk_ari": AsteriskAriConnector,
}


def get_connector(kind, settings):
    """The connector of ``kind`` ("generic", "asterisk_ari") for ``settings``."""
    if kind not in CONNECTORS:
        raise ConnectorError(f"Unknown connector {kind!r}.")
    return CONNECTORS[kind](settings)
