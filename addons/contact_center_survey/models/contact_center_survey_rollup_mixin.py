from datetime import timedelta

from odoo import api, fields, models

from ..tools import survey_rules as engine

# the window of the agents' and teams' satisfaction figures
ROLLUP_DAYS = 90


def survey_rollup(groups):
    """{owner id: figures} from ``_read_group`` rows (owner, kind, score,
    count): the number of answers, CSAT %, NPS and CES with their answer
    counts (0.0 and 0 for a kind nobody answered)."""
    scores = {}
    for owner, kind, score, count in groups:
        by_kind = scores.setdefault(owner.id, {})
        by_kind.setdefault(kind, []).extend([score] * count)
    result = {}
    for owner_id, by_kind in scores.items():
        csat = by_kind.get("csat", [])
        nps = by_kind.get("nps", [])
        ces = by_kind.get("ces", [])
        result[owner_id] = {
            "cc_survey_response_count": len(csat) + len(nps) + len(ces),
            "cc_csat": engine.csat(csat) or 0.0,
            "cc_csat_count": len(csat),
            "cc_nps": engine.nps(nps) or 0.0,
            "cc_nps_count": len(nps),
            "cc_ces": engine.ces(ces) or 0.0,
            "cc_ces_count": len(ces),
        }
    return result


EMPTY_ROLLUP = {
    "cc_survey_response_count": 0,
    "cc_csat": 0.0,
    "cc_csat_count": 0,
    "cc_nps": 0.0,
    "cc_nps_count": 0,
    "cc_ces": 0.0,
    "cc_ces_count": 0,
}


class ContactCenterSurveyRollupMixin(models.AbstractModel):
    """Satisfaction of the last 90 days of the answers recorded on a
    record (an agent, a team), computed for all records in two queries, as
    the reader: record rules decide which answers count."""

    _name = "contact_center.survey.rollup.mixin"
    _description = "Contact Center Satisfaction Figures"
    # the survey.user_input field pointing to the records of the model
    _cc_survey_owner_field = None

    cc_survey_response_count = fields.Integer(
        string="Survey Responses (90 days)", compute="_compute_cc_survey_rollup"
    )
    cc_csat = fields.Float(
        string="CSAT (%)",
        digits=(16, 1),
        compute="_compute_cc_survey_rollup",
        help="Share of satisfied CSAT answers (4 or 5 out of 5) in the last 90 days.",
    )
    cc_csat_count = fields.Integer(
        string="CSAT Answers", compute="_compute_cc_survey_rollup"
    )
    cc_nps = fields.Float(
        string="NPS",
        digits=(16, 1),
        compute="_compute_cc_survey_rollup",
        help="Net Promoter Score of the last 90 days: % promoters (9-10) minus "
        "% detractors (0-6), from -100 to 100.",
    )
    cc_nps_count = fields.Integer(
        string="NPS Answers", compute="_compute_cc_survey_rollup"
    )
    cc_ces = fields.Float(
        string="CES",
        digits=(16, 2),
        compute="_compute_cc_survey_rollup",
        help="Customer Effort Score of the last 90 days: the average answer, "
        "from 1 to 7 (7 = very easy).",
    )
    cc_ces_count = fields.Integer(
        string="CES Answers", compute="_compute_cc_survey_rollup"
    )

    def _cc_survey_rollup_domain(self):
        since = fields.Datetime.now() - timedelta(days=ROLLUP_DAYS)
        return [
            (self._cc_survey_owner_field, "in", self.ids),
            ("cc_answered_at", ">=", since),
            ("cc_score_kind", "!=", False),
        ]

    @api.depends_context("uid")
    def _compute_cc_survey_rollup(self):
        Input = self.env["survey.user_input"]
        figures = {}
        if self.ids and Input.has_access("read"):
            figures = survey_rollup(
                Input._read_group(
                    self._cc_survey_rollup_domain(),
                    [self._cc_survey_owner_field, "cc_score_kind", "cc_score"],
                    ["__count"],
                )
            )
        for record in self:
            record.update(figures.get(record.id, EMPTY_ROLLUP))

    def action_cc_view_survey_responses(self):
        """The answers recorded on this record, newest first."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "contact_center_survey.survey_user_input_action_invitations"
        )
        action["domain"] = [
            (self._cc_survey_owner_field, "=", self.id),
            ("cc_state", "=", "answered"),
        ]
        action["context"] = {"create": False}
        action["name"] = self.env._("Survey Responses")
        return action
