from odoo import models


class ChatbotScriptStep(models.Model):
    _inherit = "chatbot.script.step"

    def _process_step_forward_operator(self, discuss_channel):
        """Hand the visitor to the agent the routing engine picks.

        Odoo asks the live chat channel for an operator (routed for channels
        of a team, see ``im_livechat.channel._get_operator``) and adds them
        to the conversation; the agent who joined gets the interaction,
        queued from now. Nobody free: the script goes on, as in Odoo.
        """
        # sudo: the visitor runs the script; members are compared, not shown
        channel = discuss_channel.sudo()
        before = channel.channel_member_ids.partner_id
        message = super()._process_step_forward_operator(discuss_channel)
        if channel.livechat_channel_id.cc_team_id:
            joined = channel.channel_member_ids.partner_id - before
            agent = (
                self.env["contact_center.agent"]
                .sudo()
                .search([("user_id.partner_id", "in", joined.ids)], limit=1)
            )
            if agent:
                channel._cc_open_interactions(agent)
        return message
