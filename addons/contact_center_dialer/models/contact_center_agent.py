from odoo import fields, models


class ContactCenterAgent(models.Model):
    _inherit = "contact_center.agent"

    dialer_campaign_id = fields.Many2one(
        "contact_center.campaign",
        string="Working on Campaign",
        readonly=True,
        index="btree_not_null",
        help="The campaign the agent joined in the dialer panel: automatic "
        "dialing counts them as logged in while they are not offline.",
    )
    is_blended = fields.Boolean(
        string="Blended",
        help="Takes outbound campaign calls only while the team's inbound "
        "queue is at or below its blend threshold.",
    )

    def _check_write_fields(self, vals):
        """Supervisors set whether their teams' agents are blended, as they
        set their capacities (never their own)."""
        if "is_blended" in vals and self.env.user.has_group(
            "contact_center.group_contact_center_supervisor"
        ):
            vals = {key: value for key, value in vals.items() if key != "is_blended"}
        return super()._check_write_fields(vals)

    def _set_presence(self, state, at=None, reason=False, break_reason_id=False):
        """An agent going offline leaves their campaign (the last one out
        stops its automatic dialing at once); an agent becoming available
        may get the next call."""
        campaigns = self.sudo().dialer_campaign_id
        result = super()._set_presence(
            state, at=at, reason=reason, break_reason_id=break_reason_id
        )
        if state == "offline" and campaigns:
            # sudo: leaving the campaign is the system's consequence
            self.sudo().write({"dialer_campaign_id": False})
            campaigns._dialer_stop_if_unstaffed()
        elif state == "available" and campaigns:
            campaigns._dialer_tick()
        return result

    def _dialer_blend_held_back(self):
        """Ids of these (blended) agents whose teams' inbound queue is above
        the team's blend threshold: inbound work comes first. One query."""
        if not self:
            return set()
        teams = self.sudo().team_ids
        Interaction = self.env["contact_center.interaction"].sudo()
        waiting = dict(
            Interaction._read_group(
                [
                    ("team_id", "in", teams.ids),
                    ("direction", "=", "inbound"),
                    ("state", "=", "queued"),
                ],
                ["team_id"],
                ["__count"],
            )
        )
        return {
            agent.id
            for agent in self.sudo()
            if any(
                waiting.get(team, 0) > team.blend_queue_threshold
                for team in agent.team_ids
            )
        }
