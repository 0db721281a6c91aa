from odoo import api, fields, models


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
        target = self.target_id or self.ticket_ids.sorted("id")[:1]
        return self.ticket_ids._merge_into(target)
