from odoo import api, fields, models
from odoo.tools import SQL

from .survey_survey import SCORE_KIND_LABELS

AGENT_ANSWER_INDEX = "survey_user_input_cc_agent_answered_idx"


class ContactCenterAgent(models.Model):
    _name = "contact_center.agent"
    _inherit = ["contact_center.agent", "contact_center.survey.rollup.mixin"]
    _cc_survey_owner_field = "cc_agent_id"

    cc_survey_last_score = fields.Integer(
        string="Last Survey Score", compute="_compute_cc_survey_last_score"
    )
    cc_survey_last_score_kind = fields.Selection(
        SCORE_KIND_LABELS,
        string="Last Survey Kind",
        compute="_compute_cc_survey_last_score",
    )
    cc_survey_last_at = fields.Datetime(
        string="Last Survey Answer", compute="_compute_cc_survey_last_score"
    )

    def init(self):
        result = super().init()
        # the agent's figures and last score read their answers by date
        self.env.cr.execute(
            SQL(
                """
                CREATE INDEX IF NOT EXISTS %s
                    ON survey_user_input (cc_agent_id, cc_answered_at DESC, id DESC)
                 WHERE cc_answered_at IS NOT NULL AND cc_agent_id IS NOT NULL
                """,
                SQL.identifier(AGENT_ANSWER_INDEX),
            )
        )
        return result

    @api.depends_context("uid")
    def _compute_cc_survey_last_score(self):
        """The latest answer of each agent the user may read, one query."""
        Input = self.env["survey.user_input"]
        last = {}
        if self.ids and Input.has_access("read"):
            query = Input._search(
                [
                    ("cc_agent_id", "in", self.ids),
                    ("cc_answered_at", "!=", False),
                    ("cc_score_kind", "!=", False),
                ]
            )
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT DISTINCT ON (a.cc_agent_id)
                           a.cc_agent_id, a.cc_score, a.cc_score_kind, a.cc_answered_at
                      FROM (%s) a
                  ORDER BY a.cc_agent_id, a.cc_answered_at DESC, a.id DESC
                    """,
                    query.select(
                        "survey_user_input.id",
                        "survey_user_input.cc_agent_id",
                        "survey_user_input.cc_score",
                        "survey_user_input.cc_score_kind",
                        "survey_user_input.cc_answered_at",
                    ),
                )
            )
            last = {row[0]: row[1:] for row in rows}
        for agent in self:
            score, kind, at = last.get(agent.id, (0, False, False))
            agent.cc_survey_last_score = score
            agent.cc_survey_last_score_kind = kind
            agent.cc_survey_last_at = at
