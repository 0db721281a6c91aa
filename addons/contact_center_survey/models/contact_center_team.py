from odoo import models


class ContactCenterTeam(models.Model):
    _name = "contact_center.team"
    _inherit = ["contact_center.team", "contact_center.survey.rollup.mixin"]
    _cc_survey_owner_field = "cc_team_id"
