"""A discrete-event simulator of one outbound campaign, to judge pacing.

Agents stay logged in for the whole run; each is idle, talking or in
wrap-up. The dialer asks ``pacing.calls_to_start`` after every event (and
on a periodic tick, so that opening windows are noticed) and dials that many
contacts, taking only contacts that are due, not on the do-not-call list and
inside their calling window at that moment (``calling_window.is_callable``,
checked again when a preview countdown ends and the call really starts). A
call rings and is answered by a person (``answer_rate``), reported busy, or
not answered after ``no_answer_seconds`` (at least 15 s, FTC rule). An
answered call is bridged to an idle agent; when none is idle the call waits
up to the 2-second grace and is abandoned if no agent frees up in time.
Unanswered and busy numbers are retried after their delay up to
``max_attempts``.

After the run an audit re-checks every started call against the contact's
window and the DNC list at its start time: ``outside_window`` and ``to_dnc``
must be 0. All randomness comes from one ``random.Random(seed)``, so a seed
gives the same figures every time.
"""

import heapq
import math
import random
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from . import calling_window, pacing

WEEKDAY_WINDOWS = {day: [(9 * 60, 21 * 60)] for day in range(5)}
WEEKDAY_WINDOWS[5] = [(10 * 60, 18 * 60)]

# (time zone, share of the contacts): on the default start (Monday 9 March
# 2026, 13:00 UTC, the day after the US DST change) New York is callable
# all run, Brussels until 20:00 UTC, Los Angeles from 16:00 UTC and Tokyo
# not at all
DEFAULT_ZONES = (
    ("America/New_York", 0.4),
    ("America/Los_Angeles", 0.2),
    ("Europe/Brussels", 0.3),
    ("Asia/Tokyo", 0.1),
)


@dataclass
class SimulationConfig:
    """One campaign run. Durations in seconds."""

    mode: str = pacing.PROGRESSIVE
    agents: int = 20
    hours: float = 8.0
    start: datetime = datetime(2026, 3, 9, 13, 0)
    contacts: int = 0  # 0: agents x hours x 60
    zones: tuple = DEFAULT_ZONES
    windows: dict = field(default_factory=lambda: dict(WEEKDAY_WINDOWS))
    dnc_share: float = 0.03  # on the DNC list before the run
    dnc_join_share: float = 0.01  # join the DNC list during the run
    answer_rate: float = 0.3
    busy_rate: float = 0.05
    answer_after: tuple = (4.0, 20.0)  # uniform ring time before an answer
    no_answer_seconds: float = 25.0
    busy_seconds: float = 3.0
    talk_mean: float = 120.0  # lognormal
    talk_sigma: float = 0.6
    wrap_range: tuple = (5.0, 25.0)  # uniform
    preview_seconds: float = 10.0  # preview: the agent reads, then calls
    countdown_seconds: float = 3.0  # progressive: countdown before the call
    power_ratio: float = 2.0
    ceiling: float = pacing.DEFAULT_CEILING
    safety_margin: float = pacing.DEFAULT_SAFETY_MARGIN
    abandon_window: float = 30 * 86400.0  # US rule: 30 days
    answer_rate_window: float = 1800.0  # measured answer rate: last 30 min
    min_results: int = 30  # results needed before predicting
    max_attempts: int = 3
    retry_no_answer: float = 3600.0
    retry_busy: float = 900.0
    tick_seconds: float = 5.0
    grace_seconds: float = pacing.ABANDON_GRACE_SECONDS


# event kinds, in the order they are handled at the same instant
_WRAP_END, _TALK_END, _ANSWER, _NO_ANSWER, _BUSY, _GRACE, _START, _TICK = range(8)


