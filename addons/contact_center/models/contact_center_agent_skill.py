from odoo import fields, models


class ContactCenterAgentSkill(models.Model):
    _name = "contact_center.agent.skill"
    _description = "Agent Skill Level"
    _order = "agent_id, level desc, skill_id"

    agent_id = fields.Many2one(
        "contact_center.agent", required=True, ondelete="cascade", index=True
    )
    skill_id = fields.Many2one(
        "contact_center.skill", required=True, ondelete="restrict", index=True
    )
    level = fields.Selection(
        [
            ("1", "1 - Beginner"),
            ("2", "2 - Basic"),
            ("3", "3 - Competent"),
            ("4", "4 - Proficient"),
            ("5", "5 - Expert"),
        ],
        required=True,
        default="3",
    )

    _sql_constraints = [
        (
            "agent_skill_uniq",
            "unique(agent_id, skill_id)",
            "An agent has each skill only once: change its level instead.",
        ),
    ]
