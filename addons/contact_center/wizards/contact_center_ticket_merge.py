from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class ContactCenterTicketMerge(models.TransientModel):
    """Merge duplicate tickets of one customer into one."""

    _name = "contact_center.ticket.merge"
    _description = "Merge Tickets"

    ticket_ids = fields.Many2many("contact_center.ticket", string="Tickets")
    target_id = fields.Many2one(
        "contact_center.ticket",
        string="Keep",
        domain="[('id', 'in', ticket_ids)]",
        help="The ticket that receives the others' messages, followers and SLA "
        "history.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        ids = self.env.context.get("active_ids") or []
        if self.env.context.get("active_model") == "contact_center.ticket" and ids:
            tickets = self.env["contact_center.ticket"].browse(ids)
            values["ticket_ids"] = [fields.Command.set(tickets.ids)]
            values["target_id"] = tickets.sorted("id")[:1].id
        return values

    def action_merge(self):
        self.ensure_one()
        tickets = self.ticket_ids
        target = self.target_id or tickets.sorted("id")[:1]
        if target not in tickets:
            raise UserError(
                self.env._("The ticket kept must be one of the tickets selected.")
            )
        for ticket in tickets:
            try:
                ticket.check_access("write")
            except AccessError as error:
                raise UserError(
                    self.env._(
                        "You may not modify every selected ticket: remove the "
                        "tickets you cannot edit from the selection."
                    )
                ) from error
        return tickets._merge_into(target)
