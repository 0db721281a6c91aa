"""Satisfaction in the KPI engine: the CSAT, NPS and CES of the contacts that
ended in a period, by team, agent, channel and direction; the answers behind
a figure; the dashboards and the wallboard."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import NOW
from .test_survey_reporting import ENDED, SurveyReportCase

START = NOW - timedelta(days=1)
END = NOW + timedelta(days=1)


@tagged("post_install", "-at_install")
class TestSatisfactionKpis(SurveyReportCase):
    def _kpis(self, groupby=None, team_ids=None, agent_ids=None, **filters):
        return self.Kpi._cc_satisfaction_kpis(
            START,
            END,
            team_ids,
            agent_ids,
            filters.get("channel"),
            filters.get("direction"),
            groupby,
        )

    def assertKpis(self, found, expected):
        self.assertEqual(found.keys(), expected.keys())
        for key, (csat, nps, ces) in expected.items():
            for code, want in (("csat", csat), ("nps", nps), ("ces", ces)):
                if want is None:
                    self.assertIsNone(found[key][code], f"{key} {code}")
                else:
                    self.assertAlmostEqual(found[key][code], want, msg=f"{key} {code}")

    def test_total_without_groupby(self):
        # CSAT 5 4 4 2 1: 3/5; NPS 10 9 7 3: (2 - 1)/4; CES 7 4
        self.assertKpis(self._kpis(), {False: (60.0, 25.0, 5.5)})

    def test_by_team(self):
        self.assertKpis(
            self._kpis("team_id"),
            {
                self.team.id: (60.0, 25.0, None),
                self.other_team.id: (None, None, 5.5),
            },
        )

    def test_by_agent(self):
        self.assertKpis(
            self._kpis("agent_id"),
            {
                self.agent.id: (60.0, None, None),
                self.agent_supervisor.id: (None, 25.0, None),
                self.agent2.id: (None, None, 5.5),
            },
        )

    def test_by_contact_channel(self):
        self.assertKpis(
            self._kpis("channel"),
            {
                "phone": (60.0, None, None),
                "email": (None, 25.0, None),
                "chat": (None, None, 5.5),
            },
        )

    def test_by_direction_of_the_interaction(self):
        # the CES answers are about no interaction: no direction
        self.assertKpis(
            self._kpis("direction"),
            {
                "inbound": (60.0, None, None),
                "outbound": (None, 25.0, None),
                False: (None, None, 5.5),
            },
        )

    def test_direction_filter_keeps_the_contacts_of_that_direction(self):
        self.assertKpis(self._kpis(direction="outbound"), {False: (None, 25.0, None)})

    def test_team_agent_and_channel_filters(self):
        self.assertKpis(
            self._kpis(team_ids=[self.other_team.id]), {False: (None, None, 5.5)}
        )
        self.assertKpis(
            self._kpis(agent_ids=[self.agent.id]), {False: (60.0, None, None)}
        )
        self.assertKpis(self._kpis(channel="email"), {False: (None, 25.0, None)})

    def test_no_answers_no_figure(self):
        self.assertEqual(self._kpis(team_ids=[]), {})
        # the engine: None, never 0
        row = self.Kpi._compute(NOW + timedelta(days=5), NOW + timedelta(days=6))[0]
        self.assertEqual((row["csat"], row["nps"], row["ces"]), (None, None, None))

    def test_team_with_only_unanswered_invitations_has_no_figure(self):
        team = self.env["contact_center.team"].create({"name": "Quiet"})
        self._invitation(self.rule_csat, None, team=team)
        self.assertEqual(self._kpis(team_ids=[team.id]), {})

    def test_counts_the_contacts_that_ended_in_the_period(self):
        # answered in the period about a contact that ended before it: out;
        # a contact that ended at the very start: in
        self._invitation(self.rule_ces, 1, ended_at=START - timedelta(seconds=1))
        self._invitation(self.rule_ces, 1, ended_at=START)
        self._invitation(self.rule_ces, 1, ended_at=END)
        # CES 7, 4, 1
        self.assertKpis(self._kpis(), {False: (60.0, 25.0, 4.0)})

    def test_engine_merges_satisfaction_into_its_rows(self):
        rows = {
            row["key"]: row for row in self.Kpi._compute(START, END, groupby="team_id")
        }
        self.assertEqual(rows[self.team.id]["csat"], 60.0)
        self.assertEqual(rows[self.team.id]["nps"], 25.0)
        self.assertIsNone(rows[self.team.id]["ces"])
        self.assertEqual(rows[self.other_team.id]["ces"], 5.5)

    def test_one_query_whatever_the_number_of_answers(self):
        self.env.flush_all()
        # the user's companies are read once per environment, by every KPI
        self.assertTrue(self.env.companies)
        for groupby in (None, "team_id", "agent_id", "channel", "direction"):
            with self.assertQueryCount(1):
                self._kpis(groupby)
        for score in range(1, 6):
            for _n in range(6):
                self._invitation(self.rule_csat, score, team=self.other_team)
        self.env.flush_all()
        with self.assertQueryCount(1):
            found = self._kpis("team_id")
        # 30 answers more, 12 of them 4 or 5: (12 + 0) / 30
        self.assertAlmostEqual(found[self.other_team.id]["csat"], 40.0)


@tagged("post_install", "-at_install")
class TestSatisfactionDrillDown(SurveyReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_supervisor.tz = "UTC"

    def _drill(self, code, agent_id=None):
        day = ENDED.date().isoformat()
        return self.Kpi.with_user(self.user_supervisor).action_drill_down(
            code, day, day, [self.team.id], agent_id
        )

    def test_drill_down_opens_the_answers_of_the_figure(self):
        action = self._drill("csat")
        self.assertEqual(action["res_model"], "contact_center.report.survey")
        rows = (
            self.env[action["res_model"]]
            .with_user(self.user_supervisor)
            .search(action["domain"])
        )
        # the five CSAT answers of Care, not the unanswered invitation
        self.assertEqual(set(rows.ids), set(self.csat_rows[:5].ids))

    def test_drill_down_of_one_agent(self):
        action = self._drill("nps", agent_id=self.agent_supervisor.id)
        rows = self.Report.search(action["domain"])
        self.assertEqual(set(rows.ids), set(self.nps_rows.ids))
        action = self._drill("nps", agent_id=self.agent.id)
        self.assertFalse(self.Report.search(action["domain"]))

    def test_drill_down_leaves_out_contacts_of_other_days(self):
        self._invitation(self.rule_csat, 5, ended_at=ENDED - timedelta(days=1))
        rows = self.Report.search(self._drill("csat")["domain"])
        self.assertEqual(len(rows), 5)


@tagged("post_install", "-at_install")
class TestSatisfactionOnDashboards(SurveyReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_supervisor.tz = "UTC"
        cls.team.tz = "UTC"

    def test_supervisor_dashboard_shows_csat(self):
        day = ENDED.date().isoformat()
        with freeze_time(NOW):
            data = self.Kpi.with_user(self.user_supervisor).get_supervisor_dashboard(
                day, day, [self.team.id]
            )
        self.assertEqual(data["total"]["values"]["csat"], 60.0)
        agents = {row["id"]: row for row in data["agents_rows"]}
        self.assertEqual(agents[self.agent.id]["values"]["csat"], 60.0)
        self.assertIsNone(agents[self.agent_supervisor.id]["values"]["csat"])

    def test_supervisor_dashboard_shows_nps_and_ces_after_csat(self):
        self.env["contact_center.kpi.target"].create(
            {"team_id": self.team.id, "kpi": "nps", "value": 30}
        )
        day = ENDED.date().isoformat()
        with freeze_time(NOW):
            data = self.Kpi.with_user(self.user_manager).get_supervisor_dashboard(
                day, day, [self.team.id, self.other_team.id]
            )
        codes = [column["code"] for column in data["columns"]]
        self.assertEqual(codes[codes.index("csat") :][:3], ["csat", "nps", "ces"])
        teams = {row["id"]: row for row in data["teams_rows"]}
        care, sales = teams[self.team.id], teams[self.other_team.id]
        self.assertEqual(care["values"]["nps"], 25.0)
        # 25 against 30: short by 5, within NPS's 10 points: a warning
        self.assertEqual(care["targets"]["nps"], 30)
        self.assertEqual(care["status"]["nps"], "warning")
        self.assertIsNone(care["values"]["ces"])
        self.assertEqual(sales["values"]["ces"], 5.5)

    def test_wallboard_shows_todays_csat(self):
        with freeze_time(NOW):
            data = (
                self.env["contact_center.wallboard"]
                .with_user(self.user_supervisor)
                .get_wallboard_data([self.team.id])
            )
        kpis = {kpi["code"]: kpi for kpi in data["kpis"]}
        self.assertEqual(kpis["csat"]["value"], 60.0)
