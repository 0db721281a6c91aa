from odoo import fields, models


class ContactCenterTicketStage(models.Model):
    _name = "contact_center.ticket.stage"
    _description = "Ticket Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(string="Folded in Kanban")
    is_waiting_customer = fields.Boolean(
        string="Waiting on Customer", help="SLA clocks are paused in this stage."
    )
    is_solved = fields.Boolean(
        string="Solved", help="A customer reply to a solved ticket reopens it."
    )
    is_closed = fields.Boolean(string="Closed")
    team_ids = fields.Many2many(
        "contact_center.team",
        string="Teams",
        help="Teams using this stage; leave empty for every team.",
    )
    active = fields.Boolean(default=True)
