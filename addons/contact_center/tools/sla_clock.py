"""Business-time arithmetic for SLA clocks, in plain Python.

Working time is given as sorted, non-overlapping (start, end) intervals in
UTC — the model layer gets them from ``resource.calendar`` in the team's time
zone with its public holidays, so weekends, holidays and DST are already in
them. Pauses (waiting on the customer) are intervals during which the clock
stops. Every function here is pure.
"""

from datetime import timedelta


def subtract(intervals, pauses):
    """``intervals`` minus ``pauses``, both sorted lists of (start, end)."""
    result = []
    pauses = sorted(pauses)
    for start, end in intervals:
        cursor = start
        for p_start, p_end in pauses:
            if p_end <= cursor or p_start >= end:
                continue
            if p_start > cursor:
                result.append((cursor, p_start))
            cursor = max(cursor, p_end)
            if cursor >= end:
                break
        if cursor < end:
            result.append((cursor, end))
    return result


def add_working_seconds(start, seconds, intervals, pauses=()):
    """The instant ``seconds`` of working, unpaused time after ``start``.

    Returns None when the intervals end before the target is reached (the
    caller then asks the calendar for a longer horizon).
    """
    remaining = seconds
    for i_start, i_end in subtract(intervals, pauses):
        if i_end <= start:
            continue
        begin = max(i_start, start)
        available = (i_end - begin).total_seconds()
        if remaining <= available:
            return begin + timedelta(seconds=remaining)
        remaining -= available
    if remaining == 0:
        return start
    return None


def working_seconds_between(start, end, intervals, pauses=()):
    """Working, unpaused seconds between ``start`` and ``end``."""
    if end <= start:
        return 0
    total = 0.0
    for i_start, i_end in subtract(intervals, pauses):
        lo, hi = max(i_start, start), min(i_end, end)
        if hi > lo:
            total += (hi - lo).total_seconds()
    return int(total)


def status(
    now,
    start,
    deadline,
    reached_at,
    target_seconds,
    intervals,
    pauses=(),
    paused=False,
    at_risk_share=0.8,
):
    """SLA line status: met, breached, paused, at_risk or running."""
    if reached_at:
        return "met" if deadline is None or reached_at <= deadline else "breached"
    if deadline is not None and now > deadline:
        return "breached"
    if paused:
        return "paused"
    used = working_seconds_between(start, now, intervals, pauses)
    if target_seconds and used >= at_risk_share * target_seconds:
        return "at_risk"
    return "running"
