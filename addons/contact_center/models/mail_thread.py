from odoo import api, models

from ..tools.auto_reply import automated_reason

TICKET = "contact_center.ticket"


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _message_route_process(self, message, message_dict, routes):
        """Tell gateway models whether the email was sent by a machine.

        The verdict travels in the context (``cc_automated_reason``), as the
        raw headers do not reach ``message_new``.
        """
        reason = automated_reason(dict(message.items()))
        return super(
            MailThread, self.with_context(cc_automated_reason=reason or False)
        )._message_route_process(message, message_dict, routes)

    @api.model
    def _detect_loop_sender(self, message, message_dict, routes):
        """Refuse a mail loop to a ticket alias without answering it.

        Odoo answers each email past its loop threshold with a bounce, and an
        autoresponder answers the bounce: that is how loops grow. For emails
        to tickets the email is kept in the refused-mail log, unanswered.
        """
        if not any(route[0] == TICKET for route in routes or ()):
            return super()._detect_loop_sender(message, message_dict, routes)
        refused = super(
            MailThread, self.with_context(cc_loop_no_bounce=True)
        )._detect_loop_sender(message, message_dict, routes)
        if refused:
            self.env["contact_center.mail.refused"]._log_refused(
                message,
                message_dict,
                routes,
                self.env._(
                    "More emails from this sender than the gateway's loop "
                    "threshold allows (system parameters mail.gateway.loop.*)"
                ),
            )
        return refused

    @api.model
    def _routing_create_bounce_email(self, email_from, body_html, message, **values):
        if self.env.context.get("cc_loop_no_bounce"):
            return  # never answer a mail loop: see _detect_loop_sender
        return super()._routing_create_bounce_email(
            email_from, body_html, message, **values
        )
