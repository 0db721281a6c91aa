from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.contact_center.models.contact_center_interaction import DIRECTIONS
from odoo.addons.contact_center.models.contact_center_team import CHANNELS

from ..tools import survey_rules as engine
from .survey_survey import SCORE_KIND_LABELS
from .survey_user_input import INVITATION_STATES


class ContactCenterReportSurvey(models.Model):
    """One row per survey invitation sent after a contact, carrying each
    satisfaction KPI's share.

    Rows are the invitations themselves (same id as their
    ``survey.user_input``): sent ones, cancelled ones left out. Every KPI is a
    column whose average over any group is the KPI itself, so pivots, graphs
    and the KPI engine read the same figures:

    - ``is_answered``: 100 answered, 0 not: its average is the response rate;
    - ``csat_satisfied``: 100 for a CSAT answer of 4-5, 0 for 1-3, empty on
      other rows: its average is the CSAT;
    - ``nps_value``: +100 promoter (9-10), -100 detractor (0-6), 0 passive,
      empty on other rows: its average is the NPS;
    - ``ces_score``: the 1-7 effort score of CES answers, empty elsewhere:
      its average is the CES.

    Another addon adds columns by overriding :meth:`_cc_report_columns` (the
    select fragments appended to the query, over the aliases ``u``
    (survey_user_input), ``r`` (the rule), ``i`` (the interaction) and ``a``
    (the agent)) and declaring the matching field; its own
    ``survey.user_input`` columns go into ``_depends`` so they are flushed
    before the report is read. For example the dialer bridge::

        campaign_id = fields.Many2one("contact_center.campaign", readonly=True)

        def _cc_report_columns(self):
            return super()._cc_report_columns() + [
                SQL("u.cc_campaign_id AS campaign_id")
            ]
    """

    _name = "contact_center.report.survey"
    _description = "Contact Center Satisfaction by Invitation"
    _auto = False
    _order = "sent_at desc, id desc"
    _rec_name = "user_input_id"
    _depends = {
        "survey.user_input": [
            "cc_rule_id",
            "cc_interaction_id",
            "cc_ticket_id",
            "cc_agent_id",
            "cc_team_id",
            "cc_reason_id",
            "cc_contact_channel",
            "cc_ended_at",
            "cc_channel",
            "cc_state",
            "cc_sent_at",
            "cc_answered_at",
            "cc_score_kind",
            "cc_score",
            "cc_comment",
            "cc_is_low",
            "partner_id",
            "survey_id",
        ],
        "contact_center.survey.rule": ["company_id"],
        "contact_center.interaction": ["direction"],
        "contact_center.agent": ["user_id"],
    }

    user_input_id = fields.Many2one(
        "survey.user_input", string="Survey Response", readonly=True
    )
    sent_at = fields.Datetime(
        string="Sent On",
        readonly=True,
        help="When the invitation left: grouping by it gives the figures of "
        "the invitations sent in each period.",
    )
    answered_at = fields.Datetime(string="Answered On", readonly=True)
    ended_at = fields.Datetime(
        string="Contact Ended",
        readonly=True,
        help="When the contact the survey asks about ended: the KPI dashboards "
        "count the answers to the contacts that ended in their period.",
    )
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    agent_id = fields.Many2one("contact_center.agent", readonly=True)
    user_id = fields.Many2one("res.users", string="Agent User", readonly=True)
    team_id = fields.Many2one("contact_center.team", readonly=True)
    rule_id = fields.Many2one(
        "contact_center.survey.rule", string="Survey Rule", readonly=True
    )
    survey_id = fields.Many2one("survey.survey", readonly=True)
    interaction_id = fields.Many2one("contact_center.interaction", readonly=True)
    ticket_id = fields.Many2one("contact_center.ticket", readonly=True)
    reason_id = fields.Many2one(
        "contact_center.contact.reason", string="Contact Reason", readonly=True
    )
    contact_channel = fields.Selection(CHANNELS, readonly=True)
    direction = fields.Selection(DIRECTIONS, readonly=True)
    send_channel = fields.Selection(
        [("email", "Email"), ("sms", "SMS")], string="Sent By", readonly=True
    )
    state = fields.Selection(INVITATION_STATES, string="Invitation", readonly=True)
    score_kind = fields.Selection(SCORE_KIND_LABELS, readonly=True)
    score = fields.Integer(
        readonly=True,
        aggregator="avg",
        help="The answer's score on its own scale (CSAT 1-5, NPS 0-10, "
        "CES 1-7); empty until answered.",
    )
    comment = fields.Text(readonly=True)
    is_low = fields.Boolean(string="Low Score", readonly=True)
    sent_count = fields.Integer(
        string="Sent", readonly=True, help="Invitations sent (1 per row)."
    )
    answered_count = fields.Integer(
        string="Answered", readonly=True, help="Invitations answered: 1 or 0."
    )
    is_answered = fields.Float(
        string="Response Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Response rate = answered / sent invitations, as %.",
    )
    csat_satisfied = fields.Float(
        string="CSAT (%)",
        readonly=True,
        aggregator="avg",
        help="CSAT = CSAT answers scoring 4 or 5 of 5 / CSAT answers, as %.",
    )
    nps_value = fields.Float(
        string="NPS",
        readonly=True,
        aggregator="avg",
        help="Net Promoter Score = % of NPS answers scoring 9-10 (promoters) "
        "− % scoring 0-6 (detractors), from −100 to 100.",
    )
    ces_score = fields.Float(
        string="CES",
        readonly=True,
        aggregator="avg",
        help="Customer Effort Score = average of the CES answers, 1 to 7 "
        "(7: very easy).",
    )

    @property
    def _table_query(self):
        return self._cc_query()

    @api.model
    def _cc_report_columns(self):
        """Extra select fragments (``odoo.tools.SQL``) of the report query,
        each ending ``AS <field name>``: the hook other addons extend (see the
        class docstring for the aliases)."""
        return []

    @api.model
    def _cc_query(self):
        columns = [
            SQL(
                """
                u.id,
                u.id AS user_input_id,
                u.cc_sent_at AS sent_at,
                u.cc_answered_at AS answered_at,
                u.cc_ended_at AS ended_at,
                r.company_id,
                u.partner_id,
                u.cc_agent_id AS agent_id,
                a.user_id,
                u.cc_team_id AS team_id,
                u.cc_rule_id AS rule_id,
                u.survey_id,
                u.cc_interaction_id AS interaction_id,
                u.cc_ticket_id AS ticket_id,
                u.cc_reason_id AS reason_id,
                u.cc_contact_channel AS contact_channel,
                i.direction,
                u.cc_channel AS send_channel,
                u.cc_state AS state,
                u.cc_score_kind AS score_kind,
                CASE WHEN s.answered THEN s.score END AS score,
                u.cc_comment AS comment,
                COALESCE(u.cc_is_low, FALSE) AS is_low,
                1 AS sent_count,
                CASE WHEN s.answered THEN 1 ELSE 0 END AS answered_count,
                CASE WHEN s.answered THEN 100.0 ELSE 0.0 END AS is_answered,
                CASE WHEN s.answered AND u.cc_score_kind = 'csat' THEN
                    CASE WHEN s.score >= %(satisfied)s THEN 100.0 ELSE 0.0 END
                END AS csat_satisfied,
                CASE WHEN s.answered AND u.cc_score_kind = 'nps' THEN
                    CASE WHEN s.score >= %(promoter)s THEN 100.0
                         WHEN s.score <= %(detractor)s THEN -100.0
                         ELSE 0.0
                    END
                END AS nps_value,
                CASE WHEN s.answered AND u.cc_score_kind = 'ces'
                     THEN s.score::float
                END AS ces_score
                """,
                # the thresholds of the engine's formulas
                satisfied=engine.CSAT_SATISFIED_MIN,
                promoter=engine.NPS_PROMOTER_MIN,
                detractor=engine.NPS_DETRACTOR_MAX,
            ),
            *self._cc_report_columns(),
        ]
        return SQL(
            """
            SELECT %s
              FROM survey_user_input u
              JOIN contact_center_survey_rule r ON r.id = u.cc_rule_id
              LEFT JOIN contact_center_interaction i ON i.id = u.cc_interaction_id
              LEFT JOIN contact_center_agent a ON a.id = u.cc_agent_id
             CROSS JOIN LATERAL (
                   SELECT u.cc_state = 'answered' AS answered,
                          u.cc_score AS score
                   ) s
             WHERE u.cc_sent_at IS NOT NULL
               AND u.cc_state IS DISTINCT FROM 'cancelled'
            """,
            SQL(", ").join(columns),
        )

    def action_open_user_input(self):
        """A report row opens the survey response it stands for."""
        self.ensure_one()
        return self.user_input_id.get_formview_action()
