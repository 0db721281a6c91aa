"""State machine of a contact-center interaction, in plain Python.

An interaction moves forward only: it waits (queued), rings an agent, is
handled (in progress), is wrapped up and ends (done).  It can also end early
as abandoned (the customer gave up), missed (nobody answered) or failed
(a technical error).  Terminal states never change again.
"""

QUEUED = "queued"
RINGING = "ringing"
IN_PROGRESS = "in_progress"
WRAP_UP = "wrap_up"
DONE = "done"
ABANDONED = "abandoned"
MISSED = "missed"
FAILED = "failed"

STATES = (QUEUED, RINGING, IN_PROGRESS, WRAP_UP, DONE, ABANDONED, MISSED, FAILED)
TERMINAL_STATES = frozenset({DONE, ABANDONED, MISSED, FAILED})
# States in which the contact is still open (counted in queues and wallboards).
OPEN_STATES = frozenset({QUEUED, RINGING, IN_PROGRESS, WRAP_UP})

TRANSITIONS = {
    # a ringing agent who does not answer sends the item back to the queue
    QUEUED: frozenset({RINGING, IN_PROGRESS, ABANDONED, MISSED, FAILED}),
    RINGING: frozenset({QUEUED, IN_PROGRESS, ABANDONED, MISSED, FAILED}),
    # an interaction without after-contact work may close directly
    IN_PROGRESS: frozenset({WRAP_UP, DONE, FAILED}),
    WRAP_UP: frozenset({DONE}),
    DONE: frozenset(),
    ABANDONED: frozenset(),
    MISSED: frozenset(),
    FAILED: frozenset(),
}


def allowed_targets(state):
    """Return the states an interaction in ``state`` may move to."""
    return TRANSITIONS.get(state, frozenset())


def is_allowed(old, new):
    """True when moving from ``old`` to ``new`` is allowed (staying is)."""
    return old == new or new in allowed_targets(old)


def seconds_between(start, end):
    """Whole seconds from ``start`` to ``end``; None when either is missing."""
    if not start or not end:
        return None
    return int((end - start).total_seconds())


def durations(queued_at, answered_at, ended_at, wrap_up_ended_at, hold_seconds=0):
    """Derive the standard contact-center durations from the timestamps.

    * wait: from queued to answered; for an interaction never answered, from
      queued to its end (time the customer waited before giving up);
    * talk: from answered to ended, minus the time on hold;
    * after-contact work: from ended to the end of wrap-up.
    Returns a dict of integers (0 when a duration does not apply).
    """
    hold = hold_seconds or 0
    wait = seconds_between(queued_at, answered_at or ended_at) or 0
    handled = seconds_between(answered_at, ended_at) or 0
    talk = max(handled - hold, 0) if answered_at else 0
    acw = seconds_between(ended_at, wrap_up_ended_at) or 0
    return {
        "wait_seconds": wait,
        "talk_seconds": talk,
        "after_call_work_seconds": acw,
        "handle_seconds": (handled if answered_at else 0) + acw,
    }
