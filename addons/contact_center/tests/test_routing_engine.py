"""Routing decisions as a table, on the plain-Python engine."""

from datetime import datetime, timedelta

from odoo.tests import BaseCase

from odoo.addons.contact_center.tools.routing import (
    REASONS,
    AgentState,
    Decision,
    TeamState,
    VipRule,
    WorkItem,
    next_assignment,
    next_item_for,
    resolve_team,
    route,
)

T = datetime(2026, 3, 2, 10, 0)
MINUTE = timedelta(minutes=1)
BILLING, TECH = 1, 2
CARE, NIGHT, SALES = 10, 20, 30


def agent(id_, **kw):
    kw.setdefault("team_ids", frozenset({CARE}))
    return AgentState(id=id_, **kw)


class TestAgentChoice(BaseCase):
    def test_decisions(self):
        rows = [
            # (case, item, agents, expected agent, expected reason)
            (
                "only present agents under capacity",
                WorkItem(team_id=CARE),
                [
                    agent(1, presence="break"),
                    agent(2, load=1, capacity=1),
                    agent(3, presence="offline"),
                    agent(4),
                ],
                4,
                "least_loaded",
            ),
            (
                "nobody free: the item waits",
                WorkItem(team_id=CARE),
                [agent(1, presence="busy"), agent(2, load=3, capacity=3)],
                None,
                "no_free_agent",
            ),
            (
                "other teams' agents are not candidates",
                WorkItem(team_id=SALES),
                [agent(1)],
                None,
                "no_free_agent",
            ),
            (
                "required skill at the required level",
                WorkItem(team_id=CARE, required_skills={TECH: 4}),
                [agent(1, skills={TECH: 3}), agent(2, skills={TECH: 5, BILLING: 1})],
                2,
                "least_loaded",
            ),
            (
                "no agent has the skill",
                WorkItem(team_id=CARE, required_skills={BILLING: 2}),
                [agent(1, skills={TECH: 5})],
                None,
                "no_skilled_agent",
            ),
            (
                "language speakers first",
                WorkItem(team_id=CARE, language="fr_FR"),
                [
                    agent(1, languages=frozenset({"en_US"})),
                    agent(2, languages=frozenset({"fr_BE"}), load=2, capacity=5),
                ],
                2,
                "least_loaded",
            ),
            (
                "nobody speaks it: any skilled agent rather than no answer",
                WorkItem(team_id=CARE, language="ja_JP"),
                [agent(1, languages=frozenset({"en_US"}))],
                1,
                "least_loaded",
            ),
            (
                "VIP to senior agents",
                WorkItem(team_id=CARE, is_vip=True),
                [agent(1, tier="junior"), agent(2, tier="expert", load=1, capacity=3)],
                2,
                "vip_senior",
            ),
            (
                "VIP with no senior free, no wait set: served at once, and said",
                WorkItem(team_id=CARE, is_vip=True),
                [agent(1, tier="regular")],
                1,
                "vip_waited",
            ),
            (
                "previous agent wins over load",
                WorkItem(team_id=CARE, previous_agent_id=2),
                [agent(1), agent(2, load=2, capacity=5)],
                2,
                "affinity",
            ),
            (
                "previous agent busy: least loaded",
                WorkItem(team_id=CARE, previous_agent_id=2),
                [
                    agent(1, load=1, capacity=5),
                    agent(2, presence="busy"),
                    agent(3, load=0),
                ],
                3,
                "least_loaded",
            ),
            (
                "equal load: the one idle the longest",
                WorkItem(team_id=CARE),
                [
                    agent(1, last_assigned_at=datetime(2026, 3, 2, 9, 50)),
                    agent(2, last_assigned_at=datetime(2026, 3, 2, 9, 10)),
                ],
                2,
                "least_loaded",
            ),
            (
                "language before seniority",
                WorkItem(team_id=CARE, language="de_DE", is_vip=True),
                [
                    agent(1, tier="expert", languages=frozenset({"en_US"})),
                    agent(2, tier="junior", languages=frozenset({"de_DE"})),
                ],
                2,
                "vip_waited",
            ),
        ]
        for case, item, agents, expected_agent, expected_reason in rows:
            with self.subTest(case):
                decision = route(item, agents)
                self.assertEqual(
                    (decision.agent_id, decision.reason),
                    (expected_agent, expected_reason),
                )
                self.assertIn(decision.reason, REASONS)
                self.assertFalse(decision.overflow)


class TestTeamChoice(BaseCase):
    def test_overflow_outside_business_hours(self):
        teams = {
            CARE: TeamState(CARE, is_open=False, overflow_team_id=NIGHT),
            NIGHT: TeamState(NIGHT),
        }
        agents = [agent(1, team_ids=frozenset({NIGHT}))]
        decision = route(WorkItem(team_id=CARE), agents, teams)
        self.assertEqual(decision, Decision(NIGHT, 1, "least_loaded", overflow=True))

    def test_overflow_when_queue_is_full(self):
        teams = {
            CARE: TeamState(
                CARE, queue_size=5, max_queue_size=5, overflow_team_id=NIGHT
            ),
            NIGHT: TeamState(NIGHT),
        }
        self.assertEqual(resolve_team(CARE, teams), (NIGHT, "overflow"))
        teams[CARE] = TeamState(
            CARE, queue_size=4, max_queue_size=5, overflow_team_id=NIGHT
        )
        self.assertEqual(resolve_team(CARE, teams), (CARE, ""))

    def test_overflow_chain_with_a_cycle_ends(self):
        teams = {
            CARE: TeamState(CARE, is_open=False, overflow_team_id=NIGHT),
            NIGHT: TeamState(NIGHT, is_open=False, overflow_team_id=CARE),
        }
        self.assertEqual(resolve_team(CARE, teams), (None, "closed"))
        self.assertEqual(
            route(WorkItem(team_id=CARE), [agent(1)], teams).reason, "closed"
        )


