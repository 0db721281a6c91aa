from odoo import fields, models
from odoo.exceptions import AccessError


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

    def write(self, vals):
        # Record rules check the line's agent before the write only: moving a
        # line to another agent would slip past them, so only administrators
        # may (others delete the line and create one on the right agent).
        if (
            "agent_id" in vals
            and not self.env.su
            and not self.env.user.has_group(
                "contact_center.group_contact_center_manager"
            )
            and any(line.agent_id.id != vals["agent_id"] for line in self)
        ):
            raise AccessError(
                self.env._(
                    "You cannot move a skill to another agent: remove it here and "
                    "add it on the other agent."
                )
            )
        return super().write(vals)
