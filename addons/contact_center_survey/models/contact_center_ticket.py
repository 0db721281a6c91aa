from odoo import SUPERUSER_ID, fields, models


class ContactCenterTicket(models.Model):
    _name = "contact_center.ticket"
    _inherit = ["contact_center.ticket", "contact_center.survey.score.mixin"]

    cc_solved_automatically = fields.Boolean(
        string="Solved Automatically",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Solved or closed by the system (a cron, an automation, "
        "OdooBot) rather than by a person: surveyed only by the rules that "
        "say so.",
    )

    def init(self):
        result = super().init()
        # survey rules scan the tickets solved since their last run
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS contact_center_ticket_cc_solved_idx
                ON contact_center_ticket (solved_at)
             WHERE solved_at IS NOT NULL AND partner_id IS NOT NULL
            """
        )
        return result

    def write(self, vals):
        if "stage_id" in vals:
            stage = self.env["contact_center.ticket.stage"].browse(vals["stage_id"])
            if stage.is_solved or stage.is_closed:
                vals = dict(
                    vals,
                    cc_solved_automatically=bool(
                        self.env.uid == SUPERUSER_ID
                        or self.env.context.get("cc_automatic_close")
                    ),
                )
        return super().write(vals)

    def _cc_reopen_stage(self):
        """The stage a ticket reopened after a low score goes back to: the
        first open stage, as when the customer writes on a solved ticket."""
        return self.env["contact_center.ticket.stage"].search(
            [("is_solved", "=", False), ("is_closed", "=", False)], limit=1
        )
