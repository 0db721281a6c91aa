from datetime import timedelta

from odoo import fields, models
from odoo.tools import SQL

from ..tools import survey_rules as engine
from .survey_survey import SCORE_KIND_LABELS

# the trend compares the average of a customer's last TREND_WINDOW answers
# with the TREND_WINDOW before, on 0-100; closer than TREND_MARGIN is flat
TREND_WINDOW = 3
TREND_MARGIN = 5.0
TREND_STATES = [
    ("up", "Improving"),
    ("down", "Declining"),
    ("flat", "Stable"),
    ("none", "Not Enough Answers"),
]
STATS_DAYS = 365


class ResPartner(models.Model):
    _inherit = "res.partner"

    cc_survey_opt_out = fields.Boolean(
        string="No Satisfaction Surveys",
        help="The customer asked not to receive satisfaction surveys: no "
        "rule invites them.",
    )
    cc_survey_last_score = fields.Integer(
        string="Last Survey Score", readonly=True, copy=False
    )
    cc_survey_last_score_kind = fields.Selection(
        SCORE_KIND_LABELS, string="Last Survey Kind", readonly=True, copy=False
    )
    cc_survey_last_at = fields.Datetime(
        string="Last Survey Answer", readonly=True, copy=False
    )
    cc_survey_trend = fields.Selection(
        TREND_STATES,
        string="Satisfaction Trend",
        compute="_compute_cc_survey_stats",
        help="The average of the customer's last three survey scores against "
        "the three before, each on a 0-100 scale.",
    )
    cc_survey_answer_count = fields.Integer(
        string="Survey Answers (365 days)", compute="_compute_cc_survey_stats"
    )
    cc_survey_low_count = fields.Integer(
        string="Low Scores (365 days)", compute="_compute_cc_survey_stats"
    )

    def _compute_cc_survey_stats(self):
        """Trend and yearly counts of the customers' answers, in one query
        for all of them.

        Figures about the customer, like the last score stored on them: read
        whoever may read the customer, whichever responses their record rules
        let them open (no comment, no agent is read here).
        """
        partners = self.filtered("id")
        (self - partners).update(
            {
                "cc_survey_trend": "none",
                "cc_survey_answer_count": 0,
                "cc_survey_low_count": 0,
            }
        )
        if not partners:
            return
        self.env["survey.user_input"].flush_model(
            ["partner_id", "cc_answered_at", "cc_score", "cc_score_kind", "cc_is_low"]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner_id,
                       AVG(normalised) FILTER (WHERE position <= %(window)s),
                       AVG(normalised) FILTER (
                           WHERE position > %(window)s AND position <= 2 * %(window)s
                       ),
                       COUNT(*) FILTER (WHERE answered_at >= %(since)s),
                       COUNT(*) FILTER (WHERE answered_at >= %(since)s AND is_low)
                  FROM (
                        SELECT partner_id,
                               cc_answered_at AS answered_at,
                               cc_is_low AS is_low,
                               %(normalised)s AS normalised,
                               row_number() OVER (
                                   PARTITION BY partner_id
                                   ORDER BY cc_answered_at DESC, id DESC
                               ) AS position
                          FROM survey_user_input
                         WHERE partner_id = ANY(%(ids)s)
                           AND cc_answered_at IS NOT NULL
                           AND cc_score_kind IS NOT NULL
                       ) answers
              GROUP BY partner_id
                """,
                window=TREND_WINDOW,
                since=fields.Datetime.now() - timedelta(days=STATS_DAYS),
                normalised=normalised_score_sql(
                    SQL.identifier("cc_score_kind"), SQL.identifier("cc_score")
                ),
                ids=partners.ids,
            )
        )
        stats = {row[0]: row[1:] for row in rows}
        for partner in partners:
            recent, previous, answers, low = stats.get(partner.id, (None, None, 0, 0))
            partner.cc_survey_trend = survey_trend(
                float(recent) if recent is not None else None,
                float(previous) if previous is not None else None,
            )
            partner.cc_survey_answer_count = answers
            partner.cc_survey_low_count = low

    def action_cc_view_survey_responses(self):
        """The customer's answered surveys (and their contacts')."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "contact_center_survey.survey_user_input_action_invitations"
        )
        action["domain"] = [
            ("partner_id", "child_of", self.commercial_partner_id.id),
            ("cc_state", "=", "answered"),
        ]
        action["context"] = {"create": False}
        action["name"] = self.env._("Survey Responses")
        return action


def survey_trend(recent, previous, margin=TREND_MARGIN):
    """The trend of a customer's satisfaction: "up", "down", "flat" or
    "none", from the average normalised score (0-100) of their last answers
    (``recent``) and of the ones before (``previous``); "none" when either is
    missing (None). Within ``margin`` points it is flat."""
    if recent is None or previous is None:
        return "none"
    if recent - previous > margin:
        return "up"
    if previous - recent > margin:
        return "down"
    return "flat"


def normalised_score_sql(kind, score):
    """SQL of a score of any kind on 0-100, using each kind's bounds."""
    return SQL(
        "CASE %s END",
        SQL(" ").join(
            SQL(
                "WHEN %s = %s THEN (%s - %s) * 100.0 / %s",
                kind,
                code,
                score,
                spec.low,
                spec.high - spec.low,
            )
            for code, spec in engine.SCORE_KINDS.items()
        ),
    )
