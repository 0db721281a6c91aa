from collections import defaultdict

from odoo import api, fields, models

from odoo.addons.contact_center_survey.models import (
    contact_center_survey_rollup_mixin as rollup,
)


class ContactCenterCampaign(models.Model):
    """The satisfaction figures of agents and teams, over the campaign's
    whole life rather than 90 days, with the invitations sent and the
    response rate."""

    _name = "contact_center.campaign"
    _inherit = ["contact_center.campaign", "contact_center.survey.rollup.mixin"]
    _cc_survey_owner_field = "cc_campaign_id"

    cc_survey_invitation_count = fields.Integer(
        string="Survey Invitations",
        compute="_compute_cc_survey_rollup",
        help="Survey invitations sent after the campaign's calls.",
    )
    cc_survey_response_rate = fields.Float(
        string="Response Rate (%)",
        digits=(16, 1),
        compute="_compute_cc_survey_rollup",
        help="Answered invitations / invitations sent, as %.",
    )
    cc_survey_response_count = fields.Integer(string="Survey Responses")
    cc_csat = fields.Float(
        help="Share of satisfied CSAT answers (4 or 5 out of 5) after the "
        "campaign's calls."
    )
    cc_nps = fields.Float(
        help="Net Promoter Score after the campaign's calls: % promoters (9-10) "
        "minus % detractors (0-6), from -100 to 100."
    )
    cc_ces = fields.Float(
        help="Customer Effort Score after the campaign's calls: the average "
        "answer, from 1 to 7 (7 = very easy)."
    )

    @api.depends_context("uid")
    def _compute_cc_survey_rollup(self):
        """The mixin's figures and the invitations sent, in one grouped read
        as the reader (record rules decide which invitations count): an
        invitation counts once sent (cancelled ones do not), a response once
        its score is recorded."""
        Input = self.env["survey.user_input"]
        sent = defaultdict(int)
        answers = []
        stored = self.filtered("id")
        if stored.ids and Input.has_access("read"):
            for campaign, state, kind, score, count in Input._read_group(
                [
                    ("cc_campaign_id", "in", stored.ids),
                    ("cc_sent_at", "!=", False),
                    ("cc_state", "!=", "cancelled"),
                ],
                ["cc_campaign_id", "cc_state", "cc_score_kind", "cc_score"],
                ["__count"],
            ):
                sent[campaign.id] += count
                if state == "answered" and kind:
                    answers.append((campaign, kind, score, count))
        figures = rollup.survey_rollup(answers)
        for campaign in self:
            values = figures.get(campaign.id, rollup.EMPTY_ROLLUP)
            invitations = sent.get(campaign.id, 0)
            campaign.update(
                {
                    **values,
                    "cc_survey_invitation_count": invitations,
                    "cc_survey_response_rate": (
                        100.0 * values["cc_survey_response_count"] / invitations
                        if invitations
                        else 0.0
                    ),
                }
            )
