from odoo import fields, models, tools
from odoo.tools import SQL

from .contact_center_sla_policy import TARGET_KINDS
from .contact_center_team import CHANNELS
from .contact_center_ticket import PRIORITIES
from .contact_center_ticket_sla import STATUSES


class ContactCenterReportSla(models.Model):
    """One row per SLA target of a ticket (``contact_center.ticket.sla``).

    A target counts in the period it was settled in (``date``, the SLA line's
    indexed ``settled_at``): when it was reached for a met target, its
    deadline for a breached one, so a breach counts when it happened even if
    the ticket is answered later. Running and paused targets have no date and
    no compliance: they count in no period until they are settled. Rows are
    visible exactly where their ticket is (``_cc_rules_follow``).
    """

    _name = "contact_center.report.sla"
    _description = "SLA Compliance by Target"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "ticket_id"
    # record rules: a row is visible only with its ticket (see ir.rule)
    _cc_rules_follow = "ticket_id"

    ticket_id = fields.Many2one("contact_center.ticket", readonly=True)
    policy_id = fields.Many2one(
        "contact_center.sla.policy", string="SLA Policy", readonly=True
    )
    kind = fields.Selection(TARGET_KINDS, string="Target", readonly=True)
    status = fields.Selection(STATUSES, readonly=True)
    date = fields.Datetime(
        string="Settled On",
        readonly=True,
        help="When the target was settled: when it was reached if met, its "
        "deadline if breached. Empty while it runs or is paused.",
    )
    start_at = fields.Datetime(string="Started", readonly=True)
    deadline = fields.Datetime(readonly=True)
    reached_at = fields.Datetime(string="Reached On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("contact_center.team", readonly=True)
    agent_id = fields.Many2one("contact_center.agent", readonly=True)
    user_id = fields.Many2one("res.users", string="Agent User", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    priority = fields.Selection(PRIORITIES, readonly=True)
    target_seconds = fields.Integer(
        string="Target Time",
        readonly=True,
        aggregator="avg",
        help="Average target, in working seconds of the policy's business hours.",
    )
    line_count = fields.Integer(
        string="Targets", readonly=True, help="Number of SLA targets (1 per row)."
    )
    met_count = fields.Integer(
        string="Met", readonly=True, help="Targets reached before their deadline."
    )
    breached_count = fields.Integer(
        string="Breached",
        readonly=True,
        help="Targets whose deadline passed before they were reached.",
    )
    compliance = fields.Float(
        string="SLA Compliance (%)",
        readonly=True,
        aggregator="avg",
        help="SLA compliance = targets met / targets settled (met + breached) "
        "in the period, as %. Running and paused targets are not counted.",
    )
    overrun_seconds = fields.Integer(
        string="Overrun",
        readonly=True,
        aggregator="avg",
        help="Average overrun of the breached targets = (reached − deadline), "
        "or (now − deadline) while still unreached, in calendar seconds; for "
        "a target reached late while paused, the working seconds used beyond "
        "the target.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT s.id,
                           s.ticket_id, s.policy_id, s.kind, s.status,
                           s.settled_at AS date,
                           s.start_at, s.deadline, s.reached_at,
                           s.company_id,
                           t.team_id, t.agent_id, t.user_id, t.partner_id,
                           t.channel, t.priority,
                           s.target_seconds,
                           1 AS line_count,
                           CASE WHEN s.status = 'met' THEN 1 ELSE 0 END AS met_count,
                           CASE WHEN s.status = 'breached' THEN 1 ELSE 0 END
                               AS breached_count,
                           CASE WHEN s.status = 'met' THEN 100.0
                                WHEN s.status = 'breached' THEN 0.0
                           END AS compliance,
                           CASE WHEN s.status = 'breached' THEN
                               CASE WHEN s.deadline IS NOT NULL THEN
                                   EXTRACT(EPOCH FROM COALESCE(
                                       s.reached_at, now() AT TIME ZONE 'UTC'
                                   ) - s.deadline)::int
                               ELSE GREATEST(s.consumed_seconds - s.target_seconds, 0)
                               END
                           END AS overrun_seconds
                      FROM contact_center_ticket_sla s
                      JOIN contact_center_ticket t ON t.id = s.ticket_id
                )
                """,
                SQL.identifier(self._table),
            )
        )

    def action_open_ticket(self):
        """A report row opens the ticket of the SLA target."""
        self.ensure_one()
        return self.ticket_id.get_formview_action()