class _Run:
    def __init__(self, config, seed):
        self.c = config
        self.rng = random.Random(seed)
        self.end = config.hours * 3600.0
        self.events = []
        self.seq = 0
        self.idle = config.agents
        self.busy = 0
        self.pending = 0  # countdown running, call not started yet
        self.ringing = 0
        self.waiting = deque()  # answered calls within the grace: [call id]
        self.waiting_set = set()
        self.calls = 0
        self.meter = pacing.AbandonMeter(config.abandon_window)
        self.results = deque()  # (time, answered?) for the answer rate
        self.results_answered = 0
        self.handles = deque(maxlen=50)
        self.answer_delays = deque(maxlen=50)
        self.log = []  # (start seconds, contact) of every call started
        self.stats = dict.fromkeys(
            (
                "dials",
                "answered",
                "abandoned",
                "connected",
                "talk_seconds",
                "blocked_window",
                "blocked_dnc",
                "no_contact",
            ),
            0,
        )
        self._tz_minute = {}
        self._build_contacts()

    # contacts -----------------------------------------------------------
    def _build_contacts(self):
        c, rng = self.c, self.rng
        count = c.contacts or int(max(c.agents, 1) * c.hours * 60)
        names = [zone for zone, _share in c.zones]
        weights = [share for _zone, share in c.zones]
        self.tz = rng.choices(range(len(names)), weights=weights, k=count)
        self.tz_names = names
        self.dnc_since = [math.inf] * count
        self.attempts = [0] * count
        for i in range(count):
            draw = rng.random()
            if draw < c.dnc_share:
                self.dnc_since[i] = -1.0
            elif draw < c.dnc_share + c.dnc_join_share:
                self.dnc_since[i] = rng.uniform(0.0, self.end)
        # one queue per time zone: (due, order, contact)
        self.queues = [[] for _name in names]
        for i in range(count):
            self.queues[self.tz[i]].append((0.0, i, i))
        for queue in self.queues:
            heapq.heapify(queue)

    def _moment(self, now):
        return self.c.start + timedelta(seconds=now)

    def _tz_open(self, zone, now):
        """Whether a time zone's window is open now (windows open and close
        on whole local minutes, so one answer per UTC minute)."""
        key = (zone, int(now // 60))
        if key not in self._tz_minute:
            self._tz_minute[key] = calling_window.is_callable(
                self._moment(60 * key[1]), self.tz_names[zone], self.c.windows
            )
        return self._tz_minute[key]

    def _eligible(self, contact, now):
        """Window and DNC, at the moment of dialing."""
        if self.dnc_since[contact] <= now:
            self.stats["blocked_dnc"] += 1
            return False
        if not calling_window.is_callable(
            self._moment(now), self.tz_names[self.tz[contact]], self.c.windows
        ):
            self.stats["blocked_window"] += 1
            nxt = calling_window.next_window_start(
                self._moment(now), self.tz_names[self.tz[contact]], self.c.windows
            )
            if nxt is not None:
                due = (nxt - self.c.start).total_seconds()
                heapq.heappush(self.queues[self.tz[contact]], (due, self.seq, contact))
                self.seq += 1
            return False
        return True

    def _pick(self, now):
        """The next due contact in an open time zone (earliest due first),
        DNC numbers set aside; None when there is none."""
        while True:
            best = None
            for zone, queue in enumerate(self.queues):
                if queue and queue[0][0] <= now and self._tz_open(zone, now):
                    if best is None or queue[0] < self.queues[best][0]:
                        best = zone
            if best is None:
                return None
            _due, _order, contact = heapq.heappop(self.queues[best])
            if self._eligible(contact, now):
                return contact

    # events -------------------------------------------------------------
    def _push(self, at, kind, payload=None):
        heapq.heappush(self.events, (at, kind, self.seq, payload))
        self.seq += 1

    def _answer_rate(self, now):
        results = self.results
        while results and results[0][0] <= now - self.c.answer_rate_window:
            _at, answered = results.popleft()
            self.results_answered -= answered
        if len(results) < self.c.min_results:
            return None
        return self.results_answered / len(results)

    def _result(self, now, answered):
        self.results.append((now, answered))
        self.results_answered += answered

    def _pace(self, now):
        c = self.c
        in_flight = self.pending + self.ringing
        if (
            c.mode != pacing.PREDICTIVE
            and self.idle <= in_flight
            and c.mode != pacing.POWER
        ):
            return  # preview, progressive: every ready agent has a call coming
        if c.mode == pacing.POWER and not self.idle:
            return
        answer_rate = handle = None
        horizon = c.answer_after[0]
        abandon_rate = self.meter.rate(now)
        if c.mode == pacing.PREDICTIVE:
            answer_rate = self._answer_rate(now)
            if len(self.handles) >= 5:
                handle = sum(self.handles) / len(self.handles)
            if self.answer_delays:
                horizon = sum(self.answer_delays) / len(self.answer_delays)
        count = pacing.calls_to_start(
            c.mode,
            logged_in=c.agents,
            ready=self.idle,
            busy=self.busy,
            calls_in_flight=in_flight,
            calls_waiting=len(self.waiting),
            ratio=c.power_ratio,
            answer_rate=answer_rate,
            handle_seconds=handle,
            horizon_seconds=horizon,
            ceiling=c.ceiling,
            abandon_rate=abandon_rate,
            safety_margin=c.safety_margin,
        )
        if count <= 0:
            return
        mode = pacing.effective_mode(
            c.mode, abandon_rate, c.ceiling, answer_rate, handle
        )
        delay = {
            pacing.PREVIEW: c.preview_seconds,
            pacing.PROGRESSIVE: c.countdown_seconds,
        }.get(mode, 0.0)
        for _i in range(count):
            contact = self._pick(now)
            if contact is None:
                self.stats["no_contact"] += 1
                break
            if delay:
                self.pending += 1
                self._push(now + delay, _START, contact)
            else:
                self._dial(now, contact)

    def _dial(self, now, contact):
        c, rng = self.c, self.rng
        self.stats["dials"] += 1
        self.attempts[contact] += 1
        self.log.append((now, contact))
        self.ringing += 1
        draw = rng.random()
        if draw < c.answer_rate:
            delay = rng.uniform(*c.answer_after)
            self._push(now + delay, _ANSWER, (contact, delay))
        elif draw < c.answer_rate + c.busy_rate:
            self._push(now + c.busy_seconds, _BUSY, contact)
        else:
            self._push(now + c.no_answer_seconds, _NO_ANSWER, contact)

    def _retry(self, now, contact, delay):
        if self.attempts[contact] < self.c.max_attempts:
            heapq.heappush(
                self.queues[self.tz[contact]], (now + delay, self.seq, contact)
            )
            self.seq += 1

    def _connect(self, now):
        c, rng = self.c, self.rng
        self.idle -= 1
        self.busy += 1
        self.stats["connected"] += 1
        talk = rng.lognormvariate(
            math.log(c.talk_mean) - c.talk_sigma**2 / 2, c.talk_sigma
        )
        wrap = rng.uniform(*c.wrap_range)
        self.stats["talk_seconds"] += max(0.0, min(talk, self.end - now))
        self._push(now + talk, _TALK_END, wrap)
        self.handles.append(talk + wrap)

    def run(self):
        c = self.c
        self._push(0.0, _TICK)
        while self.events:
            now, kind, _seq, payload = heapq.heappop(self.events)
            if now >= self.end:
                break
            if kind == _TICK:
                self._push(now + c.tick_seconds, _TICK)
            elif kind == _START:
                self.pending -= 1
                if self._eligible(payload, now):
                    self._dial(now, payload)
            elif kind == _ANSWER:
                contact, delay = payload
                self.ringing -= 1
                self._result(now, True)
                self.answer_delays.append(delay)
                self.stats["answered"] += 1
                if self.idle > 0:
                    self.meter.add(now, False)
                    self._connect(now)
                else:
                    self.calls += 1
                    self.waiting.append((self.calls, now))
                    self.waiting_set.add(self.calls)
                    self._push(now + c.grace_seconds, _GRACE, self.calls)
            elif kind in (_NO_ANSWER, _BUSY):
                self.ringing -= 1
                self._result(now, False)
                self._retry(
                    now, payload, c.retry_busy if kind == _BUSY else c.retry_no_answer
                )
            elif kind == _GRACE:
                if payload in self.waiting_set:
                    self.waiting_set.discard(payload)
                    self.waiting = deque(
                        item for item in self.waiting if item[0] != payload
                    )
                    answered_at = now - c.grace_seconds
                    self.meter.add(answered_at, True)
                    self.stats["abandoned"] += 1
            elif kind == _TALK_END:
                self._push(now + payload, _WRAP_END)
            elif kind == _WRAP_END:
                self.busy -= 1
                self.idle += 1
                if self.waiting:
                    call, answered_at = self.waiting.popleft()
                    self.waiting_set.discard(call)
                    self.meter.add(
                        answered_at,
                        pacing.is_abandoned(answered_at, now, c.grace_seconds),
                    )
                    self._connect(now)
            self._pace(now)
        return self._report()

    def _audit(self):
        """Re-check every started call: outside its window, or to a number
        on the DNC list at that moment."""
        outside = to_dnc = 0
        for at, contact in self.log:
            if not calling_window.is_callable(
                self._moment(at), self.tz_names[self.tz[contact]], self.c.windows
            ):
                outside += 1
            if self.dnc_since[contact] <= at:
                to_dnc += 1
        return outside, to_dnc

    def _zones(self):
        """Per time zone: dials, first and last dial (naive UTC)."""
        zones = {
            name: {"dials": 0, "first": None, "last": None} for name in self.tz_names
        }
        for at, contact in self.log:
            zone = zones[self.tz_names[self.tz[contact]]]
            zone["dials"] += 1
            moment = self._moment(at)
            zone["first"] = (
                moment if zone["first"] is None else min(zone["first"], moment)
            )
            zone["last"] = moment if zone["last"] is None else max(zone["last"], moment)
        return zones

    def _report(self):
        stats = self.stats
        agent_hours = self.c.agents * self.c.hours or 1.0
        outside, to_dnc = self._audit()
        return {
            "mode": self.c.mode,
            "talk_share": stats["talk_seconds"] / (agent_hours * 3600.0),
            "calls_per_agent_hour": stats["connected"] / agent_hours,
            "dials_per_agent_hour": stats["dials"] / agent_hours,
            "abandon_rate": stats["abandoned"] / stats["answered"]
            if stats["answered"]
            else 0.0,
            "answered": stats["answered"],
            "abandoned": stats["abandoned"],
            "connected": stats["connected"],
            "dials": stats["dials"],
            "blocked_window": stats["blocked_window"],
            "blocked_dnc": stats["blocked_dnc"],
            "outside_window": outside,
            "to_dnc": to_dnc,
            "zones": self._zones(),
        }


def simulate(config, seed):
    """Run one campaign with ``config`` (a ``SimulationConfig``) and
    ``seed``; return its figures: ``talk_share`` (talk time / logged-in
    agent time), ``calls_per_agent_hour`` (calls bridged to an agent),
    ``dials_per_agent_hour``, ``abandon_rate`` (abandoned / live-answered,
    the 2-second rule), ``outside_window`` and ``to_dnc`` (calls started
    outside the contact's window or to a DNC number: must be 0), and the
    counts behind them, and per time zone the dials and the first and last
    dial (``zones``)."""
    if config.mode not in pacing.MODES:
        raise ValueError(f"Unknown dialer mode {config.mode!r}")
    return _Run(config, seed).run()
