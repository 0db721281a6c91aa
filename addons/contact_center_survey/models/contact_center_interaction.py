from odoo import models


class ContactCenterInteraction(models.Model):
    _name = "contact_center.interaction"
    _inherit = ["contact_center.interaction", "contact_center.survey.score.mixin"]

    def init(self):
        result = super().init()
        # survey rules scan the contacts finished (wrapped up) since their
        # last run
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS contact_center_interaction_cc_finished_idx
                ON contact_center_interaction
                   ((COALESCE(wrap_up_ended_at, ended_at)), channel)
             WHERE state = 'done' AND partner_id IS NOT NULL
            """
        )
        return result
