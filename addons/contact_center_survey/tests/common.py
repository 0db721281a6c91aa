from datetime import datetime, timedelta

from odoo.addons.contact_center.tests.common import ContactCenterCase

# a Monday, 10:00 UTC: 11:00 in Brussels, 05:00 in New York
NOW = datetime(2026, 3, 2, 10, 0, 0)


class SurveyCase(ContactCenterCase):
    """The contact-center users and teams, a customer who can be reached by
    email and SMS, and a CSAT rule on solved tickets with no quiet hours."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write(
            {"mobile": "+32 470 12 34 56", "tz": "Europe/Brussels", "lang": "en_US"}
        )
        cls.survey_csat = cls.env.ref("contact_center_survey.survey_csat")
        cls.survey_nps = cls.env.ref("contact_center_survey.survey_nps")
        cls.survey_ces = cls.env.ref("contact_center_survey.survey_ces")
        cls.Rule = cls.env["contact_center.survey.rule"]
        cls.Input = cls.env["survey.user_input"]
        cls.stage_solved = cls.env["contact_center.ticket.stage"].search(
            [("is_solved", "=", True)], limit=1
        )
        cls.stage_open = cls.env["contact_center.ticket.stage"].search(
            [("is_solved", "=", False), ("is_closed", "=", False)], limit=1
        )
        # the rules the database ships with would take these contacts too
        cls.Rule.search([]).active = False
        # nor may the invitations of demo data count as this test's
        cls.earlier_inputs = cls.Input.search([("cc_rule_id", "!=", False)])

    @classmethod
    def _rule(cls, **vals):
        values = {
            "name": "CSAT after tickets",
            "trigger": "ticket_solved",
            "survey_id": cls.survey_csat.id,
            "send_channel": "email",
            "quiet_start": 0.0,
            "quiet_end": 0.0,
            "min_days_between": 0,
            "max_per_month": 0,
            "sample_seed": "test",
            "default_tz": "UTC",
        }
        values.update(vals)
        return cls.Rule.create(values)

    @classmethod
    def _call(cls, ended_at=NOW - timedelta(minutes=5), talk=120, **vals):
        """A phone call answered, ended ``talk`` seconds later and wrapped up."""
        values = {
            "state": "done",
            "queued_at": ended_at - timedelta(seconds=talk + 20),
            "answered_at": ended_at - timedelta(seconds=talk),
            "ended_at": ended_at,
            "wrap_up_ended_at": ended_at,
        }
        values.update(vals)
        return cls._interaction(**values)

    @classmethod
    def _ticket(cls, **vals):
        values = {
            "name": "Broken invoice",
            "partner_id": cls.customer.id,
            "team_id": cls.team.id,
            "agent_id": cls.agent.id,
        }
        values.update(vals)
        return cls.env["contact_center.ticket"].create(values)

    def _solve(self, ticket, at=NOW - timedelta(minutes=5)):
        """Solve ``ticket`` as a person (the agent), at ``at``."""
        from freezegun import freeze_time

        with freeze_time(at):
            ticket.with_user(self.user_agent).sudo(False).write(
                {"stage_id": self.stage_solved.id}
            )
        return ticket

    def _run(self, now=NOW):
        """One run of the cron at ``now``, in the test's transaction."""
        from freezegun import freeze_time

        with freeze_time(now):
            self.Rule._cron_send_invitations(commit=False)
        return self.Input.search(
            [("cc_rule_id", "!=", False), ("id", "not in", self.earlier_inputs.ids)],
            order="id",
        )
