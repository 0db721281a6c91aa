from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    # lets a challenge's user domain pick a team's agents, e.g.
    # [("contact_center_agent_ids.team_ids.name", "=", "Customer Care")]
    contact_center_agent_ids = fields.One2many(
        "contact_center.agent", "user_id", string="Contact Center Agents"
    )
