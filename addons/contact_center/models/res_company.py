from odoo import models


class ResCompany(models.Model):
    _inherit = "res.company"

    def write(self, vals):
        result = super().write(vals)
        if "country_id" in vals:
            # national numbers of the providers now read in another country
            self.env.registry.clear_cache()
        return result
