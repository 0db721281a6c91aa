from odoo import fields, models


class ContactCenterSkill(models.Model):
    _name = "contact_center.skill"
    _description = "Contact Center Skill"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    agent_skill_ids = fields.One2many("contact_center.agent.skill", "skill_id")

    _sql_constraints = [
        ("name_uniq", "unique(name)", "A skill with this name already exists."),
    ]
