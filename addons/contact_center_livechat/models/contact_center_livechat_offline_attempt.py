import hashlib
from datetime import timedelta

from odoo import api, fields, models

LIMIT_PARAM = "contact_center_livechat.offline_messages_per_window"
DEFAULT_LIMIT = 5
WINDOW_MINUTES = 10


class ContactCenterLivechatOfflineAttempt(models.Model):
    """One offline message taken from a visitor's connection: the public
    offline form and its JSON twin take at most a few messages from one
    address in a few minutes, so a script cannot fill the desk with tickets
    and contacts. Only a hash of the address is kept, for a day."""

    _name = "contact_center.livechat.offline.attempt"
    _description = "Live Chat Offline Message Attempt"
    _order = "id desc"

    remote_key = fields.Char(required=True, index=True, readonly=True)
    livechat_channel_id = fields.Many2one(
        "im_livechat.channel", ondelete="cascade", readonly=True
    )

    @api.model
    def _cc_key(self, remote_addr):
        """The stored form of a visitor's address (hashed with the
        database's secret: the address itself is not kept)."""
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        return hashlib.sha256(f"{secret}:{remote_addr or ''}".encode()).hexdigest()

    @api.model
    def _cc_take(self, remote_addr, livechat_channel):
        """Whether one more message from ``remote_addr`` is taken now;
        counts it when it is. The limit is per window of a few minutes
        (system parameter ``contact_center_livechat.offline_messages_per_window``,
        5 by default; 0: no limit)."""
        limit = int(
            self.env["ir.config_parameter"].sudo().get_param(LIMIT_PARAM, DEFAULT_LIMIT)
        )
        key = self._cc_key(remote_addr)
        if limit > 0:
            since = fields.Datetime.now() - timedelta(minutes=WINDOW_MINUTES)
            taken = self.search_count(
                [("remote_key", "=", key), ("create_date", ">=", since)]
            )
            if taken >= limit:
                return False
        self.create({"remote_key": key, "livechat_channel_id": livechat_channel.id})
        return True

    @api.autovacuum
    def _gc_attempts(self):
        """Keep a day of attempts: the window only needs minutes."""
        self.search(
            [("create_date", "<", fields.Datetime.now() - timedelta(days=1))]
        ).unlink()
