from odoo import api, fields, models
from odoo.tools import SQL


class ContactCenterReportSurvey(models.Model):
    _inherit = "contact_center.report.survey"
    _depends = {"survey.user_input": ["cc_campaign_id"]}

    campaign_id = fields.Many2one("contact_center.campaign", readonly=True)

    @api.model
    def _cc_report_columns(self):
        return super()._cc_report_columns() + [SQL("u.cc_campaign_id AS campaign_id")]
