"""Erlang C and Erlang A: how many agents a queue needs.

Plain Python, no ORM: a small public API that admins and other addons may
call. Units: ``traffic`` in Erlangs (arrivals per second x average handle time
in seconds, i.e. the number of agents the work would keep busy all the time),
``aht``, ``patience`` and ``seconds`` in seconds, probabilities and targets as
fractions between 0 and 1.

Erlang C (M/M/N) assumes callers wait as long as it takes. It is computed
with the Erlang B recursion ``B(0) = 1, B(k) = A B(k-1) / (k + A B(k-1))`` and
``P_wait = N B / (N - A (1 - B))``: every intermediate value stays between 0
and 1, so teams of thousands of agents neither overflow nor lose precision.

Erlang A (M/M/N+M) adds callers who hang up after an exponentially
distributed patience of mean ``patience`` seconds. It is solved exactly on
its birth-death chain (see :func:`_erlang_a_queue`): the states up to N are
the Erlang B distribution, the queue states beyond follow
``pi(N + j) = pi(N + j - 1) * lambda / (N mu + j theta)``, kept in log space
and truncated once they fall 45 nats (about 1e-20) below the largest term.
The waiting time of a caller who finds ``j`` callers ahead is a chain of
exponential stages; the service level sums it over ``j`` by uniformisation.
"""

import math

__all__ = [
    "average_speed_of_answer",
    "erlang_a_abandon_rate",
    "erlang_a_average_speed_of_answer",
    "erlang_a_required_agents",
    "erlang_a_service_level",
    "erlang_a_wait_probability",
    "erlang_b",
    "erlang_c",
    "occupancy",
    "required_agents",
    "service_level",
]

# queue states beyond this many are never built (a patience of centuries
# with too few agents); the probabilities up to it are still exact
MAX_QUEUE_STATES = 200000
# log-space cut-off of the queue distribution and of the Poisson series
_NEGLIGIBLE_LOG = -45.0
_POISSON_TAIL = 1e-14


def _check(traffic, agents=None, aht=None, seconds=None, patience=None):
    if traffic < 0:
        raise ValueError("traffic must not be negative")
    if agents is not None and (agents < 0 or int(agents) != agents):
        raise ValueError("agents must be a whole number, 0 or more")
    if aht is not None and aht <= 0:
        raise ValueError("the average handle time must be positive")
    if seconds is not None and seconds < 0:
        raise ValueError("the answer time must not be negative")
    if patience is not None and patience <= 0:
        raise ValueError("the mean patience must be positive")


def _check_target(target):
    if not 0 < target < 1:
        raise ValueError(
            "the service-level target is a fraction between 0 and 1 "
            f"(0.8 for 80%), got {target!r}"
        )


# ----------------------------------------------------------------------
# Erlang B and C
# ----------------------------------------------------------------------
def erlang_b(traffic, agents):
    """Blocking probability of ``agents`` servers offered ``traffic`` Erlangs
    with no queue (M/M/N/N), by the recursion B(0)=1,
    B(k) = A B(k-1) / (k + A B(k-1))."""
    _check(traffic, agents)
    blocking = 1.0
    for k in range(1, int(agents) + 1):
        blocking = traffic * blocking / (k + traffic * blocking)
    return blocking


def erlang_c(traffic, agents):
    """Probability that a caller waits (Erlang C, M/M/N).

    ``P_w = N B / (N - A (1 - B))`` with B the Erlang B blocking probability.
    Returns 1.0 when ``agents <= traffic``: the queue never empties.
    """
    _check(traffic, agents)
    if traffic == 0:
        return 0.0
    if agents <= traffic:
        return 1.0
    blocking = erlang_b(traffic, agents)
    return agents * blocking / (agents - traffic * (1 - blocking))


def service_level(traffic, agents, aht, seconds):
    """Share of callers answered within ``seconds`` (Erlang C), a fraction:
    ``1 - P_w exp(-(N - A) t / AHT)``; 0.0 when ``agents <= traffic``."""
    _check(traffic, agents, aht, seconds)
    if traffic == 0:
        return 1.0
    if agents <= traffic:
        return 0.0
    wait = erlang_c(traffic, agents)
    return 1.0 - wait * math.exp(-(agents - traffic) * seconds / aht)


def average_speed_of_answer(traffic, agents, aht):
    """Average wait before answer, in seconds, over all callers (Erlang C):
    ``P_w AHT / (N - A)``; infinite when ``agents <= traffic``."""
    _check(traffic, agents, aht)
    if traffic == 0:
        return 0.0
    if agents <= traffic:
        return math.inf
    return erlang_c(traffic, agents) * aht / (agents - traffic)


