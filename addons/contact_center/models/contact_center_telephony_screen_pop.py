from odoo import models


class ContactCenterInteraction(models.Model):
    _inherit = "contact_center.interaction"

    def _cc_screen_pop(self):
        """Hook called when a call starts ringing for its agent.

        The screen pop (the caller's card in the agent's browser) plugs in
        here; until it lands, ringing only updates the interaction.
        """
        return None
