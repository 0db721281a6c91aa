from odoo import api, fields, models

from ..tools.phone import to_e164


class ContactCenterTelephonyDid(models.Model):
    """A number (DID) a provider serves, and the team its callers reach."""

    _name = "contact_center.telephony.did"
    _inherit = ["contact_center.telephony.cache.mixin"]
    _description = "Telephony Number"
    _order = "provider_id, number"
    _check_company_auto = True

    provider_id = fields.Many2one(
        "contact_center.telephony.provider", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="provider_id.company_id", store=True, index=True, precompute=True
    )
    number = fields.Char(required=True, help="The number as dialled by callers.")
    number_e164 = fields.Char(
        string="Number (E.164)",
        compute="_compute_number_e164",
        store=True,
        index="btree_not_null",
    )
    team_id = fields.Many2one("contact_center.team", required=True, check_company=True)

    @api.depends("number", "company_id.country_id")
    def _compute_number_e164(self):
        for did in self:
            did.number_e164 = (
                to_e164(did.number, did.company_id.country_id.code) or did.number
            )
