"""Messaging webhook, version 1: inbound SMS and social messages.

Signed exactly like the telephony API (same headers, providers, secrets and
replay store: the authentication is the telephony controller's own). A
request sent again byte for byte is answered, every message reported as a
duplicate. A request that cannot be read at all gets 400 with the field at
fault and stores nothing; otherwise each invalid message is reported
(status ``invalid`` with its field) and the valid ones are kept.
"""

import json
import logging

from odoo import http
from odoo.http import request
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ..tools import telephony
from .telephony import TelephonyApi

_logger = logging.getLogger(__name__)
API = "/contact_center/messaging/v1"


class MessagingApi(TelephonyApi):
    """The telephony API's controller, with the messaging webhook beside it."""

    @http.route(
        f"{API}/messages",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        # auth="none" routes start on a read-only cursor; this one always
        # writes (the request's signature, the messages)
        readonly=False,
    )
    def messages(self):
        """Inbound messages; stored raw first, then processed."""
        provider, body, refusal = self._authenticate(retransmission_ok=True)
        if refusal:
            return refusal
        try:
            payload = json.loads(body or b"null")
        except ValueError as error:
            return self._answer({"error": f"malformed JSON: {error}"}, 400)
        try:
            answer = provider.env["contact_center.messaging"]._ingest(provider, payload)
        except telephony.PayloadError as error:
            return self._answer({"error": str(error), "field": error.field}, 400)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # Odoo runs the request again in a new transaction
        except Exception:  # noqa: BLE001 - a provider reads JSON, never HTML
            _logger.exception("messages request of %s failed", provider.code)
            # nothing of the request is kept: the provider sends it again
            request.env.cr.rollback()
            return self._answer(
                {"error": "internal error, nothing was stored: send the request again"},
                500,
            )
        return self._answer(answer)
