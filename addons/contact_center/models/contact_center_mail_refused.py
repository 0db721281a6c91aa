import base64
from datetime import timedelta

from odoo import api, fields, models, tools


class ContactCenterMailRefused(models.Model):
    """An email the gateway refused as part of a mail loop, kept unanswered.

    Answering a loop (with an acknowledgement or a bounce) is how it grows;
    dropping it loses what a customer may have written. The email is kept
    here, whole, for supervisors to read.
    """

    _name = "contact_center.mail.refused"
    _description = "Email Refused as a Mail Loop"
    _order = "received_at desc, id desc"
    _rec_name = "subject"

    received_at = fields.Datetime(
        string="Received", default=fields.Datetime.now, readonly=True, index=True
    )
    email_from = fields.Char(string="From", readonly=True)
    email_normalized = fields.Char(readonly=True, index="btree_not_null")
    email_to = fields.Char(string="To", readonly=True)
    subject = fields.Char(readonly=True)
    message_id = fields.Char(string="Message-ID", readonly=True, index=True)
    body = fields.Html(readonly=True, sanitize=True)
    reason = fields.Char(readonly=True, help="Why the email was refused.")
    team_id = fields.Many2one("contact_center.team", readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company",
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    original = fields.Binary(string="Original Email", attachment=True, readonly=True)
    original_filename = fields.Char(readonly=True)

    @api.model
    def _log_refused(self, message, message_dict, routes, reason):
        """Keep an email refused as a loop; return the log record."""
        team = self.env["contact_center.team"]
        for route in routes or ():
            team_id = (route[2] or {}).get("team_id") if len(route) > 2 else False
            if route[0] == "contact_center.ticket" and team_id:
                team = team.browse(team_id)
                break
        email_from = message_dict.get("email_from") or ""
        # sudo: the gateway logs the email; supervisors only read the log
        return self.sudo().create(
            {
                "email_from": email_from,
                "email_normalized": tools.email_normalize(email_from) or False,
                "email_to": message_dict.get("to"),
                "subject": message_dict.get("subject"),
                "message_id": message_dict.get("message_id"),
                "body": message_dict.get("body"),
                "reason": reason,
                "team_id": team.id,
                "company_id": (team.company_id or self.env.company).id,
                "original": base64.b64encode(message.as_bytes()),
                "original_filename": "refused.eml",
            }
        )

    @api.model
    def _cron_purge(self, batch_size=1000):
        """Forget refused emails past their retention, in batches.

        A mail loop can write thousands of these with their original email;
        ``contact_center.mail_refused_retention_days`` (default 90, 0 keeps
        them all) bounds the log. Returns how many were deleted.
        """
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("contact_center.mail_refused_retention_days", 90)
        )
        if days <= 0:
            return 0
        cutoff = fields.Datetime.now() - timedelta(days=days)
        deleted = 0
        while True:
            old = self.sudo().search([("received_at", "<", cutoff)], limit=batch_size)
            if not old:
                return deleted
            # sudo: the system forgets what no one may keep past its retention
            old.unlink()
            deleted += len(old)
            if len(old) < batch_size:
                return deleted