class TestQueue(BaseCase):
    def test_agent_becoming_free_takes_earliest_deadline_they_qualify_for(self):
        waiting = [
            WorkItem(id=1, team_id=CARE, deadline=datetime(2026, 3, 2, 12, 0)),
            WorkItem(
                id=2,
                team_id=CARE,
                deadline=datetime(2026, 3, 2, 11, 0),
                required_skills={TECH: 5},
            ),
            WorkItem(id=3, team_id=CARE, deadline=datetime(2026, 3, 2, 11, 30)),
            WorkItem(id=4, team_id=CARE),
            WorkItem(id=5, team_id=SALES, deadline=datetime(2026, 3, 2, 10, 30)),
        ]
        free_agent = agent(7, skills={TECH: 3})
        self.assertEqual(next_item_for(free_agent, waiting).id, 3)
        expert = agent(8, skills={TECH: 5})
        self.assertEqual(next_item_for(expert, waiting).id, 2)
        busy = agent(9, presence="busy")
        self.assertIsNone(next_item_for(busy, waiting))

    def test_vip_first_on_equal_deadlines(self):
        deadline = datetime(2026, 3, 2, 12, 0)
        waiting = [
            WorkItem(id=1, team_id=CARE, deadline=deadline, created_at=T),
            WorkItem(id=2, team_id=CARE, deadline=deadline, is_vip=True, created_at=T),
        ]
        self.assertEqual(next_item_for(agent(1), waiting).id, 2)


class TestVipRule(BaseCase):
    """VIP customers: senior agents first, anyone after the team's wait."""

    TEN_MINUTES = VipRule(wait_minutes=10)
    SENIOR_ONLY = VipRule(senior_only=True)

    def _vip(self, rule, waited_minutes, **kw):
        return WorkItem(
            id=1,
            team_id=CARE,
            is_vip=True,
            created_at=T - waited_minutes * MINUTE,
            vip_rule=rule,
            **kw,
        )

    def test_senior_agent_first(self):
        agents = [agent(1, tier="regular"), agent(2, tier="senior", load=1, capacity=2)]
        for rule in (VipRule(), self.TEN_MINUTES, self.SENIOR_ONLY):
            with self.subTest(rule=rule):
                decision = route(self._vip(rule, 0), agents, now=T)
                self.assertEqual(
                    (decision.agent_id, decision.reason), (2, "vip_senior")
                )

    def test_waits_for_a_senior_agent_until_the_team_wait_is_over(self):
        regular = [agent(1, tier="regular")]
        rows = [
            # (minutes waited, expected agent, expected reason)
            (0, None, "vip_waiting"),
            (2, None, "vip_waiting"),
            (9.9, None, "vip_waiting"),
            (10, 1, "vip_waited"),
            (11, 1, "vip_waited"),
        ]
        for waited, expected_agent, expected_reason in rows:
            with self.subTest(waited=waited):
                decision = route(self._vip(self.TEN_MINUTES, waited), regular, now=T)
                self.assertEqual(
                    (decision.agent_id, decision.reason),
                    (expected_agent, expected_reason),
                )
                self.assertIn(decision.reason, REASONS)

    def test_no_wait_set_goes_to_anyone_at_once(self):
        decision = route(self._vip(VipRule(wait_minutes=0), 0), [agent(1)], now=T)
        self.assertEqual((decision.agent_id, decision.reason), (1, "vip_waited"))

    def test_senior_only_holds_the_item_however_long(self):
        for waited in (0, 11, 600):
            with self.subTest(waited=waited):
                decision = route(self._vip(self.SENIOR_ONLY, waited), [agent(1)], now=T)
                self.assertEqual(
                    (decision.agent_id, decision.reason), (None, "vip_held")
                )

    def test_the_rule_of_the_team_that_takes_the_item_applies(self):
        teams = {
            CARE: TeamState(CARE, is_open=False, overflow_team_id=NIGHT),
            NIGHT: TeamState(NIGHT, vip_rule=self.SENIOR_ONLY),
        }
        night_agent = agent(1, team_ids=frozenset({NIGHT}))
        item = self._vip(VipRule(), 30)
        self.assertEqual(
            route(item, [night_agent], teams, now=T),
            Decision(NIGHT, None, "vip_held", overflow=True),
        )

    def test_regular_agent_becoming_free_passes_over_a_waiting_vip_item(self):
        vip = self._vip(self.TEN_MINUTES, 2, deadline=T)
        other = WorkItem(id=2, team_id=CARE, deadline=T + 60 * MINUTE, created_at=T)
        regular = agent(7, tier="regular")
        assignment = next_assignment(regular, [vip, other], now=T)
        self.assertEqual(assignment.item, other)
        self.assertEqual(assignment.reason, "least_loaded")
        self.assertEqual(assignment.held, ((vip, "vip_waiting"),))
        # eleven minutes on, the regular agent takes it
        later = next_assignment(regular, [vip, other], now=T + 9 * MINUTE)
        self.assertEqual((later.item, later.reason), (vip, "vip_waited"))
        # a senior agent takes it at once
        senior = next_assignment(agent(8, tier="senior"), [vip, other], now=T)
        self.assertEqual(
            (senior.item, senior.reason, senior.held), (vip, "vip_senior", ())
        )
