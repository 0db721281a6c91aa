"""Dialer pacing: how many new calls to start now, per dialer mode.

Modes (``MODES``):

* ``preview``: the agent sees the contact and script, then calls or skips:
  at most one call per ready agent with no call in flight for them.
* ``progressive``: the same one call per ready agent, started by the dialer
  once the preview countdown has run (the countdown is the caller's).
  Every answered call has its agent waiting, so nothing is ever abandoned.
* ``power``: a fixed ``ratio`` of lines per ready agent, minus the calls
  already ringing.
* ``predictive``: the number of lines adapted from the measured answer
  rate, the average handle time and the agents about to free up, so that
  the expected share of answered calls that find no agent stays below the
  abandon ceiling by a safety margin (REFERENCE.md, "Dialer pacing", the
  model-based rule). When the campaign's measured abandon rate over its
  rolling window has reached the ceiling, or there is no measured answer
  rate or handle time yet, it dials like ``progressive``.

Whatever the mode, nothing is dialed while no agent is logged in to the
campaign (Issabel callcenter issue 49: a hard stop).

Abandoned call: answered, and no agent connected within the grace period
(2 seconds, 47 CFR 64.1200(a)(7)) of the answer.
"""

import math
from collections import deque
from functools import lru_cache

PREVIEW = "preview"
PROGRESSIVE = "progressive"
POWER = "power"
PREDICTIVE = "predictive"
MODES = (PREVIEW, PROGRESSIVE, POWER, PREDICTIVE)

ABANDON_GRACE_SECONDS = 2
DEFAULT_CEILING = 0.03
# alpha = ceiling x (1 - margin): aim at 60% of the ceiling, leaving room for
# the model's errors (answers bunching, agents freeing later than expected)
DEFAULT_SAFETY_MARGIN = 0.4
# never more lines in flight than this many per logged-in agent (VICIdial's
# default maximum dial level is 3.0; predictive at low answer rates needs a
# little more)
DEFAULT_MAX_LINES_PER_AGENT = 5.0


def is_abandoned(answered_at, connected_at, grace_seconds=ABANDON_GRACE_SECONDS):
    """Decide whether an answered call counts as abandoned: no agent
    connected (``connected_at`` None) or connected more than
    ``grace_seconds`` after the answer. Exactly at the grace limit is still
    in time. Works with datetimes or with seconds as numbers."""
    if connected_at is None:
        return True
    waited = connected_at - answered_at
    if hasattr(waited, "total_seconds"):
        waited = waited.total_seconds()
    return waited > grace_seconds


def rolling_abandon_rate(calls, now, window, grace_seconds=ABANDON_GRACE_SECONDS):
    """Abandoned share of the live-answered calls answered in the rolling
    window ``(now - window, now]``. ``calls`` are ``(answered_at,
    connected_at)`` tuples (``connected_at`` None when no agent took the
    call); unanswered calls do not count. Datetimes with a timedelta window,
    or numbers with a window in the same unit. 0.0 when nothing was answered
    in the window."""
    since = now - window
    answered = abandoned = 0
    for answered_at, connected_at in calls:
        if answered_at is None or not since < answered_at <= now:
            continue
        answered += 1
        if is_abandoned(answered_at, connected_at, grace_seconds):
            abandoned += 1
    return abandoned / answered if answered else 0.0


class AbandonMeter:
    """Running abandon rate over a rolling window, fed call by call (for the
    simulator and long-lived dialer processes: O(1) per call instead of a
    rescan). Times are numbers (seconds)."""

    def __init__(self, window_seconds):
        self.window = window_seconds
        self._calls = deque()
        self.answered = 0
        self.abandoned = 0

    def add(self, answered_at, abandoned):
        """Record one live-answered call."""
        self._calls.append((answered_at, bool(abandoned)))
        self.answered += 1
        self.abandoned += bool(abandoned)

    def rate(self, now):
        """Abandoned / answered over ``(now - window, now]``; 0.0 when
        nothing was answered."""
        since = now - self.window
        calls = self._calls
        while calls and calls[0][0] <= since:
            _at, abandoned = calls.popleft()
            self.answered -= 1
            self.abandoned -= abandoned
        return self.abandoned / self.answered if self.answered else 0.0


def free_probability(horizon_seconds, handle_seconds):
    """Chance that a busy agent frees up within ``horizon_seconds``, taking
    handle times as exponential with mean ``handle_seconds`` (memoryless: the
    time already spent does not change it)."""
    if not handle_seconds or handle_seconds <= 0 or horizon_seconds <= 0:
        return 0.0
    return 1.0 - math.exp(-horizon_seconds / handle_seconds)


def effective_mode(
    mode,
    abandon_rate=0.0,
    ceiling=DEFAULT_CEILING,
    answer_rate=None,
    handle_seconds=None,
):
    """The mode the dialer actually uses: ``predictive`` falls back to
    ``progressive`` when the measured abandon rate has reached the ceiling,
    or when it has no measured answer rate or handle time to predict from."""
    if mode not in MODES:
        raise ValueError(f"Unknown dialer mode {mode!r}")
    if mode == PREDICTIVE and (
        (abandon_rate or 0.0) >= ceiling
        or not answer_rate
        or answer_rate <= 0
        or not handle_seconds
    ):
        return PROGRESSIVE
    return mode