def occupancy(traffic, agents):
    """Share of the agents' time spent on contacts, ``A / N``, at most 1.0."""
    _check(traffic, agents)
    if agents == 0:
        return 1.0 if traffic else 0.0
    return min(traffic / agents, 1.0)


def required_agents(traffic, aht, seconds, target):
    """Smallest number of agents N > A whose Erlang C service level within
    ``seconds`` reaches ``target``.

    ``target`` is a fraction strictly between 0 and 1 (0.8 for "80% in 20 s");
    anything outside raises ValueError. 0 agents for no traffic. One pass of
    the Erlang B recursion: linear in the answer.
    """
    _check(traffic, None, aht, seconds)
    _check_target(target)
    if traffic == 0:
        return 0
    blocking = 1.0
    agents = 0
    while True:
        agents += 1
        blocking = traffic * blocking / (agents + traffic * blocking)
        if agents <= traffic:
            continue
        wait = agents * blocking / (agents - traffic * (1 - blocking))
        level = 1.0 - wait * math.exp(-(agents - traffic) * seconds / aht)
        if level >= target:
            return agents


# ----------------------------------------------------------------------
# Erlang A
# ----------------------------------------------------------------------
def _log_add(a, b):
    if a == -math.inf:
        return b
    if b == -math.inf:
        return a
    high, low = max(a, b), min(a, b)
    return high + math.log1p(math.exp(low - high))


def _erlang_a_queue(traffic, agents, aht, patience):
    """What arriving callers find: ``(p_free, queue)`` where ``p_free`` is the
    probability that an agent is free and ``queue[j]`` the probability that
    all agents are busy with ``j`` callers already waiting.

    Birth-death chain of the number of callers in the system: births at
    ``lambda = A / AHT``; deaths at ``k mu`` up to N, then ``N mu + j theta``
    with ``mu = 1 / AHT`` and ``theta = 1 / patience``. By PASTA callers find
    the stationary distribution. States up to N: relative weights of Erlang
    B, so ``pi(N) / pi(k < N) = B / (1 - B)``; queue states:
    ``r_j = prod_{i=1..j} lambda / (N mu + i theta)``, in log space, until
    they decrease and fall 45 nats below their largest value.
    """
    lam = traffic / aht
    service = agents / aht
    theta = 1.0 / patience
    blocking = erlang_b(traffic, agents)
    if traffic == 0 or blocking == 0.0:
        return 1.0, []
    logs = [0.0]
    top = 0.0
    log_r = 0.0
    j = 0
    while j < MAX_QUEUE_STATES:
        j += 1
        rate = service + j * theta
        log_r += math.log(lam / rate)
        logs.append(log_r)
        top = max(top, log_r)
        if lam < rate and log_r < top + _NEGLIGIBLE_LOG:
            break
    queue_mass = top + math.log(math.fsum(math.exp(value - top) for value in logs))
    log_busy = math.log(blocking)
    log_free = math.log1p(-blocking) if blocking < 1.0 else -math.inf
    log_total = _log_add(log_free, log_busy + queue_mass)
    queue = [math.exp(log_busy + value - log_total) for value in logs]
    return math.exp(log_free - log_total), queue


def erlang_a_wait_probability(traffic, agents, aht, patience):
    """Probability that a caller finds every agent busy and has to wait
    (Erlang A, M/M/N+M, exponential patience of mean ``patience`` s)."""
    _check(traffic, agents, aht, patience=patience)
    if traffic == 0:
        return 0.0
    _free, queue = _erlang_a_queue(traffic, agents, aht, patience)
    return min(sum(queue), 1.0)


def _served_share(agents, aht, patience, j):
    """Probability that a caller with ``j`` callers ahead is answered:
    ``N mu / (N mu + (j + 1) theta)`` (each stage ``i`` ends by a move
    forward at rate ``N mu + i theta`` or by their own hang-up at ``theta``;
    the product telescopes)."""
    service = agents / aht
    theta = 1.0 / patience
    return service / (service + (j + 1) * theta) if service else 0.0


def erlang_a_abandon_rate(traffic, agents, aht, patience):
    """Share of callers who hang up before an answer (Erlang A)."""
    _check(traffic, agents, aht, patience=patience)
    if traffic == 0:
        return 0.0
    _free, queue = _erlang_a_queue(traffic, agents, aht, patience)
    return min(
        sum(
            share * (1.0 - _served_share(agents, aht, patience, j))
            for j, share in enumerate(queue)
        ),
        1.0,
    )


