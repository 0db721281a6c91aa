from odoo import fields, models


class ContactCenterCustomerTier(models.Model):
    _name = "contact_center.customer.tier"
    _description = "Customer Tier"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10,
        help="Higher tiers come later; routing serves later tiers first.",
    )
    is_vip = fields.Boolean(
        string="VIP",
        help="Contacts of VIP customers go first in queues and to senior agents.",
    )
    color = fields.Integer()
    active = fields.Boolean(default=True)
    partner_count = fields.Integer(compute="_compute_partner_count")

    _sql_constraints = [
        ("name_uniq", "unique(name)", "A customer tier with this name already exists."),
    ]

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("cc_tier_id", "in", self.ids)], ["cc_tier_id"], ["__count"]
            )
        )
        for tier in self:
            tier.partner_count = counts.get(tier, 0)
