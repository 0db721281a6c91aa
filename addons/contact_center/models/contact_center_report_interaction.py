from odoo import api, fields, models

from .contact_center_interaction import DIRECTIONS, STATES
from .contact_center_team import CHANNELS


class ContactCenterReportInteraction(models.Model):
    """One row per interaction that ended, carrying each KPI's share.

    Every rate is a column worth 100 or 0 on the rows it applies to and
    empty elsewhere, so its average over any group (team, agent, channel,
    hour, day, month...) is the KPI itself: pivots, graphs and the KPI engine
    read the same figures. Rows are the interactions themselves (same id).
    Queue and time KPIs count calls and chats only (``tools.kpi.LIVE_CHANNELS``,
    written out in the query).
    """

    _name = "contact_center.report.interaction"
    _description = "Contact Center KPIs by Interaction"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "interaction_id"

    interaction_id = fields.Many2one("contact_center.interaction", readonly=True)
    date = fields.Datetime(
        string="Ended",
        readonly=True,
        help="When the contact ended: a period counts the contacts that ended in it.",
    )
    queued_at = fields.Datetime(string="Started", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("contact_center.team", readonly=True)
    agent_id = fields.Many2one("contact_center.agent", readonly=True)
    user_id = fields.Many2one("res.users", string="Agent User", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    direction = fields.Selection(DIRECTIONS, readonly=True)
    state = fields.Selection(STATES, readonly=True)
    reason_id = fields.Many2one(
        "contact_center.contact.reason", string="Contact Reason", readonly=True
    )
    disposition_id = fields.Many2one("contact_center.disposition", readonly=True)
    is_transfer_leg = fields.Boolean(string="Transfer Leg", readonly=True)
    offered_count = fields.Integer(
        string="Offered",
        readonly=True,
        help="Inbound calls and chats offered to the team: answered + abandoned "
        "(short abandons excluded). A transferred call is offered once, on its "
        "first leg.",
    )
    answered_count = fields.Integer(
        string="Answered",
        readonly=True,
        help="Offered calls and chats an agent answered.",
    )
    handled_count = fields.Integer(
        string="Handled",
        readonly=True,
        help="Contacts an agent took: calls and chats answered (every leg of a "
        "transferred call, for the agent of that leg) and emails, SMS and "
        "social messages an agent sent.",
    )
    abandoned_count = fields.Integer(
        string="Abandoned",
        readonly=True,
        help="Offered calls and chats whose customer hung up in the queue, "
        "after the team's short-abandon threshold.",
    )
    short_abandoned_count = fields.Integer(
        string="Short Abandons",
        readonly=True,
        help="Callers who hung up in the queue within the team's short-abandon "
        "threshold (default 5 s): reported apart, counted in no rate.",
    )
    handle_seconds = fields.Integer(
        string="AHT",
        readonly=True,
        aggregator="avg",
        help="Average handle time = (talk + hold + after-contact work) / "
        "handled calls and chats, in seconds.",
    )
    after_call_work_seconds = fields.Integer(
        string="ACW",
        readonly=True,
        aggregator="avg",
        help="Average after-contact work = wrap-up time / handled calls and "
        "chats, in seconds.",
    )
    talk_seconds = fields.Integer(
        string="Talk Time",
        readonly=True,
        aggregator="avg",
        help="Average talk time of handled calls and chats (hold excluded).",
    )
    hold_seconds = fields.Integer(
        string="Hold Time",
        readonly=True,
        aggregator="avg",
        help="Average hold time of handled calls and chats.",
    )
    answer_wait_seconds = fields.Integer(
        string="ASA",
        readonly=True,
        aggregator="avg",
        help="Average speed of answer = time answered calls and chats waited "
        "in the queue / answered calls and chats, in seconds.",
    )
    service_level = fields.Float(
        string="Service Level (%)",
        readonly=True,
        aggregator="avg",
        help="Answered within the team's threshold / (answered + abandoned "
        "after the threshold), as %. Short abandons and calls abandoned "
        "before the threshold are left out.",
    )
    abandon_rate = fields.Float(
        string="Abandon Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Abandoned in the queue / offered (answered + abandoned), as %; "
        "short abandons excluded from both.",
    )
    transfer_rate = fields.Float(
        string="Transfer Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Transferred / handled calls and chats, as %.",
    )
    fcr_rate = fields.Float(
        string="First-contact Resolution (%)",
        readonly=True,
        aggregator="avg",
        help="Resolved contacts after which the same customer did not contact "
        "the company again on the same reason within the team's window "
        "(default 7 days) / resolved contacts, as %. Contacts without a "
        "known customer are left out.",
    )

    @property
    def _table_query(self):
        return self._cc_query()

    @api.model
    def _cc_query(self):
        # thresholds of the team, with the defaults of a team-less contact
        return """
            SELECT i.id,
                   i.id AS interaction_id,
                   i.ended_at AS date,
                   i.queued_at,
                   i.company_id, i.team_id, i.agent_id, i.user_id, i.partner_id,
                   i.channel, i.direction, i.state, i.reason_id,
                   i.disposition_id, i.is_transfer_leg,
                   q.offered AS offered_count,
                   q.answered AS answered_count,
                   CASE WHEN h.handled THEN 1 ELSE 0 END AS handled_count,
                   CASE WHEN q.abandoned = 1 AND NOT q.short THEN 1 ELSE 0 END
                       AS abandoned_count,
                   CASE WHEN q.abandoned = 1 AND q.short THEN 1 ELSE 0 END
                       AS short_abandoned_count,
                   CASE WHEN h.live THEN i.handle_seconds END AS handle_seconds,
                   CASE WHEN h.live THEN i.after_call_work_seconds END
                       AS after_call_work_seconds,
                   CASE WHEN h.live THEN i.talk_seconds END AS talk_seconds,
                   CASE WHEN h.live THEN i.hold_seconds END AS hold_seconds,
                   CASE WHEN q.answered = 1 THEN i.wait_seconds END
                       AS answer_wait_seconds,
                   CASE
                       WHEN q.answered = 1 AND i.wait_seconds <= q.threshold THEN 100.0
                       WHEN q.answered = 1 THEN 0.0
                       WHEN q.offered = 1 AND i.wait_seconds > q.threshold THEN 0.0
                   END AS service_level,
                   CASE
                       WHEN q.answered = 1 THEN 0.0
                       WHEN q.offered = 1 THEN 100.0
                   END AS abandon_rate,
                   CASE WHEN h.live THEN
                       CASE WHEN i.is_transferred THEN 100.0 ELSE 0.0 END
                   END AS transfer_rate,
                   CASE WHEN i.is_resolved AND h.handled
                            AND i.partner_id IS NOT NULL THEN
                       CASE WHEN i.has_repeat_contact THEN 0.0 ELSE 100.0 END
                   END AS fcr_rate
              FROM contact_center_interaction i
              LEFT JOIN contact_center_team t ON t.id = i.team_id
             CROSS JOIN LATERAL (
                   SELECT i.channel IN ('phone', 'chat') AS live_channel,
                          i.direction = 'inbound'
                          AND i.channel IN ('phone', 'chat')
                          AND NOT COALESCE(i.is_transfer_leg, FALSE) AS queue
                   ) c
             CROSS JOIN LATERAL (
                   SELECT c.live_channel AND i.answered_at IS NOT NULL
                          AND i.agent_id IS NOT NULL AS live,
                          i.agent_id IS NOT NULL AND (
                              (c.live_channel AND i.answered_at IS NOT NULL)
                              OR (NOT c.live_channel AND i.direction = 'outbound'
                                  AND i.state = 'done')
                          ) AS handled
                   ) h
             CROSS JOIN LATERAL (
                   SELECT COALESCE(t.service_level_seconds, 20) AS threshold,
                          c.queue AND i.state = 'abandoned'
                          AND i.wait_seconds < COALESCE(t.short_abandon_seconds, 5)
                              AS short,
                          CASE WHEN c.queue AND i.answered_at IS NOT NULL
                               THEN 1 ELSE 0 END AS answered,
                          CASE WHEN c.queue AND i.state = 'abandoned'
                               THEN 1 ELSE 0 END AS abandoned,
                          CASE WHEN c.queue AND (
                                   i.answered_at IS NOT NULL
                                   OR (i.state = 'abandoned'
                                       AND i.wait_seconds
                                           >= COALESCE(t.short_abandon_seconds, 5))
                               ) THEN 1 ELSE 0 END AS offered
                   ) q
             WHERE i.ended_at IS NOT NULL
        """

    def action_open_interaction(self):
        """A report row opens the interaction it stands for."""
        self.ensure_one()
        return self.interaction_id.get_formview_action()
