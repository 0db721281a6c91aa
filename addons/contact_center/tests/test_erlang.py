import math
from decimal import Decimal, localcontext
from fractions import Fraction

from odoo.tests import BaseCase, tagged

from ..tools import erlang

# REFERENCE.md: 100 calls in 30 minutes, AHT 180 s -> A = 10 Erlangs,
# target 80% answered within 20 seconds
TRAFFIC = 10.0
AHT = 180.0
SECONDS = 20


def _truncated_chain(traffic, agents, aht, patience, states=400):
    """Independent check of Erlang A: the balance equations of the
    M/M/N+M birth-death chain solved exactly in rational numbers, truncated
    at ``states`` callers (the tail beyond is far below 1e-30 for the cases
    below). Returns (probability of waiting, abandon rate by Little's law:
    theta E[queue] / lambda)."""
    lam = Fraction(traffic) / Fraction(aht)
    mu = 1 / Fraction(aht)
    theta = 1 / Fraction(patience)
    weights = [Fraction(1)]
    for k in range(1, states + 1):
        death = k * mu if k <= agents else agents * mu + (k - agents) * theta
        weights.append(weights[-1] * lam / death)
    total = sum(weights)
    wait = sum(weights[agents:]) / total
    queue = sum((k - agents) * w for k, w in enumerate(weights) if k > agents) / total
    return float(wait), float(theta * queue / lam)


def _answered_within(traffic, agents, aht, patience, seconds, states=400):
    """Independent check of the Erlang A service level, by another route than
    the engine's uniformisation: a caller finding j callers ahead is
    answered with probability N mu / (N mu + (j + 1) theta), after a sum of
    exponential stages of the distinct rates r_i = N mu + (i + 1) theta,
    i = 0..j, whose distribution function has the closed form
    1 - sum_i prod_{k != i} r_k / (r_k - r_i) e^{-r_i t}: evaluated with
    80 significant digits, as its terms cancel. The queue distribution
    comes from the rational chain."""
    lam = Fraction(traffic) / Fraction(aht)
    mu = 1 / Fraction(aht)
    theta = 1 / Fraction(patience)
    weights = [Fraction(1)]
    for k in range(1, states + 1):
        death = k * mu if k <= agents else agents * mu + (k - agents) * theta
        weights.append(weights[-1] * lam / death)
    total = sum(weights)
    p = [w / total for w in weights]
    with localcontext() as context:
        context.prec = 80
        service = Decimal(agents) / Decimal(aht)
        th = 1 / Decimal(patience)
        t = Decimal(seconds)
        level = sum(Decimal(x.numerator) / Decimal(x.denominator) for x in p[:agents])
        for j in range(states - agents):
            share = p[agents + j]
            if share < Fraction(1, 10**18):
                break
            rates = [service + (i + 1) * th for i in range(j + 1)]
            slower = Decimal(0)
            for i, rate in enumerate(rates):
                coefficient = Decimal(1)
                for k, other in enumerate(rates):
                    if k != i:
                        coefficient *= other / (other - rate)
                slower += coefficient * (-rate * t).exp()
            served = service / (service + (j + 1) * th)
            level += (
                Decimal(share.numerator)
                / Decimal(share.denominator)
                * served
                * (1 - slower)
            )
        return float(level)


@tagged("post_install", "-at_install")
class TestErlangC(BaseCase):
    def test_reference_13_agents_miss_the_target(self):
        self.assertAlmostEqual(erlang.erlang_c(TRAFFIC, 13), 0.2853, places=4)
        self.assertAlmostEqual(
            erlang.service_level(TRAFFIC, 13, AHT, SECONDS) * 100, 79.56, places=2
        )

    def test_reference_14_agents(self):
        self.assertAlmostEqual(erlang.erlang_c(TRAFFIC, 14), 0.1741, places=4)
        self.assertAlmostEqual(
            erlang.service_level(TRAFFIC, 14, AHT, SECONDS) * 100, 88.84, places=2
        )
        self.assertAlmostEqual(
            erlang.average_speed_of_answer(TRAFFIC, 14, AHT), 7.84, places=2
        )
        self.assertAlmostEqual(erlang.occupancy(TRAFFIC, 14) * 100, 71.4, places=1)

    def test_reference_requires_14_agents(self):
        self.assertEqual(erlang.required_agents(TRAFFIC, AHT, SECONDS, 0.8), 14)

    def test_no_more_agents_than_traffic_always_waits(self):
        self.assertEqual(erlang.erlang_c(TRAFFIC, 10), 1.0)
        self.assertEqual(erlang.erlang_c(TRAFFIC, 7), 1.0)
        self.assertEqual(erlang.service_level(TRAFFIC, 10, AHT, SECONDS), 0.0)
        self.assertEqual(erlang.average_speed_of_answer(TRAFFIC, 10, AHT), math.inf)

    def test_no_traffic_needs_no_agent(self):
        self.assertEqual(erlang.required_agents(0, AHT, SECONDS, 0.8), 0)
        self.assertEqual(erlang.erlang_c(0, 3), 0.0)

    def test_large_team_does_not_overflow(self):
        # 800 Erlangs: A^N / N! alone overflows a float from N = 171 on
        agents = erlang.required_agents(800.0, AHT, SECONDS, 0.8)
        self.assertGreater(agents, 800)
        self.assertLess(agents, 830)
        wait = erlang.erlang_c(800.0, agents)
        self.assertGreater(wait, 0.0)
        self.assertLess(wait, 1.0)
        self.assertGreaterEqual(erlang.service_level(800.0, agents, AHT, SECONDS), 0.8)
        self.assertLess(erlang.service_level(800.0, agents - 1, AHT, SECONDS), 0.8)

    def test_target_is_a_fraction(self):
        for target in (80, 0, 1, -0.2):
            with self.assertRaises(ValueError):
                erlang.required_agents(TRAFFIC, AHT, SECONDS, target)
            with self.assertRaises(ValueError):
                erlang.erlang_a_required_agents(TRAFFIC, AHT, 120, SECONDS, target)

    def test_bad_input_refused(self):
        with self.assertRaises(ValueError):
            erlang.erlang_c(-1, 3)
        with self.assertRaises(ValueError):
            erlang.erlang_c(2, 2.5)
        with self.assertRaises(ValueError):
            erlang.service_level(2, 3, 0, 20)
        with self.assertRaises(ValueError):
            erlang.erlang_a_service_level(2, 3, 180, 0, 20)


