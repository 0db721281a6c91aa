from odoo import models

from .contact_center_wallboard import BUS_CHANNEL


class IrWebsocket(models.AbstractModel):
    _inherit = "ir.websocket"

    def _build_bus_channel_list(self, channels):
        """A wallboard asks for "contact_center.wallboard": contact center
        users get their companies' wallboard channels instead. Anyone may
        send any string, so the string itself is never subscribed to; the
        pings carry team ids only, the figures come through the
        access-checked ``get_wallboard_data``."""
        if BUS_CHANNEL in channels:
            channels = [channel for channel in channels if channel != BUS_CHANNEL]
            user = self.env.user
            if user and user.has_group("contact_center.group_contact_center_agent"):
                channels.extend((company, BUS_CHANNEL) for company in user.company_ids)
        return super()._build_bus_channel_list(channels)
