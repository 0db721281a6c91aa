import re

from odoo import api, models
from odoo.tools import SQL

from odoo.addons.contact_center.models.contact_center_timeline import SUMMARY_LENGTH

from ..tools import survey_rules as engine

SURVEY_SOURCE_RANK = 50
# the survey source pages a customer's answered invitations by answer date
ANSWER_INDEX = "survey_user_input_cc_partner_answered_idx"
# the lowest score each kind counts as satisfied (CSAT 4-5, NPS promoters
# 9-10, CES 5-7 on its 1-7 "it was easy" scale); at or under the kind's low
# threshold (or the rule's, through cc_is_low) the customer is unhappy
SATISFIED_MIN = {
    "csat": engine.CSAT_SATISFIED_MIN,
    "nps": engine.NPS_PROMOTER_MIN,
    "ces": 5,
}


def score_tone(kind, score, is_low=False):
    """The tone of a survey answer: success (satisfied), warning (neutral)
    or danger (unhappy); neutral for an unknown kind."""
    spec = engine.SCORE_KINDS.get(kind)
    if not spec:
        return "neutral"
    if is_low or score <= spec.low_threshold:
        return "danger"
    if score >= SATISFIED_MIN[kind]:
        return "success"
    return "warning"


class ContactCenterTimeline(models.AbstractModel):
    _inherit = "contact_center.timeline"

    def init(self):
        result = super().init()
        # the survey source reads a customer's answers newest first; the
        # survey.user_input table belongs to survey, the index to this source
        self.env.cr.execute(
            SQL(
                """
                CREATE INDEX IF NOT EXISTS %s
                    ON survey_user_input (partner_id, cc_answered_at DESC, id DESC)
                 WHERE cc_answered_at IS NOT NULL
                """,
                SQL.identifier(ANSWER_INDEX),
            )
        )
        return result

    @api.model
    def _timeline_sources(self):
        sources = super()._timeline_sources()
        # record rules apply through _search: only the answers the user may read
        if self.env["survey.user_input"].has_access("read"):
            sources.append(
                self._timeline_source(
                    "survey",
                    SURVEY_SOURCE_RANK,
                    "survey.user_input",
                    "cc_answered_at",
                    self._query_survey_answers,
                    self._hydrate_survey_answers,
                    list(engine.CHANNELS),
                    # the customer's answer comes to us
                    ["inbound"],
                )
            )
        return sources

    @api.model
    def _query_survey_answers(self, partner_ids, channels, directions):
        domain = [
            ("partner_id", "in", partner_ids),
            ("cc_answered_at", "!=", False),
        ]
        # filters that keep everything are left out of the query
        if set(channels) < set(engine.CHANNELS):
            domain.append(("cc_channel", "in", channels))
        return self.env["survey.user_input"]._search(domain)

    @api.model
    def _hydrate_survey_answers(self, answers):
        kinds = dict(answers._fields["cc_score_kind"]._description_selection(self.env))
        outcomes = {
            "success": self.env._("Satisfied"),
            "warning": self.env._("Neutral"),
            "danger": self.env._("Unhappy"),
            "neutral": "",
        }
        result = {}
        for answer in answers:
            kind = answer.cc_score_kind
            spec = engine.SCORE_KINDS.get(kind)
            if spec:
                title = self.env._(
                    "%(kind)s %(score)s/%(max)s",
                    kind=kind.upper(),
                    score=answer.cc_score,
                    max=spec.high,
                )
            else:
                title = kinds.get(kind) or answer.survey_id.display_name
            tone = score_tone(kind, answer.cc_score, answer.cc_is_low)
            comment = re.sub(r"\s+", " ", answer.cc_comment or "").strip()
            result[answer.id] = {
                "at": answer.cc_answered_at,
                "channel": answer.cc_channel,
                "direction": "inbound",
                "title": title,
                "reference": "",
                "summary": comment[:SUMMARY_LENGTH],
                # sudo: only the name of the agent recorded on an answer the
                # user may read (a survey officer may not read agents)
                "handled_by": answer.cc_agent_id.sudo().name or "",
                "duration_seconds": 0,
                "outcome": outcomes[tone],
                "tone": tone,
                "state": "",
                "res_model": answer._name,
                "res_id": answer.id,
                "recording_url": "",
            }
        return result