@tagged("post_install", "-at_install")
class TestErlangA(BaseCase):
    def test_infinite_patience_is_erlang_c(self):
        for agents in (13, 14):
            self.assertAlmostEqual(
                erlang.erlang_a_wait_probability(TRAFFIC, agents, AHT, 1e9),
                erlang.erlang_c(TRAFFIC, agents),
                places=6,
            )
            self.assertAlmostEqual(
                erlang.erlang_a_service_level(TRAFFIC, agents, AHT, 1e9, SECONDS),
                erlang.service_level(TRAFFIC, agents, AHT, SECONDS),
                places=6,
            )
            self.assertAlmostEqual(
                erlang.erlang_a_average_speed_of_answer(TRAFFIC, agents, AHT, 1e9),
                erlang.average_speed_of_answer(TRAFFIC, agents, AHT),
                places=3,
            )
        self.assertLess(erlang.erlang_a_abandon_rate(TRAFFIC, 14, AHT, 1e9), 1e-6)
        # the reference figures through Erlang A
        self.assertAlmostEqual(
            erlang.erlang_a_service_level(TRAFFIC, 14, AHT, 1e9, SECONDS) * 100,
            88.84,
            places=2,
        )
        self.assertEqual(
            erlang.erlang_a_required_agents(TRAFFIC, AHT, 1e9, SECONDS, 0.8), 14
        )

    def test_abandoning_callers_need_fewer_agents(self):
        # callers hang up after 60 s on average: 12 agents reach 80% in 20 s
        # where Erlang C asks for 14
        required = erlang.erlang_a_required_agents(TRAFFIC, AHT, 60, SECONDS, 0.8)
        self.assertLess(required, 14)
        self.assertGreaterEqual(
            erlang.erlang_a_service_level(TRAFFIC, required, AHT, 60, SECONDS), 0.8
        )
        self.assertLess(
            erlang.erlang_a_service_level(TRAFFIC, required - 1, AHT, 60, SECONDS), 0.8
        )

    def test_wait_and_abandon_match_the_balance_equations(self):
        # independent computation (see _truncated_chain): no published table
        # of Erlang A values was found to quote, so the engine is checked
        # against the exact rational solution of the truncated chain
        for agents, patience in ((9, 120), (10, 60), (12, 300), (14, 30)):
            wait, abandon = _truncated_chain(TRAFFIC, agents, AHT, patience)
            self.assertAlmostEqual(
                erlang.erlang_a_wait_probability(TRAFFIC, agents, AHT, patience),
                wait,
                places=9,
            )
            self.assertAlmostEqual(
                erlang.erlang_a_abandon_rate(TRAFFIC, agents, AHT, patience),
                abandon,
                places=9,
            )

    def test_service_level_matches_an_independent_computation(self):
        for agents, patience in ((9, 120), (10, 60), (12, 300), (14, 30)):
            self.assertAlmostEqual(
                erlang.erlang_a_service_level(TRAFFIC, agents, AHT, patience, SECONDS),
                _answered_within(TRAFFIC, agents, AHT, patience, SECONDS),
                places=7,
            )

    def test_overloaded_queue_stays_finite(self):
        # 8 agents for 10 Erlangs: Erlang C never empties the queue, Erlang A
        # is stable, and agents answer at most 8 / 10 of the callers
        wait = erlang.erlang_a_wait_probability(TRAFFIC, 8, AHT, 120)
        abandon = erlang.erlang_a_abandon_rate(TRAFFIC, 8, AHT, 120)
        self.assertLess(wait, 1.0)
        self.assertGreater(abandon, 0.2)
        self.assertLess(abandon, 1.0)
        self.assertLess(
            erlang.erlang_a_service_level(TRAFFIC, 8, AHT, 120, SECONDS), 0.8
        )

    def test_large_team_does_not_overflow(self):
        required = erlang.erlang_a_required_agents(800.0, AHT, 120, SECONDS, 0.8)
        self.assertLess(required, erlang.required_agents(800.0, AHT, SECONDS, 0.8))
        self.assertGreater(required, 700)
        level = erlang.erlang_a_service_level(800.0, required, AHT, 120, SECONDS)
        self.assertGreaterEqual(level, 0.8)
        self.assertLess(level, 1.0)
