from odoo import api, fields, models


class ContactCenterTelephonySignature(models.Model):
    """Signatures of accepted API requests, to refuse a replayed request.

    Rows older than the signature tolerance serve no purpose: the request
    would be refused for its age anyway; a cron forgets them.
    """

    _name = "contact_center.telephony.signature"
    _description = "Telephony Request Signature"
    _log_access = False

    digest = fields.Char(required=True)
    seen_at = fields.Datetime(required=True, index=True)

    _sql_constraints = [
        ("digest_uniq", "unique(digest)", "This request was already received."),
    ]

    @api.model
    def _remember(self, digest):
        """Record a request's signature; False when it was seen before."""
        self.env.cr.execute(
            """
            INSERT INTO contact_center_telephony_signature (digest, seen_at)
            VALUES (%s, now() at time zone 'UTC')
            ON CONFLICT (digest) DO NOTHING
            RETURNING id
            """,
            (digest,),
        )
        return bool(self.env.cr.fetchone())
