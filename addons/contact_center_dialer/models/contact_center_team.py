from odoo import fields, models


class ContactCenterTeam(models.Model):
    _inherit = "contact_center.team"

    blend_queue_threshold = fields.Integer(
        string="Blend Below (waiting)",
        default=0,
        help="Agents in blended mode get outbound campaign calls only while "
        "this team's inbound queue holds at most this many waiting contacts.",
    )

    def _cc_callback_campaign(self):
        """The team's callback list: a running preview campaign, created the
        first time a caller is to be called back."""
        self.ensure_one()
        # sudo: the callback list is the system's; supervisors see and run it
        Campaign = self.env["contact_center.campaign"].sudo()
        campaign = Campaign.search(
            [("team_id", "=", self.id), ("is_callback_list", "=", True)], limit=1
        )
        if not campaign:
            campaign = Campaign.create(
                {
                    "name": self.env._("Callbacks: %s", self.name),
                    "team_id": self.id,
                    "company_id": self.company_id.id,
                    "is_callback_list": True,
                    "dialer_mode": "preview",
                    "state": "running",
                    "purpose": self.env._(
                        "Callers who hung up in the queue or whose call was "
                        "missed: call them back."
                    ),
                }
            )
        return campaign
