"""Satisfaction figures of customers (360 view), agents and teams."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import NOW
from .test_survey_timeline import SurveyAnswerCase


@tagged("post_install", "-at_install", "is_query_count")
class TestCustomerSatisfaction(SurveyAnswerCase):
    def _history(self, answers, partner=None):
        """Answers (kind, score) one day apart, oldest first, the last one
        yesterday."""
        partner = partner or self.customer
        for days, (kind, score) in zip(
            range(len(answers), 0, -1), answers, strict=True
        ):
            self._answer(kind, score, NOW - timedelta(days=days), partner_id=partner.id)

    def _trend(self, partner=None):
        partner = partner or self.customer
        partner.invalidate_recordset()
        with freeze_time(NOW):
            return partner.cc_survey_trend

    def test_trend_up_when_the_last_three_beat_the_three_before(self):
        # on 0-100: before 25, 25, 25 (avg 25); last 75, 100, 75 (avg 83.3)
        self._history([("csat", 2)] * 3 + [("csat", 4), ("csat", 5), ("csat", 4)])
        self.assertEqual(self._trend(), "up")

    def test_trend_down_when_the_last_three_fall_behind(self):
        # before 100, 90, 100 (avg 96.7); last 60, 30, 50 (avg 46.7)
        self._history(
            [("nps", 10), ("nps", 9), ("nps", 10), ("nps", 6), ("nps", 3), ("nps", 5)]
        )
        self.assertEqual(self._trend(), "down")

    def test_trend_flat_compares_kinds_on_one_scale(self):
        # before CSAT 4, 4, 4 (75 each); last NPS 8, 7, 8 (avg 76.7): 1.7 apart
        self._history([("csat", 4)] * 3 + [("nps", 8), ("nps", 7), ("nps", 8)])
        self.assertEqual(self._trend(), "flat")

    def test_trend_counts_only_the_last_six_answers(self):
        # the four oldest CSAT 1 would pull "before" down to a rise; only
        # answers 4-6 (CES 7, 7, 7: 100) count against the last three
        # (CES 7, 7, 6: avg 94.4): down
        self._history(
            [("csat", 1)] * 4 + [("ces", 7)] * 3 + [("ces", 7), ("ces", 7), ("ces", 6)]
        )
        self.assertEqual(self._trend(), "down")

    def test_no_trend_without_three_earlier_answers(self):
        self.assertEqual(self._trend(), "none")
        self._history([("csat", 5)] * 3)
        self.assertEqual(self._trend(), "none")

    def test_no_trend_from_invitations_not_answered(self):
        self._history([("csat", 5)] * 3)
        for _n in range(3):
            self._invite("csat", sent_at=NOW - timedelta(days=10))
        self.assertEqual(self._trend(), "none")

    def test_counts_answers_and_low_scores_of_the_last_365_days(self):
        self._answer("csat", 1, NOW - timedelta(days=400))  # too old, low
        self._answer("csat", 2, NOW - timedelta(days=300))  # low
        self._answer("nps", 5, NOW - timedelta(days=30))  # low
        self._answer("nps", 9, NOW - timedelta(days=10))
        self._answer("ces", 6, NOW - timedelta(days=1))
        self._invite("csat", sent_at=NOW - timedelta(hours=5))  # not answered
        self.customer.invalidate_recordset()
        with freeze_time(NOW):
            self.assertEqual(self.customer.cc_survey_answer_count, 4)
            self.assertEqual(self.customer.cc_survey_low_count, 2)

    def test_figures_of_many_customers_cost_one_query(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Customer {n}"} for n in range(5)]
        )
        for partner in partners:
            self._history([("csat", 2)] * 3 + [("csat", 5)] * 3, partner=partner)
        for customers in (partners[:1], partners):
            with self.subTest(customers=len(customers)):
                customers.invalidate_recordset()
                with freeze_time(NOW), self.assertQueryCount(1):
                    trends = customers.mapped("cc_survey_trend")
                    customers.mapped("cc_survey_low_count")
                self.assertEqual(trends, ["up"] * len(customers))

    def test_button_lists_the_customer_answers(self):
        answer = self._answer("csat", 5, NOW - timedelta(days=1))
        self._invite("csat")  # not answered
        action = self.customer.action_cc_view_survey_responses()
        self.assertEqual(action["res_model"], "survey.user_input")
        self.assertEqual(self.Input.search(action["domain"]), answer)


@tagged("post_install", "-at_install", "is_query_count")
class TestAgentTeamRollups(SurveyAnswerCase):
    def _rollup(self, records, user=None):
        records = records.with_user(user) if user else records
        records.invalidate_recordset()
        with freeze_time(NOW):
            return {
                record.id: {
                    "count": record.cc_survey_response_count,
                    "csat": round(record.cc_csat, 1),
                    "csat_count": record.cc_csat_count,
                    "nps": round(record.cc_nps, 1),
                    "nps_count": record.cc_nps_count,
                    "ces": round(record.cc_ces, 2),
                    "ces_count": record.cc_ces_count,
                }
                for record in records
            }

    def test_agent_csat_is_the_share_of_satisfied_answers(self):
        for days, score in ((3, 5), (2, 4), (1, 2)):
            self._answer("csat", score, NOW - timedelta(days=days))
        figures = self._rollup(self.agent)[self.agent.id]
        # 2 satisfied (5, 4) out of 3 answers: 66.7 %
        self.assertEqual(figures["csat"], 66.7)
        self.assertEqual((figures["count"], figures["csat_count"]), (3, 3))
        self.assertEqual((figures["nps_count"], figures["ces_count"]), (0, 0))

    def test_agent_nps_and_ces(self):
        for days, score in ((4, 10), (3, 9), (2, 7), (1, 3)):
            self._answer("nps", score, NOW - timedelta(days=days))
        for days, score in ((3, 7), (2, 5), (1, 3)):
            self._answer("ces", score, NOW - timedelta(days=days, hours=1))
        figures = self._rollup(self.agent)[self.agent.id]
        # 2 promoters, 1 detractor of 4: 25; CES (7 + 5 + 3) / 3 = 5
        self.assertEqual((figures["nps"], figures["nps_count"]), (25.0, 4))
        self.assertEqual((figures["ces"], figures["ces_count"]), (5.0, 3))
        self.assertEqual(figures["count"], 7)

    def test_only_the_last_90_days_of_answers_count(self):
        self._answer("csat", 1, NOW - timedelta(days=91))
        self._answer("csat", 5, NOW - timedelta(days=89))
        self._invite("csat", sent_at=NOW - timedelta(days=2))  # not answered
        figures = self._rollup(self.agent)[self.agent.id]
        self.assertEqual((figures["count"], figures["csat"]), (1, 100.0))

    def test_agent_without_answers_has_no_figures(self):
        figures = self._rollup(self.agent2)[self.agent2.id]
        self.assertEqual(
            figures,
            {
                "count": 0,
                "csat": 0.0,
                "csat_count": 0,
                "nps": 0.0,
                "nps_count": 0,
                "ces": 0.0,
                "ces_count": 0,
            },
        )

    def test_agent_last_score_is_their_latest_answer(self):
        self._answer("csat", 2, NOW - timedelta(days=5))
        self._answer("nps", 0, NOW - timedelta(days=1))
        # a later answer to a colleague is not this agent's
        self._answer("ces", 7, NOW - timedelta(hours=1), cc_agent_id=self.agent2.id)
        agent = self.agent
        agent.invalidate_recordset()
        self.assertEqual(agent.cc_survey_last_score, 0)
        self.assertEqual(agent.cc_survey_last_score_kind, "nps")
        self.assertEqual(agent.cc_survey_last_at, NOW - timedelta(days=1))

    def test_team_figures_gather_the_answers_recorded_on_the_team(self):
        # two agents of Care; the answer of the Sales agent goes to Sales
        self._answer("csat", 5, NOW - timedelta(days=3))
        self._answer(
            "csat", 1, NOW - timedelta(days=2), cc_agent_id=self.agent_supervisor.id
        )
        self._answer("csat", 4, NOW - timedelta(days=1), cc_agent_id=self.agent2.id)
        self._answer(
            "csat",
            2,
            NOW - timedelta(hours=5),
            cc_agent_id=self.agent2.id,
            cc_team_id=self.other_team.id,
        )
        figures = self._rollup(self.team | self.other_team)
        # Care: 5, 1, 4 -> 2 of 3 satisfied; Sales: 2 -> none satisfied
        self.assertEqual(
            (figures[self.team.id]["count"], figures[self.team.id]["csat"]), (3, 66.7)
        )
        self.assertEqual(
            (figures[self.other_team.id]["count"], figures[self.other_team.id]["csat"]),
            (1, 0.0),
        )

    def test_figures_count_only_the_answers_the_reader_may_read(self):
        self._answer("csat", 5, NOW - timedelta(days=2))
        self._answer(
            "csat",
            1,
            NOW - timedelta(days=1),
            cc_agent_id=self.agent2.id,
            cc_team_id=self.other_team.id,
        )
        agents = self.agent | self.agent2
        # an agent: their own answers only
        as_agent = self._rollup(agents, self.user_agent)
        self.assertEqual(as_agent[self.agent.id]["count"], 1)
        self.assertEqual(as_agent[self.agent2.id]["count"], 0)
        # the supervisor of Care: Care's answers, not Sales'
        as_supervisor = self._rollup(agents, self.user_supervisor)
        self.assertEqual(as_supervisor[self.agent.id]["count"], 1)
        self.assertEqual(as_supervisor[self.agent2.id]["count"], 0)
        # a manager: all of them
        as_manager = self._rollup(agents, self.user_manager)
        self.assertEqual(as_manager[self.agent2.id]["count"], 1)
        self.assertEqual(as_manager[self.agent2.id]["csat"], 0.0)

    def test_button_lists_the_agent_answers(self):
        answer = self._answer("csat", 5, NOW - timedelta(days=1))
        self._answer("csat", 4, NOW - timedelta(days=1), cc_agent_id=self.agent2.id)
        self._invite("csat")  # not answered
        action = self.agent.action_cc_view_survey_responses()
        self.assertEqual(self.Input.search(action["domain"]), answer)

    def test_rollup_queries_do_not_grow_with_the_agents(self):
        Agent = self.env["contact_center.agent"]
        agents = Agent.browse()
        for n in range(6):
            user = new_test_user(
                self.env,
                f"cc_rollup_{n}",
                groups="contact_center.group_contact_center_agent",
            )
            agents |= Agent.create(
                {"user_id": user.id, "team_ids": [Command.link(self.team.id)]}
            )
        for agent in agents:
            for days, score in ((3, 5), (2, 4), (1, 2)):
                self._answer(
                    "csat", score, NOW - timedelta(days=days), cc_agent_id=agent.id
                )
        agents = agents.with_user(self.user_manager)
        fields = [
            "cc_survey_response_count",
            "cc_csat",
            "cc_nps",
            "cc_ces",
            "cc_survey_last_score",
            "cc_survey_last_score_kind",
        ]
        agents.read(fields)  # warm the caches of rules and access
        counts = []
        for group in (agents[:1], agents):
            group.invalidate_recordset()
            # the access check of read(), the figures, the last scores
            with freeze_time(NOW), self.assertQueryCount(3):
                before = self.cr.sql_log_count
                values = group.read(fields)
                counts.append(self.cr.sql_log_count - before)
            self.assertEqual([v["cc_csat"] for v in values], [66.7] * len(group))
        self.assertEqual(counts[0], counts[1])
