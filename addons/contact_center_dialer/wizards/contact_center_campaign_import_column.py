from odoo import fields, models

from .contact_center_campaign_import import FIELD_SELECTION


class ContactCenterCampaignImportColumn(models.TransientModel):
    """One column of the file being imported, and what it holds."""

    _name = "contact_center.campaign.import.column"
    _description = "Contact List Column"
    _order = "index"

    wizard_id = fields.Many2one(
        "contact_center.campaign.import", required=True, ondelete="cascade"
    )
    index = fields.Integer(readonly=True)
    header = fields.Char(string="Column", readonly=True)
    sample = fields.Char(string="First Value", readonly=True)
    field = fields.Selection(
        FIELD_SELECTION, string="Holds", help="Empty: the column is ignored."
    )
