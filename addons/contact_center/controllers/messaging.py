"""Messaging webhook, version 1: inbound SMS and social messages.

Signed exactly like the telephony API (same headers, providers, secrets and
replay store: the authentication is the telephony controller's own). A
request sent again byte for byte is answered, every message reported as a
duplicate. A request that cannot be read at all gets 400 with the field at
fault and stores nothing; otherwise each invalid message is reported
(status ``invalid`` with its field) and the valid ones are kept.
"""

from odoo import http

from .telephony import TelephonyApi

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
        return self._call("_ingest_messages", retransmission_ok=True)