def erlang_a_average_speed_of_answer(traffic, agents, aht, patience):
    """Average wait before answer of the answered callers, in seconds
    (Erlang A; callers answered at once count with 0 s, callers who hang up
    are left out, as the ASA KPI does). A caller with ``j`` callers ahead
    who is answered waited ``sum_{i=0..j} 1 / (N mu + (i + 1) theta)`` on
    average. ``inf`` when no caller is ever answered (0 agents)."""
    _check(traffic, agents, aht, patience=patience)
    if traffic == 0:
        return 0.0
    if agents == 0:
        return math.inf
    free, queue = _erlang_a_queue(traffic, agents, aht, patience)
    service = agents / aht
    theta = 1.0 / patience
    answered = free
    waited = 0.0
    stages = 0.0
    for j, share in enumerate(queue):
        stages += 1.0 / (service + (j + 1) * theta)
        served = share * _served_share(agents, aht, patience, j)
        answered += served
        waited += served * stages
    return waited / answered if answered else math.inf


def _log_poisson(mean, n):
    return (
        -mean + n * math.log(mean) - math.lgamma(n + 1)
        if mean
        else (0.0 if n == 0 else -math.inf)
    )


def erlang_a_service_level(traffic, agents, aht, patience, seconds):
    """Share of ALL callers (answered or not) answered within ``seconds``
    (Erlang A): callers who hang up, however early, count as not answered in
    time. A fraction.

    A caller who finds ``j`` callers ahead moves through stages ``j..0``;
    in stage ``i`` they move forward at rate ``N mu + i theta`` and hang up at
    ``theta``. All queue positions are carried at once by uniformisation at
    rate ``Lambda = N mu + (J + 1) theta``: the share answered by time t is
    ``sum_n Poisson(Lambda t, n) S_n`` with S_n the share answered after n
    steps of the embedded chain.
    """
    _check(traffic, agents, aht, seconds, patience)
    if traffic == 0:
        return 1.0
    free, queue = _erlang_a_queue(traffic, agents, aht, patience)
    if not queue or agents == 0:
        return free
    service = agents / aht
    theta = 1.0 / patience
    rate = service + len(queue) * theta
    mean = rate * seconds
    # a caller more than `steps` places back cannot be answered within the
    # steps the Poisson series needs: leave those positions out
    steps = int(mean + 12 * math.sqrt(mean) + 30)
    vector = queue[: steps + 1]
    forward = [(service + i * theta) / rate for i in range(len(vector))]
    stay = [1.0 - (service + (i + 1) * theta) / rate for i in range(len(vector))]
    answered_after = 0.0  # S_n
    level = 0.0
    poisson_done = 0.0
    n = 0
    while True:
        weight = math.exp(_log_poisson(mean, n))
        level += weight * answered_after
        poisson_done += weight
        remaining = sum(vector)
        if 1.0 - poisson_done < _POISSON_TAIL and n > mean:
            break
        if remaining < 1e-16:
            # nobody left waiting: S_n no longer changes
            level += max(1.0 - poisson_done, 0.0) * answered_after
            break
        answered_after += vector[0] * forward[0]
        vector = [
            here * keep + behind * move
            for here, keep, behind, move in zip(
                vector, stay, vector[1:] + [0.0], forward[1:] + [0.0], strict=True
            )
        ]
        n += 1
    return min(free + level, 1.0)


def erlang_a_required_agents(traffic, aht, patience, seconds, target):
    """Smallest number of agents whose Erlang A service level (share of all
    callers answered within ``seconds``) reaches ``target``, a fraction
    strictly between 0 and 1. May be below the traffic: callers who hang up
    take no agent time. 0 agents for no traffic.
    """
    _check(traffic, None, aht, seconds, patience)
    _check_target(target)
    if traffic == 0:
        return 0

    def meets(agents):
        return erlang_a_service_level(traffic, agents, aht, patience, seconds) >= target

    # agents answer at most N / AHT callers a second out of A / AHT: fewer
    # than target * A agents can never answer the target share; Erlang C's
    # answer nearly always suffices (callers who hang up shorten the queue)
    low = max(0, math.ceil(target * traffic) - 1)
    high = max(low + 1, required_agents(traffic, aht, seconds, target))
    while not meets(high):
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        if meets(middle):
            high = middle
        else:
            low = middle
    return high
