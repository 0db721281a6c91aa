"""Calling windows: when a contact may be called, in the contact's local time.

A window set is a dict mapping a weekday (0 = Monday ... 6 = Sunday, as
``datetime.weekday()``) to a list of ``(start, end)`` pairs in minutes from
local midnight, each a half-open interval ``[start, end)``::

    {0: [(9 * 60, 21 * 60)],                  # Monday 09:00-21:00
     5: [(10 * 60, 13 * 60), (14 * 60, 18 * 60)]}  # Saturday, with a break

A missing weekday, or an empty list, means no calls that day. ``end`` may be
1440 (midnight at the end of the day); a window does not run past midnight
(split it in two on consecutive days). A window ending at 21:00 lets a call
start at 20:59:59 and not at 21:00:00.

Times going in and out are naive datetimes in UTC (the way Odoo stores
them); the contact's time zone is an IANA name (``Europe/Brussels``). Local
times come from ``zoneinfo``, so daylight-saving changes are followed: a
09:00 window opens at 14:00 UTC in New York in winter and 13:00 UTC in
summer.
"""

from datetime import datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MINUTES_PER_DAY = 24 * 60

# US federal calling hours (47 CFR 64.1200(c)(1)), every day: 08:00-21:00.
# A default only: campaigns and regions may be stricter.
US_FEDERAL_WINDOWS = {day: [(8 * 60, 21 * 60)] for day in range(7)}


@lru_cache(maxsize=512)
def get_zone(tz_name):
    """The ``ZoneInfo`` for an IANA name; ValueError when the name is empty
    or unknown (a contact with a bad time zone must not be called on a
    guess)."""
    if not tz_name or not isinstance(tz_name, str):
        raise ValueError(f"A time zone name is required, got {tz_name!r}")
    try:
        return ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise ValueError(f"Unknown time zone {tz_name!r}") from error


def validate_windows(windows):
    """Check the shape of a window set and return it normalised: weekdays
    0-6, pairs of integers with 0 <= start < end <= 1440, sorted. Raises
    ValueError saying what is wrong."""
    normalised = {}
    for day, spans in (windows or {}).items():
        if not isinstance(day, int) or not 0 <= day <= 6:
            raise ValueError(f"Weekday must be 0 (Monday) to 6 (Sunday), got {day!r}")
        clean = []
        for span in spans or ():
            start, end = span
            if not 0 <= start < end <= MINUTES_PER_DAY:
                raise ValueError(
                    f"Window {start}-{end} on weekday {day}: minutes from "
                    "midnight with 0 <= start < end <= 1440"
                )
            clean.append((int(start), int(end)))
        normalised[day] = sorted(clean)
    return normalised


def _local(moment_utc, zone):
    """Naive UTC datetime -> aware local datetime in ``zone``."""
    return moment_utc.replace(tzinfo=timezone.utc).astimezone(zone)


def _to_utc(local_naive, zone, fold=0):
    """Naive local wall time -> naive UTC datetime (``fold`` picks the
    first or second occurrence of an ambiguous time)."""
    aware = local_naive.replace(tzinfo=zone, fold=fold)
    return aware.astimezone(timezone.utc).replace(tzinfo=None)


def _in_windows(local, windows):
    """Whether a local aware datetime falls inside one of its weekday's
    windows (seconds count: 20:59:30 is before 21:00)."""
    spans = windows.get(local.weekday())
    if not spans:
        return False
    minute = (
        local.hour * 60 + local.minute + (local.second + local.microsecond / 1e6) / 60.0
    )
    return any(start <= minute < end for start, end in spans)


def local_time(moment_utc, tz_name):
    """The contact's local wall-clock time (aware) at a naive UTC moment."""
    return _local(moment_utc, get_zone(tz_name))


def is_callable(moment_utc, tz_name, windows):
    """Decide whether a contact in ``tz_name`` may be called at the naive
    UTC ``moment_utc``: true when the contact's local time falls inside one
    of the windows of the contact's local weekday. Unknown time zone:
    ValueError."""
    zone = get_zone(tz_name)
    return _in_windows(_local(moment_utc, zone), windows)


def next_window_start(moment_utc, tz_name, windows):
    """The first naive UTC moment at or after ``moment_utc`` at which the
    contact may be called: ``moment_utc`` itself when a window is open, else
    the start of the next window in the contact's local calendar (so a
    retry due on Friday night waits for Monday morning). None when the window
    set has no window at all. A window starting inside the hour skipped by a
    spring-forward change opens at the change; one starting in the repeated
    hour of a fall-back change opens at the first occurrence."""
    zone = get_zone(tz_name)
    if not any(windows.get(day) for day in range(7)):
        return None
    local = _local(moment_utc, zone)
    if _in_windows(local, windows):
        return moment_utc
    day0 = local.date()
    # eight days ahead covers every weekday, including today's later windows
    for offset in range(9):
        day = day0 + timedelta(days=offset)
        for start, _end in sorted(windows.get(day.weekday()) or ()):
            wall = datetime.combine(day, datetime.min.time()) + timedelta(minutes=start)
            first = _to_utc(wall, zone, fold=0)
            second = _to_utc(wall, zone, fold=1)
            if max(first, second) < moment_utc:
                continue
            candidate = max(min(first, second), moment_utc)
            # a wall time that does not exist (spring forward) maps to two
            # instants around the change: walk minute by minute to the first
            # instant whose local time is inside the window
            latest = max(first, second)
            while candidate <= latest and not _in_windows(
                _local(candidate, zone), windows
            ):
                candidate += timedelta(minutes=1)
            if candidate <= latest or _in_windows(_local(candidate, zone), windows):
                return _floor_to_change(candidate, zone, windows)
    return None


def _floor_to_change(candidate, zone, windows):
    """Minute steps may overshoot a change by less than a minute; back off
    second by second while still inside a window (at most 59 steps)."""
    step = timedelta(seconds=1)
    for _i in range(59):
        earlier = candidate - step
        if not _in_windows(_local(earlier, zone), windows):
            break
        candidate = earlier
    return candidate
