"""The satisfaction report: one row per invitation sent, whose averages are
the response rate, CSAT, NPS and CES; who reads which rows."""

import ast
from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import NOW, SurveyCase

ENDED = NOW - timedelta(hours=1)
SENT = NOW - timedelta(minutes=50)
ANSWERED = NOW - timedelta(minutes=30)


class SurveyReportCase(SurveyCase):
    """Invitations written by hand, all about contacts that ended an hour
    before NOW:

    - team Care, agent 1, CSAT after inbound calls: answers 5, 4, 4, 2, 1
      and one unanswered: response 5/6 = 83.3%, CSAT 3/5 = 60%;
    - team Care, the supervisor as agent, NPS after outbound emails: answers
      10, 9, 7, 3: 2 promoters, 1 passive, 1 detractor: NPS 25, response 100%;
    - team Sales, agent 2, CES after chats (no interaction): answers 7 and 4
      and one unanswered: CES 5.5, response 2/3 = 66.7%;
    - one cancelled and one planned CSAT invitation of team Care: no row.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the report is these rows only, not the demo data's answers
        cls.earlier_inputs.unlink()
        cls.rule_csat = cls._rule(name="CSAT", survey_id=cls.survey_csat.id)
        cls.rule_nps = cls._rule(name="NPS", survey_id=cls.survey_nps.id)
        cls.rule_ces = cls._rule(name="CES", survey_id=cls.survey_ces.id)
        cls.call_in = cls._call(ended_at=ENDED)
        cls.call_out = cls._call(
            ended_at=ENDED, direction="outbound", agent_id=cls.agent_supervisor.id
        )
        cls.csat_rows = cls.Input.browse()
        for score, comment in (
            (5, "Great help"),
            (4, False),
            (4, False),
            (2, False),
            (1, "Rude and slow"),
            (None, False),
        ):
            cls.csat_rows |= cls._invitation(
                cls.rule_csat, score, comment=comment, interaction=cls.call_in
            )
        cls.nps_rows = cls.Input.browse()
        for score in (10, 9, 7, 3):
            cls.nps_rows |= cls._invitation(
                cls.rule_nps,
                score,
                agent=cls.agent_supervisor,
                channel="email",
                interaction=cls.call_out,
            )
        cls.ces_rows = cls.Input.browse()
        for score in (7, 4, None):
            cls.ces_rows |= cls._invitation(
                cls.rule_ces,
                score,
                team=cls.other_team,
                agent=cls.agent2,
                channel="chat",
            )
        cls.cancelled = cls._invitation(cls.rule_csat, None, state="cancelled")
        cls.planned = cls._invitation(cls.rule_csat, None, state="planned")
        cls.Report = cls.env["contact_center.report.survey"]
        cls.Kpi = cls.env["contact_center.kpi"]

    @classmethod
    def _invitation(
        cls,
        rule,
        score,
        team=None,
        agent=None,
        channel="phone",
        interaction=None,
        comment=False,
        state=None,
        ended_at=ENDED,
    ):
        """One invitation of ``rule``, sent, answered with ``score`` (None:
        not answered)."""
        kind = rule.survey_id.cc_score_kind
        state = state or ("sent" if score is None else "answered")
        low = {"csat": 2, "nps": 6, "ces": 3}[kind]
        return cls.Input.create(
            {
                "survey_id": rule.survey_id.id,
                "partner_id": cls.customer.id,
                "cc_rule_id": rule.id,
                "cc_team_id": (team or cls.team).id,
                "cc_agent_id": (agent or cls.agent).id,
                "cc_interaction_id": interaction.id if interaction else False,
                "cc_contact_channel": channel,
                "cc_ended_at": ended_at,
                "cc_channel": "email",
                "cc_state": state,
                "cc_send_at": SENT,
                "cc_sent_at": False if state == "planned" else SENT,
                "cc_answered_at": ANSWERED if score is not None else False,
                "cc_score_kind": kind,
                "cc_score": score if score is not None else 0,
                "cc_comment": comment,
                "cc_is_low": score is not None and score <= low,
            }
        )

    def _figures(self, groupby, report=None):
        """{group id: (sent, answered, response %, CSAT, NPS, CES)}."""
        report = report if report is not None else self.Report
        groups = report._read_group(
            [],
            [groupby],
            [
                "sent_count:sum",
                "answered_count:sum",
                "is_answered:avg",
                "csat_satisfied:avg",
                "nps_value:avg",
                "ces_score:avg",
            ],
        )
        return {group.id: tuple(values) for group, *values in groups}


@tagged("post_install", "-at_install")
class TestSurveyReport(SurveyReportCase):
    def assertFigures(self, found, expected):
        self.assertEqual(found.keys(), expected.keys())
        for key, values in expected.items():
            for got, want in zip(found[key], values, strict=True):
                if want is None:
                    # an empty average, not a 0
                    self.assertIn(got, (None, False))
                    self.assertIsNot(got, 0)
                else:
                    self.assertAlmostEqual(got, want, places=2)

    def test_figures_by_team(self):
        self.assertFigures(
            self._figures("team_id"),
            {
                # 10 sent, 9 answered; CSAT 3/5; NPS (2 - 1) / 4
                self.team.id: (10, 9, 90.0, 60.0, 25.0, None),
                # 3 sent, 2 answered; CES (7 + 4) / 2
                self.other_team.id: (3, 2, 200 / 3, None, None, 5.5),
            },
        )

    def test_figures_by_agent(self):
        self.assertFigures(
            self._figures("agent_id"),
            {
                self.agent.id: (6, 5, 500 / 6, 60.0, None, None),
                self.agent_supervisor.id: (4, 4, 100.0, None, 25.0, None),
                self.agent2.id: (3, 2, 200 / 3, None, None, 5.5),
            },
        )

    def test_cancelled_and_unsent_invitations_have_no_row(self):
        rows = self.Report.search([])
        self.assertEqual(len(rows), 13)
        self.assertNotIn(self.cancelled.id, rows.ids)
        self.assertNotIn(self.planned.id, rows.ids)

    def test_unanswered_row_has_no_score(self):
        row = self.Report.browse(self.csat_rows[-1].id)
        self.assertEqual(row.answered_count, 0)
        self.assertEqual(row.is_answered, 0.0)
        self.assertFalse(row.score)
        # no 0 in the CSAT average: the column is empty
        [(csat,)] = self.Report._read_group(
            [("id", "=", row.id)], [], ["csat_satisfied:avg"]
        )
        self.assertIs(csat, False)

    def test_row_carries_company_of_the_rule_and_direction_of_the_call(self):
        row = self.Report.browse(self.nps_rows[0].id)
        self.assertEqual(row.company_id, self.rule_nps.company_id)
        self.assertEqual(row.direction, "outbound")
        self.assertEqual(row.contact_channel, "email")
        self.assertEqual(row.rule_id, self.rule_nps)
        self.assertEqual(row.score, 10)

    def test_comments_action_lists_answered_rows_with_a_comment(self):
        action = self.env.ref(
            "contact_center_survey.contact_center_report_survey_action_comments"
        )
        rows = self.Report.search(ast.literal_eval(action.domain))
        self.assertCountEqual(rows.mapped("comment"), ["Great help", "Rude and slow"])

    def test_low_scores_filter(self):
        rows = self.Report.search([("is_low", "=", True)])
        # CSAT 2 and 1, NPS 3
        self.assertEqual(sorted(rows.mapped("score")), [1, 2, 3])


@tagged("post_install", "-at_install")
class TestSurveyReportAccess(SurveyReportCase):
    def test_supervisor_reads_only_the_rows_of_their_teams(self):
        report = self.Report.with_user(self.user_supervisor)
        self.assertEqual(set(self._figures("team_id", report)), {self.team.id})
        self.assertEqual(report.search_count([]), 10)

    def test_supervisor_cannot_read_a_row_of_another_team(self):
        row = self.Report.with_user(self.user_supervisor).browse(self.ces_rows[0].id)
        with self.assertRaises(AccessError):
            row.read(["score"])

    def test_manager_reads_every_team(self):
        report = self.Report.with_user(self.user_manager)
        self.assertEqual(
            set(self._figures("team_id", report)), {self.team.id, self.other_team.id}
        )

    def test_agent_cannot_read_the_report(self):
        with self.assertRaises(AccessError):
            self.Report.with_user(self.user_agent).search([])

    def test_rows_of_another_company_are_hidden(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        rule = self._rule(
            name="Other CSAT", survey_id=self.survey_csat.id, company_id=other.id
        )
        row = self._invitation(rule, 5)
        self.user_manager.company_ids |= other
        report = self.Report.with_user(self.user_manager).with_context(
            allowed_company_ids=[self.company.id]
        )
        self.assertNotIn(row.id, report.search([]).ids)
        self.assertIn(
            row.id,
            report.with_context(allowed_company_ids=[other.id]).search([]).ids,
        )
