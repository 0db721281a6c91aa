from collections import defaultdict

from odoo import api, fields, models

from odoo.addons.contact_center_survey.tools import survey_rules as engine


class ContactCenterCampaign(models.Model):
    _inherit = "contact_center.campaign"

    cc_survey_invitation_count = fields.Integer(
        string="Survey Invitations",
        compute="_compute_cc_survey_figures",
        help="Survey invitations sent after the campaign's calls.",
    )
    cc_survey_response_count = fields.Integer(
        string="Survey Responses", compute="_compute_cc_survey_figures"
    )
    cc_survey_response_rate = fields.Float(
        string="Response Rate (%)",
        digits=(16, 1),
        compute="_compute_cc_survey_figures",
        help="Answered invitations / invitations sent, as %.",
    )
    cc_csat = fields.Float(
        string="CSAT (%)",
        digits=(16, 1),
        compute="_compute_cc_survey_figures",
        help="Share of satisfied CSAT answers (4 or 5 out of 5) after the "
        "campaign's calls.",
    )
    cc_csat_count = fields.Integer(
        string="CSAT Answers", compute="_compute_cc_survey_figures"
    )
    cc_nps = fields.Float(
        string="NPS",
        digits=(16, 1),
        compute="_compute_cc_survey_figures",
        help="Net Promoter Score after the campaign's calls: % promoters (9-10) "
        "minus % detractors (0-6), from -100 to 100.",
    )
    cc_nps_count = fields.Integer(
        string="NPS Answers", compute="_compute_cc_survey_figures"
    )
    cc_ces = fields.Float(
        string="CES",
        digits=(16, 2),
        compute="_compute_cc_survey_figures",
        help="Customer Effort Score after the campaign's calls: the average "
        "answer, from 1 to 7 (7 = very easy).",
    )
    cc_ces_count = fields.Integer(
        string="CES Answers", compute="_compute_cc_survey_figures"
    )

    @api.depends_context("uid")
    def _compute_cc_survey_figures(self):
        """The satisfaction of each campaign over its whole life, in one
        query, as the reader: record rules decide which invitations count.
        An invitation counts once sent (cancelled ones do not), a response
        once its score is recorded."""
        Input = self.env["survey.user_input"]
        sent = defaultdict(int)
        scores = defaultdict(lambda: defaultdict(list))
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
                    # an NPS of 0 may be stored as NULL, read as False
                    scores[campaign.id][kind].extend([score or 0] * count)
        for campaign in self:
            by_kind = scores.get(campaign.id, {})
            csat = by_kind.get("csat", [])
            nps = by_kind.get("nps", [])
            ces = by_kind.get("ces", [])
            invitations = sent.get(campaign.id, 0)
            responses = len(csat) + len(nps) + len(ces)
            campaign.cc_survey_invitation_count = invitations
            campaign.cc_survey_response_count = responses
            campaign.cc_survey_response_rate = (
                100.0 * responses / invitations if invitations else 0.0
            )
            campaign.cc_csat = engine.csat(csat) or 0.0
            campaign.cc_csat_count = len(csat)
            campaign.cc_nps = engine.nps(nps) or 0.0
            campaign.cc_nps_count = len(nps)
            campaign.cc_ces = engine.ces(ces) or 0.0
            campaign.cc_ces_count = len(ces)

    def action_cc_view_survey_responses(self):
        """The survey answers given after the campaign's calls."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "contact_center_survey.survey_user_input_action_invitations"
        )
        action["domain"] = [
            ("cc_campaign_id", "=", self.id),
            ("cc_state", "=", "answered"),
        ]
        action["context"] = {"create": False}
        action["name"] = self.env._("Survey Responses: %s", self.name)
        return action
