from datetime import timedelta

from freezegun import freeze_time

from odoo import Command

from odoo.addons.contact_center_survey.tests.common import NOW, SurveyCase


class CampaignSurveyCase(SurveyCase):
    """Two running preview campaigns of the Care team, dialed through a PBX
    that is never reached (the tests play its part on the call records),
    and an NPS rule on campaign call outcomes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls.env["contact_center.telephony.provider"].create(
            {
                "name": "Test PBX",
                "code": "svydialpbx",
                "connector": "generic",
                "connector_url": "http://127.0.0.1:9/",
            }
        )
        cls.Campaign = cls.env["contact_center.campaign"]
        cls.Contact = cls.env["contact_center.campaign.contact"]
        cls.campaign = cls._campaign("Renewals")
        cls.campaign2 = cls._campaign("Win-back")
        cls.number = 100

    @classmethod
    def _campaign(cls, name):
        with freeze_time(NOW - timedelta(hours=1)):
            campaign = cls.Campaign.create(
                {
                    "name": name,
                    "team_id": cls.team.id,
                    "agent_ids": [Command.link(cls.agent.id)],
                    "provider_id": cls.provider.id,
                    "default_tz": "Europe/Brussels",
                }
            )
            campaign.action_start()
        return campaign

    @classmethod
    def _outcome_line(cls, campaign, code):
        return campaign.outcome_ids.filtered(lambda line: line.outcome == code)

    def _contact(self, campaign, partner=None):
        self.number += 1
        return self.Contact.create(
            {
                "campaign_id": campaign.id,
                "name": "Ada Customer",
                "partner_id": (partner if partner is not None else self.customer).id,
                "tz": "Europe/Brussels",
                "number_ids": [
                    Command.create({"phone_e164": f"+3225550{self.number}"})
                ],
            }
        )

    def _dialer_call(
        self, contact, outcome, at=NOW - timedelta(minutes=5), talk=120, **options
    ):
        """The dialer calls ``contact`` (a call of its own, through the PBX),
        the agent talks ``talk`` seconds and records ``outcome`` (with
        ``options``) once the call has ended, at ``at``. Returns the call."""
        with freeze_time(at - timedelta(seconds=talk + 30)):
            taken = contact.campaign_id._take_next_contact(self.agent)
            self.assertEqual(taken, contact)
            _provider, call = contact._dialer_new_call()
        call.write(
            {
                "state": "in_progress",
                "agent_id": self.agent.id,
                "answered_at": at - timedelta(seconds=talk + 20),
            }
        )
        call.write({"state": "wrap_up", "ended_at": at - timedelta(seconds=20)})
        with freeze_time(at):
            contact._record_outcome(outcome, **options)
        return call

    def _campaign_rule(self, **vals):
        values = {
            "name": "NPS after campaign calls",
            "trigger": "campaign_outcome",
            "survey_id": self.survey_nps.id,
        }
        values.update(vals)
        return self._rule(**values)

    def _run(self, now=NOW):
        """One run of the cron at ``now``: the invitations of the test's own
        rules (the database's rules, archived, may hold demo invitations)."""
        super()._run(now)
        return self.Input.search([("cc_rule_id.active", "=", True)], order="id")
