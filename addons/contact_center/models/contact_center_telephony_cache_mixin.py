from odoo import api, models


class ClearsTelephonyCache(models.AbstractModel):
    """Changes to these records clear the providers' cached settings."""

    _name = "contact_center.telephony.cache.mixin"
    _description = "Telephony settings cache"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
