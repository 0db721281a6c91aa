"""A simulated PBX, in plain Python: the fate of a call and the events it reports.

For demos and tours only. A profile says how often the called person
answers, an answering machine picks up, the line is busy or the call fails
(the rest rings out), and how long ringing and talking last. ``plan_call``
draws one call's fate with a ``random.Random``; the ``*_events`` functions
turn a command (dial, bridge, play a message, hang up, click-to-dial) into
the events a PBX would report, each as ``(delay in seconds, event dict)``
in the telephony API's format. The simulated connector
(``telephony_connectors.SimulatedConnector``) sends them, signed, to Odoo's
events API when their delay is up. Nothing here touches the ORM or the
network.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

OUTCOMES = ("human", "machine", "busy", "failed", "no_answer")
BUSY_SECONDS = 1  # a busy line is reported after one second
MACHINE_SECONDS = 5  # an answering machine's greeting, then it hangs up
MESSAGE_SECONDS = 2  # a played message, then the PBX hangs up
DEFAULT_RING_LIMIT = 30  # how long a call rings when the caller sets no limit


@dataclass(frozen=True)
class SimProfile:
    """How the simulated called people behave; percents of dialled calls."""

    human_percent: int = 60
    machine_percent: int = 15
    busy_percent: int = 10
    failed_percent: int = 0
    ring_min_seconds: int = 3
    ring_max_seconds: int = 12
    talk_min_seconds: int = 20
    talk_max_seconds: int = 120

    def problems(self):
        """What is wrong with this profile, as codes (empty when it is valid):
        ``percent_range``, ``percent_sum``, ``negative``, ``ring``, ``talk``."""
        problems = []
        percents = (
            self.human_percent,
            self.machine_percent,
            self.busy_percent,
            self.failed_percent,
        )
        if any(p < 0 or p > 100 for p in percents):
            problems.append("percent_range")
        elif sum(percents) > 100:
            problems.append("percent_sum")
        if self.ring_min_seconds < 0 or self.talk_min_seconds < 0:
            problems.append("negative")
        if self.ring_min_seconds > self.ring_max_seconds:
            problems.append("ring")
        if self.talk_min_seconds > self.talk_max_seconds:
            problems.append("talk")
        return problems


@dataclass(frozen=True)
class CallPlan:
    """One dialled call's fate: who answers after how long, how long they talk."""

    outcome: str
    ring_seconds: int
    talk_seconds: int


def plan_call(rng, profile, ring_limit=None):
    """Draw the fate of one dialled call.

    ``ring_limit``: seconds the caller lets the call ring (the campaign's
    ring time). The outcome follows the profile's percentages; an answered
    call is answered within the limit, an unanswered one rings the whole
    limit. Busy and failed calls do not ring long (see ``dial_events``).
    """
    limit = DEFAULT_RING_LIMIT if ring_limit is None else max(int(ring_limit), 0)
    draw = rng.uniform(0, 100)
    outcome = "no_answer"
    threshold = 0
    for name, percent in (
        ("human", profile.human_percent),
        ("machine", profile.machine_percent),
        ("busy", profile.busy_percent),
        ("failed", profile.failed_percent),
    ):
        threshold += percent
        if draw < threshold:
            outcome = name
            break
    longest = min(profile.ring_max_seconds, limit)
    shortest = min(profile.ring_min_seconds, longest)
    ring = rng.randint(shortest, longest)
    talk = rng.randint(profile.talk_min_seconds, profile.talk_max_seconds)
    if outcome == "busy":
        ring = BUSY_SECONDS
    elif outcome == "failed":
        ring = 0
    elif outcome == "no_answer":
        ring = limit
    return CallPlan(outcome=outcome, ring_seconds=ring, talk_seconds=talk)


def iso(moment):
    """A time as the API reads it: ISO 8601 in UTC, whole seconds."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _event(start, delay, call_id, kind, step, **fields):
    """One event ``delay`` seconds after ``start``.

    ``step`` names the command that produced it: the id is then unique per
    call and event, and the same whichever process produces it (a resent
    event is a duplicate, never a second event).
    """
    event = {
        "id": f"{call_id}:{kind}:{step}",
        "call_id": call_id,
        "type": kind,
        "at": iso(start + timedelta(seconds=delay)),
        "direction": "outbound",
    }
    event.update({key: value for key, value in fields.items() if value})
    return delay, event


def dial_events(call_id, number, plan, start, caller_id=None):
    """What the PBX reports after dialling a customer (no agent yet).

    Ringing at once; then answered by a person or a machine after the ring
    time, else ended busy (after a second), failed (at once) or no answer
    (after the ring limit, see ``plan_call``). A person nobody is bridged to
    hangs up after the talk time, a machine after its greeting: a bridge, a
    message or a hang-up in the meantime replaces this last event.
    """
    party = {"called": number, "caller": caller_id}
    ring = plan.ring_seconds
    events = [_event(start, 0, call_id, "ringing", "dial", **party)]
    if plan.outcome in ("human", "machine"):
        rest = plan.talk_seconds if plan.outcome == "human" else MACHINE_SECONDS
        events += [
            _event(
                start,
                ring,
                call_id,
                "answered",
                "dial",
                answered_by=plan.outcome,
                **party,
            ),
            _event(
                start,
                ring + rest,
                call_id,
                "ended",
                "unbridged",
                cause="hangup",
                **party,
            ),
        ]
    else:  # busy, failed, no_answer: the outcome is the end cause
        events.append(
            _event(start, ring, call_id, "ended", "dial", cause=plan.outcome, **party)
        )
    return events


def bridge_events(call_id, extension, talk_seconds, start, number=None):
    """The call is connected to the agent now; the person hangs up after
    ``talk_seconds``."""
    return [
        _event(start, 0, call_id, "answered", "bridge", agent=extension, called=number),
        _event(
            start,
            talk_seconds,
            call_id,
            "ended",
            "bridge",
            cause="hangup",
            called=number,
        ),
    ]


def play_message_events(call_id, start, number=None):
    """A message is played to the called person, then the PBX hangs up."""
    return [
        _event(
            start,
            MESSAGE_SECONDS,
            call_id,
            "ended",
            "message",
            cause="hangup",
            called=number,
        ),
    ]


def hangup_events(call_id, start, number=None):
    """The call ends now."""
    return [_event(start, 0, call_id, "ended", "hangup", cause="hangup", called=number)]


def originate_events(call_id, extension, number, plan, start, caller_id=None):
    """Click-to-dial: the agent's phone rings, the agent answers (and the
    customer is called), the call ends after the talk time."""
    party = {"called": number, "caller": caller_id, "agent": extension}
    ring = plan.ring_seconds
    return [
        _event(start, 0, call_id, "ringing", "originate", **party),
        _event(start, ring, call_id, "answered", "originate", **party),
        _event(
            start,
            ring + plan.talk_seconds,
            call_id,
            "ended",
            "originate",
            cause="hangup",
            **party,
        ),
    ]


def now_utc():
    """The current time, naive UTC (what ``start`` usually is)."""
    return datetime.now(UTC).replace(tzinfo=None)
