from odoo import fields, models


class ContactCenterTelephonyIvrOption(models.Model):
    """What an IVR selection means: a team, a required skill, a language."""

    _name = "contact_center.telephony.ivr.option"
    _inherit = ["contact_center.telephony.cache.mixin"]
    _description = "IVR Option"
    _order = "provider_id, sequence, id"
    _check_company_auto = True

    provider_id = fields.Many2one(
        "contact_center.telephony.provider", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="provider_id.company_id", store=True, index=True, precompute=True
    )
    sequence = fields.Integer(default=10)
    choice = fields.Char(
        required=True,
        help="Digits or named choice the PBX sends, e.g. '1', '2#' or 'billing'.",
    )
    team_id = fields.Many2one("contact_center.team", check_company=True)
    skill_id = fields.Many2one("contact_center.skill", string="Required Skill")
    skill_level = fields.Selection(
        [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5")], default="1"
    )
    lang = fields.Selection(
        selection=lambda self: self.env["res.lang"].get_installed(),
        string="Language",
    )

    _sql_constraints = [
        (
            "choice_uniq",
            "unique(provider_id, choice)",
            "This choice is already configured for the provider.",
        ),
    ]
