from odoo import api, fields, models

PRESENCE_STATES = [
    ("available", "Available"),
    ("busy", "Busy"),
    ("wrap_up", "Wrap-up"),
    ("break", "Break"),
    ("offline", "Offline"),
]
# why the system changed a presence (empty: a person chose it)
PRESENCE_REASONS = [
    ("disconnected", "Disconnected"),
    ("reconnected", "Reconnected"),
]


class ContactCenterAgentPresence(models.Model):
    """One row per period an agent spent in one presence state.

    Occupancy and adherence are computed from these rows, so they are only
    written by :meth:`contact_center.agent._set_presence`, never edited.
    """

    _name = "contact_center.agent.presence"
    _description = "Agent Presence Log"
    _order = "start_at desc, id desc"
    _rec_name = "state"

    agent_id = fields.Many2one(
        "contact_center.agent", required=True, ondelete="cascade", readonly=True
    )
    user_id = fields.Many2one(related="agent_id.user_id", store=True)
    company_id = fields.Many2one(related="agent_id.company_id", store=True)
    state = fields.Selection(PRESENCE_STATES, required=True, readonly=True)
    start_at = fields.Datetime(required=True, readonly=True)
    end_at = fields.Datetime(readonly=True)
    duration_seconds = fields.Integer(
        string="Duration",
        compute="_compute_duration_seconds",
        store=True,
        help="Length of the period in seconds; empty while it is still open.",
    )
    changed_by_id = fields.Many2one("res.users", readonly=True)
    reason = fields.Selection(
        PRESENCE_REASONS,
        readonly=True,
        help="Why the system changed the presence; empty when a person chose it.",
    )
    break_reason_id = fields.Many2one(
        "contact_center.break.reason",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="Why the agent went on break, as the agent or a supervisor said.",
    )

    _sql_constraints = [
        (
            "end_after_start",
            "CHECK(end_at IS NULL OR end_at >= start_at)",
            "A presence period cannot end before it starts.",
        ),
    ]

    def init(self):
        # At most one open period per agent, and fast look-ups of an agent's
        # history by time (occupancy and adherence reports); periods longer
        # than a week (LONG_SPAN_DAYS of contact_center.kpi) apart, so a
        # report reads only the week before its period from the main index.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS contact_center_agent_presence_open_uniq
                ON contact_center_agent_presence (agent_id) WHERE end_at IS NULL;
            CREATE INDEX IF NOT EXISTS contact_center_agent_presence_agent_start_idx
                ON contact_center_agent_presence (agent_id, start_at);
            CREATE INDEX IF NOT EXISTS contact_center_agent_presence_long_idx
                ON contact_center_agent_presence (agent_id, start_at)
                WHERE end_at IS NULL OR duration_seconds > 604800;
            """
        )

    @api.depends("start_at", "end_at")
    def _compute_duration_seconds(self):
        for line in self:
            if line.start_at and line.end_at:
                line.duration_seconds = int(
                    (line.end_at - line.start_at).total_seconds()
                )
            else:
                line.duration_seconds = 0
