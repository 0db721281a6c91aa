from odoo import fields, models


class MailCannedResponse(models.Model):
    """Canned responses offered on the tickets they fit.

    A response scoped to teams or contact reasons is suggested in the
    composer of a ticket of one of those teams and reasons only; an
    unscoped one everywhere, as in Odoo.
    """

    _inherit = "mail.canned.response"

    cc_team_ids = fields.Many2many(
        "contact_center.team",
        string="Contact Center Teams",
        help="Suggested only on tickets of these teams; empty: on every ticket.",
    )
    cc_reason_ids = fields.Many2many(
        "contact_center.contact.reason",
        string="Contact Reasons",
        help="Suggested only on tickets with one of these reasons; empty: "
        "whatever the reason.",
    )

    def _to_store(self, store, /, *, fields=None):
        result = super()._to_store(store, fields=fields)
        # sudo: the scope is a list of ids the composer filters on; people
        # without access to teams and reasons load canned responses too
        for response in self.sudo():
            store.add(
                self._name,
                {
                    "id": response.id,
                    "cc_team_ids": response.cc_team_ids.ids,
                    "cc_reason_ids": response.cc_reason_ids.ids,
                },
            )
        return result
