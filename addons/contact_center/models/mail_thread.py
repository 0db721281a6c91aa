from odoo import models

from ..tools.auto_reply import automated_reason


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
