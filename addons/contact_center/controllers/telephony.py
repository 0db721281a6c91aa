"""Telephony (CTI) JSON API, version 1: see the README for examples.

Every request is signed by its provider (HMAC-SHA256 of the timestamp and
the body); unsigned, forged, stale or replayed requests get 401 and change
nothing, malformed ones 400 with the field at fault. An unknown provider and
a wrong signature get one and the same answer. A signed events request sent
again byte for byte (the PBX lost the answer) is answered, every event
reported as a duplicate; a route request sent again is refused as a replay.
"""

import json
import logging
import secrets
import time

from odoo import SUPERUSER_ID, http
from odoo.http import request
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ..tools import telephony

_logger = logging.getLogger(__name__)
API = "/contact_center/telephony/v1"
# one answer for an unknown provider and a wrong signature
AUTH_FAILED = "unknown provider or signature does not match"


class TelephonyApi(http.Controller):
    def _answer(self, data, status=200):
        return request.make_json_response(data, status=status)

    def _authenticate(self, retransmission_ok=False):
        """The provider who signed this request, or an error response.

        ``retransmission_ok``: a request whose signature was already seen is
        let through (the caller's work is idempotent), else refused.
        """
        env = request.env(user=SUPERUSER_ID, su=True)  # su: the PBX is not a user
        headers = request.httprequest.headers
        body = request.httprequest.get_data(cache=True)
        code = headers.get("X-CC-Provider")
        Provider = env["contact_center.telephony.provider"]
        credentials = Provider._api_credentials(code) if code else None
        # an unknown provider is checked against a throwaway secret: the same
        # checks in the same order, so neither the answer nor its time tells
        # which codes exist
        secret = credentials[1] if credentials else secrets.token_urlsafe(32)
        try:
            digest = telephony.verify_signature(
                secret,
                headers.get("X-CC-Timestamp"),
                headers.get("X-CC-Signature"),
                body,
                time.time(),
            )
        except telephony.SignatureMismatch:
            _logger.info("telephony request refused for %r: bad signature", code)
            return None, body, self._answer({"error": AUTH_FAILED}, 401)
        except telephony.SignatureError as error:
            _logger.info("telephony request refused for %r: %s", code, error)
            return None, body, self._answer({"error": str(error)}, 401)
        if not credentials:
            _logger.info("telephony request refused: unknown provider %r", code)
            return None, body, self._answer({"error": AUTH_FAILED}, 401)
        provider_id, _secret, company_id = credentials
        if (
            not env["contact_center.telephony.signature"]._remember(digest)
            and not retransmission_ok
        ):
            return None, body, self._answer({"error": "replayed request"}, 401)
        return Provider.browse(provider_id).with_company(company_id), body, None

    def _call(self, method, retransmission_ok=False):
        provider, body, refusal = self._authenticate(retransmission_ok)
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
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # Odoo runs the request again in a new transaction
        except Exception:  # noqa: BLE001 - a PBX reads JSON, never an HTML page
            _logger.exception(
                "telephony %s request of %s failed", method, provider.code
            )
            # nothing of the request is kept: the PBX sends it again
            request.env.cr.rollback()
            return self._answer(
                {"error": "internal error, nothing was stored: send the request again"},
                500,
            )

    @http.route(
        f"{API}/route",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        # auth="none" routes start on a read-only cursor; these always write
        # (the request's signature, the events), so skip the failed first try
        readonly=False,
    )
    def route(self):
        """Where a call goes: agent, queue, overflow or voicemail."""
        # a route request only reads; what it writes is its signature, kept
        # against replays for a few minutes. Its commit need not wait for the
        # disk: a database crash could forget the last milliseconds of
        # signatures, letting a replayed route request be answered again,
        # which changes nothing. Events keep the durable default.
        request.env.cr.execute("SET LOCAL synchronous_commit TO OFF")
        return self._call("_route_call")

    @http.route(
        f"{API}/events",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        # auth="none" routes start on a read-only cursor; these always write
        # (the request's signature, the events), so skip the failed first try
        readonly=False,
    )
    def events(self):
        """Call events; stored raw first, then processed.

        Events are idempotent by id: the same signed request received again
        stores nothing new and reports each event as a duplicate.
        """
        return self._call("_ingest_events", retransmission_ok=True)
