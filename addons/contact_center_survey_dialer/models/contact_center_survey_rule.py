from odoo import api, fields, models
from odoo.tools import SQL

CONTACT_MODEL = "contact_center.campaign.contact"


class ContactCenterSurveyRule(models.Model):
    _inherit = "contact_center.survey.rule"

    campaign_ids = fields.Many2many(
        "contact_center.campaign",
        "contact_center_survey_rule_campaign_rel",
        "rule_id",
        "campaign_id",
        string="Campaigns",
        check_company=True,
        help="Campaign call outcome: only the calls of these campaigns; none: "
        "every campaign.",
    )
    campaign_outcome_ids = fields.Many2many(
        "contact_center.campaign.outcome",
        "contact_center_survey_rule_campaign_outcome_rel",
        "rule_id",
        "outcome_id",
        string="Outcomes",
        check_company=True,
        # an outcome agents are no longer offered still counts
        context={"active_test": False},
        domain="campaign_ids and [('campaign_id', 'in', campaign_ids)] or []",
        help="Campaign call outcome: only the calls that ended with one of "
        "these outcomes (Sale, Interested...), in whichever campaign the rule "
        "watches; none: any outcome.",
    )

    @api.model
    def _cc_survey_triggers(self):
        triggers = super()._cc_survey_triggers()
        triggers["campaign_outcome"] = (
            self.env._("Campaign call outcome"),
            "_candidates_campaign_calls",
        )
        return triggers

    def _candidates_campaign_calls(self, since, until):
        """Campaign calls (placed by the dialer, or dialed by the agent from
        the campaign) with a customer, finished in ``(since, until]``. The
        key is the interaction's, as for any call: a call a *Call ended*
        rule already surveyed is not surveyed again, and the reverse."""
        self.ensure_one()
        self.env["contact_center.interaction"].flush_model()
        self.env["contact_center.campaign.contact"].flush_model(["campaign_id"])
        self.env["survey.user_input"].flush_model(["cc_trigger_key"])
        conditions = [
            SQL("i.state = 'done'"),
            SQL("i.partner_id IS NOT NULL"),
            SQL("(i.is_dialer_call OR c.id IS NOT NULL)"),
            SQL("NOT COALESCE(i.is_transferred, FALSE)"),
            SQL("i.company_id = %s", self.company_id.id),
            SQL("COALESCE(i.wrap_up_ended_at, i.ended_at) > %s", since),
            SQL("COALESCE(i.wrap_up_ended_at, i.ended_at) <= %s", until),
        ]
        if self.team_ids:
            conditions.append(SQL("i.team_id IN %s", tuple(self.team_ids.ids)))
        if self.channel:
            conditions.append(SQL("i.channel = %s", self.channel))
        if self.campaign_ids:
            conditions.append(
                SQL(
                    "COALESCE(i.campaign_id, c.campaign_id) IN %s",
                    tuple(self.campaign_ids.ids),
                )
            )
        if self.campaign_outcome_ids:
            codes = set(self.campaign_outcome_ids.mapped("outcome"))
            conditions.append(SQL("i.campaign_outcome IN %s", tuple(sorted(codes))))
        return self.env.execute_query_dict(
            SQL(
                """
                SELECT i.id AS interaction_id,
                       NULL::integer AS ticket_id,
                       i.partner_id, i.team_id, i.agent_id, i.reason_id,
                       i.channel AS contact_channel,
                       COALESCE(i.wrap_up_ended_at, i.ended_at) AS ended_at,
                       COALESCE(NULLIF(i.talk_seconds, 0), i.handle_seconds)
                           AS duration_seconds,
                       'interaction:' || i.id AS trigger_key,
                       COALESCE(i.campaign_id, c.campaign_id) AS campaign_id
                  FROM contact_center_interaction i
             LEFT JOIN contact_center_campaign_contact c
                    ON i.res_model = %s AND c.id = i.res_id
                 WHERE %s
                   AND NOT EXISTS (
                       SELECT 1 FROM survey_user_input u
                        WHERE u.cc_trigger_key = 'interaction:' || i.id)
              ORDER BY COALESCE(i.wrap_up_ended_at, i.ended_at), i.id
                """,
                CONTACT_MODEL,
                SQL(" AND ").join(conditions),
            )
        )

    def _cc_interaction_campaigns(self, interaction_ids):
        """{interaction id: campaign id} of the campaign calls among
        ``interaction_ids``, in one query."""
        if not interaction_ids:
            return {}
        self.env["contact_center.interaction"].flush_model(
            ["campaign_id", "res_model", "res_id"]
        )
        self.env["contact_center.campaign.contact"].flush_model(["campaign_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT i.id, COALESCE(i.campaign_id, c.campaign_id)
                  FROM contact_center_interaction i
             LEFT JOIN contact_center_campaign_contact c
                    ON i.res_model = %s AND c.id = i.res_id
                 WHERE i.id = ANY(%s)
                   AND COALESCE(i.campaign_id, c.campaign_id) IS NOT NULL
                """,
                CONTACT_MODEL,
                list(interaction_ids),
            )
        )
        return dict(rows)

    def _decide(self, candidates, now):
        # the other triggers (a campaign call surveyed by a Call ended rule)
        # do not say the campaign: look it up for the whole batch at once
        unknown = [
            candidate
            for candidate in candidates
            if "campaign_id" not in candidate and candidate.get("interaction_id")
        ]
        if unknown:
            campaigns = self._cc_interaction_campaigns(
                {candidate["interaction_id"] for candidate in unknown}
            )
            for candidate in unknown:
                candidate["campaign_id"] = campaigns.get(candidate["interaction_id"])
        return super()._decide(candidates, now)

    def _candidate_extra_values(self, candidate):
        values = super()._candidate_extra_values(candidate)
        values["cc_campaign_id"] = candidate.get("campaign_id") or False
        return values