@lru_cache(maxsize=8192)
def _binomial_pmf(n, p):
    """P(X = k) for k = 0..n, X ~ Binomial(n, p), by the ratio recursion."""
    if p >= 1.0:
        return (0.0,) * n + (1.0,)
    if p <= 0.0:
        return (1.0,) + (0.0,) * n
    q = 1.0 - p
    pmf = [q**n]
    if pmf[0] == 0.0:  # underflow for very large n: compute in logs
        return [
            math.exp(
                math.lgamma(n + 1)
                - math.lgamma(k + 1)
                - math.lgamma(n - k + 1)
                + k * math.log(p)
                + (n - k) * math.log(q)
            )
            for k in range(n + 1)
        ]
    odds = p / q
    for k in range(n):
        pmf.append(pmf[-1] * (n - k) / (k + 1) * odds)
    return pmf


@lru_cache(maxsize=4096)
def _overflow_table(ready, busy, free_p, size):
    """g(a) = E[(a - S)+] for a = 0..size, where S = ready + F agents are
    free when the answers come, F ~ Binomial(busy, free_p)."""
    f_pmf = _binomial_pmf(busy, free_p)
    table = []
    for a in range(size + 1):
        table.append(
            sum(
                prob * (a - ready - f)
                for f, prob in enumerate(f_pmf)
                if a - ready - f > 0
            )
        )
    return tuple(table)


@lru_cache(maxsize=16384)
def predictive_lines(ready, busy, waiting, answer_rate, free_p, alpha, max_lines):
    """Total lines to have in flight (ringing calls, old and new): the
    largest N <= ``max_lines`` with E[(A - S)+] <= alpha E[A], where the
    answered calls A = ``waiting`` + Binomial(N, ``answer_rate``) and the
    agents free S = ``ready`` + Binomial(``busy``, ``free_p``). The left side
    grows faster than the right as N grows, so the search stops at the first
    N that breaks the rule."""
    table = _overflow_table(ready, busy, free_p, max_lines + waiting + 1)
    best = 0
    for lines in range(1, max_lines + 1):
        pmf = _binomial_pmf(lines, answer_rate)
        overflow = sum(prob * table[waiting + k] for k, prob in enumerate(pmf))
        if overflow > alpha * (waiting + lines * answer_rate):
            break
        best = lines
    return best


def calls_to_start(
    mode,
    *,
    logged_in,
    ready,
    calls_in_flight,
    busy=0,
    calls_waiting=0,
    ratio=2.0,
    answer_rate=None,
    handle_seconds=None,
    horizon_seconds=10.0,
    ceiling=DEFAULT_CEILING,
    abandon_rate=0.0,
    safety_margin=DEFAULT_SAFETY_MARGIN,
    max_lines_per_agent=DEFAULT_MAX_LINES_PER_AGENT,
):
    """Decide how many new calls to start now.

    ``logged_in``: agents logged in to the campaign (0 stops everything);
    ``ready``: agents idle and waiting for a call (in preview and
    progressive, including those whose call is already dialing);
    ``calls_in_flight``: calls started and not yet answered or finished;
    ``busy``: agents talking or in wrap-up; ``calls_waiting``: answered calls
    waiting (within the grace period) for an agent; ``ratio``: power mode
    lines per ready agent; ``answer_rate`` (0-1) and ``handle_seconds``
    (talk + wrap-up): measured, for predictive; ``horizon_seconds``: how
    soon new calls are answered (agents freeing within it count as free);
    ``abandon_rate``: the campaign's measured rate over its rolling window,
    compared with ``ceiling``.
    """
    if logged_in <= 0 or ready < 0:
        return 0
    mode = effective_mode(mode, abandon_rate, ceiling, answer_rate, handle_seconds)
    if mode in (PREVIEW, PROGRESSIVE):
        return max(0, ready - calls_in_flight)
    if mode == POWER:
        # floor: never more than ratio lines per ready agent
        return max(0, int(math.floor(ratio * ready + 1e-9)) - calls_in_flight)
    alpha = max(0.0, ceiling * (1.0 - safety_margin))
    max_lines = int(math.floor(max_lines_per_agent * logged_in + 1e-9))
    # measured rates move a little with every call: round them on a grid of
    # 1/200, on the cautious side (answer rate up, free chance down), so that
    # the same situation is computed once
    answer_grid = min(math.ceil(max(answer_rate, 0.005) * 200 - 1e-9), 200) / 200
    free_grid = (
        math.floor(free_probability(horizon_seconds, handle_seconds) * 200 + 1e-9) / 200
    )
    lines = predictive_lines(
        int(ready),
        int(busy),
        int(calls_waiting),
        answer_grid,
        free_grid,
        round(alpha, 6),
        max_lines,
    )
    return max(0, lines - calls_in_flight)
