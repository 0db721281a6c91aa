"""Telephony (CTI) JSON API, version 1: see the README for examples.

Every request is signed by its provider (HMAC-SHA256 of the timestamp and
the body); unsigned, forged, stale or replayed requests get 401 and change
nothing, malformed ones 400 with the field at fault.
"""

import json
import logging
import time

from odoo import SUPERUSER_ID, http
from odoo.http import request

from ..tools import telephony

_logger = logging.getLogger(__name__)
API = "/contact_center/telephony/v1"


class TelephonyApi(http.Controller):
    def _answer(self, data, status=200):
        return request.make_json_response(data, status=status)

    def _authenticate(self):
        """The provider who signed this request, or an error response."""
        env = request.env(user=SUPERUSER_ID, su=True)  # su: the PBX is not a user
        headers = request.httprequest.headers
        body = request.httprequest.get_data(cache=True)
        code = headers.get("X-CC-Provider")
        provider = (
            env["contact_center.telephony.provider"].search(
                [("code", "=", code)], limit=1
            )
            if code
            else None
        )
        if not provider:
            return None, body, self._answer({"error": "unknown provider"}, 401)
        try:
            digest = telephony.verify_signature(
                provider.secret,
                headers.get("X-CC-Timestamp"),
                headers.get("X-CC-Signature"),
                body,
                time.time(),
            )
        except telephony.SignatureError as error:
            _logger.info("telephony request refused for %s: %s", code, error)
            return None, body, self._answer({"error": str(error)}, 401)
        if not env["contact_center.telephony.signature"]._remember(digest):
            return None, body, self._answer({"error": "replayed request"}, 401)
        return provider.with_company(provider.company_id), body, None

    def _call(self, method):
        provider, body, refusal = self._authenticate()
        if refusal:
            return refusal
        try:
            payload = json.loads(body or b"null")
        except ValueError as error:
            return self._answer({"error": f"malformed JSON: {error}"}, 400)
        try:
            return self._answer(getattr(provider, method)(payload))
        except telephony.PayloadError as error:
            return self._answer({"error": str(error), "field": error.field}, 400)

    @http.route(
        f"{API}/route",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def route(self):
        """Where a call goes: agent, queue, overflow or voicemail."""
        return self._call("_route_call")

    @http.route(
        f"{API}/events",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def events(self):
        """Call events; stored raw first, then processed."""
        return self._call("_ingest_events")
