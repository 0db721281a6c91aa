"""Survey rules: who gets a survey invitation, when, how, and what a score means.

Plain Python, no ORM: the survey rule model gathers plain data (timestamps,
flags, answers), calls these functions and writes the result in batch.

Conventions:

- Datetimes going in and out are naive datetimes in UTC, the way Odoo
  stores them; an aware datetime is refused (ValueError) rather than guessed.
- A customer's time zone is an IANA name (``Europe/Brussels``); local times
  come from ``zoneinfo``, so daylight-saving changes are followed.
- Quiet hours are minutes from local midnight (0-1440), ``[start, end)``
  half-open: with 21:00-08:00 an invitation due at 20:59 goes, one due at
  21:00 or at 07:59 waits until 08:00. ``start > end`` crosses midnight;
  ``start == end`` (or either None) means no quiet hours; 0-1440 (the whole
  day) is refused.
- Scores: CSAT 1-5 (5 = very satisfied), NPS 0-10 (10 = extremely likely to
  recommend), CES 1-7 where **7 = very easy** ("the company made it easy to
  handle my issue": 1 strongly disagree ... 7 strongly agree). For all three
  a higher value is better, so a low score is one at or under a threshold.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from numbers import Integral, Real
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MINUTES_PER_DAY = 24 * 60
# the window of the "at most M invitations per month" rule: a rolling 30 days
MONTH_DAYS = 30

CHANNEL_EMAIL = "email"
CHANNEL_SMS = "sms"
CHANNELS = (CHANNEL_EMAIL, CHANNEL_SMS)
RULE_CHANNEL_PREFERRED = "preferred"
RULE_CHANNELS = (CHANNEL_EMAIL, CHANNEL_SMS, RULE_CHANNEL_PREFERRED)

# reason codes of is_excluded(), in the order they are checked
EXCLUDED_OPTED_OUT = "opted_out"
EXCLUDED_INTERNAL_USER = "internal_user"
EXCLUDED_NO_CHANNEL = "no_channel"
EXCLUDED_EMAIL_BLACKLISTED = "email_blacklisted"
EXCLUDED_PHONE_BLACKLISTED = "phone_blacklisted"
EXCLUDED_TOO_SHORT = "too_short"
EXCLUSION_REASONS = (
    EXCLUDED_OPTED_OUT,
    EXCLUDED_INTERNAL_USER,
    EXCLUDED_NO_CHANNEL,
    EXCLUDED_EMAIL_BLACKLISTED,
    EXCLUDED_PHONE_BLACKLISTED,
    EXCLUDED_TOO_SHORT,
)


@dataclass(frozen=True)
class ScoreKind:
    """A score scale: its code, its bounds (inclusive) and the default
    threshold at or under which a score is low."""

    code: str
    low: int
    high: int
    low_threshold: int


SCORE_KINDS = {
    "csat": ScoreKind("csat", 1, 5, 2),
    "nps": ScoreKind("nps", 0, 10, 6),
    "ces": ScoreKind("ces", 1, 7, 3),
}

# NPS bands (inclusive)
NPS_PROMOTER_MIN = 9
NPS_DETRACTOR_MAX = 6
# CSAT: share of satisfied answers
CSAT_SATISFIED_MIN = 4


# ---------------------------------------------------------------- timing


@lru_cache(maxsize=512)
def get_zone(tz_name):
    """The ``ZoneInfo`` for an IANA name; ValueError when the name is empty
    or unknown (quiet hours must not be applied on a guessed time zone)."""
    if not tz_name or not isinstance(tz_name, str):
        raise ValueError(f"A time zone name is required, got {tz_name!r}")
    try:
        return ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise ValueError(f"Unknown time zone {tz_name!r}") from error


def _check_naive(moment, name):
    if not isinstance(moment, datetime):
        raise ValueError(f"{name} must be a datetime, got {moment!r}")
    if moment.tzinfo is not None:
        raise ValueError(f"{name} must be a naive datetime in UTC, got {moment!r}")


def _check_minutes(value, name):
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise ValueError(f"{name} must be minutes from midnight, got {value!r}")
    if not 0 <= value <= MINUTES_PER_DAY:
        raise ValueError(f"{name} must be between 0 and 1440 minutes, got {value!r}")


def _local(moment_utc, zone):
    """Naive UTC -> aware local datetime."""
    return moment_utc.replace(tzinfo=timezone.utc).astimezone(zone)


def _to_utc(wall, zone, fold):
    """Naive local wall time -> naive UTC (``fold`` picks the occurrence)."""
    aware = wall.replace(tzinfo=zone, fold=fold)
    return aware.astimezone(timezone.utc).replace(tzinfo=None)


def _wall(moment_utc, zone):
    """The naive local wall-clock time of a naive UTC moment."""
    return _local(moment_utc, zone).replace(tzinfo=None)


def _minute_of_day(wall):
    return wall.hour * 60 + wall.minute + (wall.second + wall.microsecond / 1e6) / 60


def _in_quiet_hours(wall, quiet_start, quiet_end):
    minute = _minute_of_day(wall)
    if quiet_start < quiet_end:
        return quiet_start <= minute < quiet_end
    return minute >= quiet_start or minute < quiet_end


def _first_utc_at_or_after_wall(wall, zone, not_before):
    """The first naive UTC instant, not before ``not_before``, at which the
    local wall clock reads ``wall`` or later.

    An ambiguous wall time (fall back) gives the first of its occurrences
    that is not before ``not_before``; a wall time skipped by a spring
    forward gives the instant of the change (the clock jumps past it).
    """
    candidates = sorted({_to_utc(wall, zone, 0), _to_utc(wall, zone, 1)})
    valid = [
        utc for utc in candidates if _wall(utc, zone) == wall and utc >= not_before
    ]
    if valid:
        return valid[0]
    # skipped wall time: the two folds straddle the change; bisect to it
    # (to the second) on "local wall clock has reached ``wall``"
    low, high = candidates[0], candidates[-1]
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if _wall(middle, zone) >= wall:
            high = middle
        else:
            low = middle
    return max(high.replace(microsecond=0), not_before)


def send_at(ended_at, delay_minutes, tz, quiet_start=None, quiet_end=None):
    """When the invitation for an interaction ended at ``ended_at`` goes out.

    ``ended_at + delay_minutes``; if that falls in the customer's quiet hours
    (minutes from local midnight in time zone ``tz``), the invitation is held
    until the quiet hours end, in local wall-clock time on the right day and
    with the offset in force then (a Saturday-night invitation held until
    08:00 goes at 12:00 UTC in New York on the Sunday the clocks go forward,
    not 13:00). Without quiet hours ``tz`` is not consulted. Naive UTC in
    and out. ValueError for an unknown ``tz`` (when quiet hours apply), a
    negative delay or quiet hours outside 0-1440.
    """
    _check_naive(ended_at, "ended_at")
    if isinstance(delay_minutes, bool) or not isinstance(delay_minutes, Real):
        raise ValueError(f"delay_minutes must be a number, got {delay_minutes!r}")
    if delay_minutes < 0:
        raise ValueError(f"delay_minutes cannot be negative, got {delay_minutes!r}")
    due = ended_at + timedelta(minutes=delay_minutes)
    if quiet_start is None or quiet_end is None:
        return due
    _check_minutes(quiet_start, "quiet_start")
    _check_minutes(quiet_end, "quiet_end")
    if quiet_start == quiet_end:
        return due
    if quiet_start % MINUTES_PER_DAY == quiet_end % MINUTES_PER_DAY:
        raise ValueError(
            "Quiet hours cannot cover the whole day: nothing would be sent"
        )
    zone = get_zone(tz)
    wall = _wall(due, zone)
    if not _in_quiet_hours(wall, quiet_start, quiet_end):
        return due
    # quiet hours end today when we are before their end, else tomorrow
    # (after the start of quiet hours crossing midnight)
    day = wall.date()
    if _minute_of_day(wall) >= quiet_end:
        day += timedelta(days=1)
    end_wall = datetime.combine(day, datetime.min.time()) + timedelta(minutes=quiet_end)
    return _first_utc_at_or_after_wall(end_wall, zone, due)


# -------------------------------------------------------------- sampling


def is_sampled(key, percent, seed=""):
    """Whether the interaction ``key`` is in a ``percent`` sample.

    Deterministic: a SHA-256 of ``seed`` and ``key`` placed on [0, 100), so
    the same seed and key always give the same answer (whichever worker asks,
    however often), another seed draws another sample, and raising the
    percentage only adds interactions to the sample. 0 never, 100 always.
    ValueError for a percentage outside 0-100.
    """
    if isinstance(percent, bool) or not isinstance(percent, Real):
        raise ValueError(f"percent must be a number, got {percent!r}")
    if not 0 <= percent <= 100:
        raise ValueError(f"percent must be between 0 and 100, got {percent!r}")
    if percent >= 100:
        return True
    if percent <= 0:
        return False
    digest = hashlib.sha256(f"{seed}\x1f{key}".encode()).digest()
    draw = int.from_bytes(digest[:8], "big")  # uniform on [0, 2**64)
    return draw * 100 < percent * 2**64


# ------------------------------------------------------------ throttling


def throttle_ok(sent_times, now, min_days=0, max_per_month=0):
    """Whether a customer with earlier invitations at ``sent_times`` (naive
    UTC) may be invited at ``now``.

    - ``min_days``: no invitation less than ``min_days`` days before ``now``
      (one exactly ``min_days`` days ago does not block);
    - ``max_per_month``: fewer than ``max_per_month`` invitations in the 30
      days before ``now`` (one exactly 30 days ago no longer counts).

    Invitations planned after ``now`` (held by quiet hours) count as sent.
    0 means no limit. ValueError for negative limits.
    """
    _check_naive(now, "now")
    for value, name in ((min_days, "min_days"), (max_per_month, "max_per_month")):
        if isinstance(value, bool) or not isinstance(value, Real) or value < 0:
            raise ValueError(f"{name} must be a number >= 0, got {value!r}")
    ages = [now - sent for sent in sent_times or ()]
    if min_days and any(age < timedelta(days=min_days) for age in ages):
        return False
    if max_per_month:
        month = timedelta(days=MONTH_DAYS)
        if sum(1 for age in ages if age < month) >= max_per_month:
            return False
    return True


# --------------------------------------------------------------- channel


def choose_channel(rule_channel, preferred=None, has_email=False, has_mobile=False):
    """The channel an invitation goes by: "email", "sms" or None.

    A rule channel "email" or "sms" is strict: it is used when the customer
    has the address or mobile number for it, else None (the rule's author
    chose that channel, for cost or content). "preferred" takes the
    customer's preferred channel ("email" or "sms"; anything else counts as
    no preference, then email first) when the customer has it, else falls
    back to whichever the customer has. ValueError for an unknown rule
    channel.
    """
    available = {CHANNEL_EMAIL: bool(has_email), CHANNEL_SMS: bool(has_mobile)}
    if rule_channel in CHANNELS:
        return rule_channel if available[rule_channel] else None
    if rule_channel != RULE_CHANNEL_PREFERRED:
        raise ValueError(
            f"Rule channel must be one of {', '.join(RULE_CHANNELS)}, "
            f"got {rule_channel!r}"
        )
    order = [CHANNEL_EMAIL, CHANNEL_SMS]
    if preferred == CHANNEL_SMS:
        order.reverse()
    for channel in order:
        if available[channel]:
            return channel
    return None


# ------------------------------------------------------------ exclusions


def is_excluded(
    channel,
    *,
    opted_out=False,
    is_internal_user=False,
    email_blacklisted=False,
    phone_blacklisted=False,
    duration_seconds=None,
    min_seconds=0,
):
    """Why this customer must not be invited, as a reason code, or None.

    Checked in order: opted out of surveys, internal user, no channel
    (``channel`` None), the chosen channel's address blacklisted (the
    email blacklist for "email", the phone blacklist for "sms"; the other
    one does not matter), interaction shorter than ``min_seconds``. An
    unknown duration (None: a ticket has no talk time) is never too short.
    """
    if opted_out:
        return EXCLUDED_OPTED_OUT
    if is_internal_user:
        return EXCLUDED_INTERNAL_USER
    if channel is None:
        return EXCLUDED_NO_CHANNEL
    if channel not in CHANNELS:
        raise ValueError(
            f"Channel must be one of {', '.join(CHANNELS)}, got {channel!r}"
        )
    if channel == CHANNEL_EMAIL and email_blacklisted:
        return EXCLUDED_EMAIL_BLACKLISTED
    if channel == CHANNEL_SMS and phone_blacklisted:
        return EXCLUDED_PHONE_BLACKLISTED
    if min_seconds and duration_seconds is not None and duration_seconds < min_seconds:
        return EXCLUDED_TOO_SHORT
    return None


# ---------------------------------------------------------------- scores


def _kind(kind):
    try:
        return SCORE_KINDS[kind]
    except (KeyError, TypeError):
        raise ValueError(
            f"Score kind must be one of {', '.join(SCORE_KINDS)}, got {kind!r}"
        ) from None


def score_kind_value(kind, answer):
    """Validate and normalise a survey answer into an integer score of
    ``kind`` ("csat" 1-5, "nps" 0-10, "ces" 1-7).

    Accepts an integer, an integral float (4.0) or a string of one ("4",
    " 9 "); ValueError for anything else (None, "", 4.5, True, "five") and
    for a value outside the scale, saying which.
    """
    spec = _kind(kind)
    value = None
    if isinstance(answer, bool) or answer is None:
        value = None
    elif isinstance(answer, Integral):
        value = int(answer)
    elif isinstance(answer, Real):
        if float(answer).is_integer():
            value = int(answer)
    elif isinstance(answer, str):
        text = answer.strip()
        try:
            value = int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                number = None
            if number is not None and number.is_integer():
                value = int(number)
    if value is None:
        raise ValueError(
            f"A {spec.code.upper()} score must be a whole number, got {answer!r}"
        )
    if not spec.low <= value <= spec.high:
        raise ValueError(
            f"A {spec.code.upper()} score must be between {spec.low} and "
            f"{spec.high}, got {value}"
        )
    return value


def is_low(kind, value, threshold=None):
    """Whether a score is low (at or under ``threshold``, by default CSAT 2,
    NPS 6, CES 3): the score that makes a supervisor call back. ``value`` is
    validated as by score_kind_value(); so is ``threshold`` when given."""
    spec = _kind(kind)
    value = score_kind_value(kind, value)
    if threshold is None:
        threshold = spec.low_threshold
    else:
        threshold = score_kind_value(kind, threshold)
    return value <= threshold


def _values(kind, scores):
    return [score_kind_value(kind, score) for score in scores or ()]


def nps(scores):
    """Net Promoter Score of NPS answers (0-10): % promoters (9-10) minus
    % detractors (0-6), from -100 to 100; None without answers."""
    values = _values("nps", scores)
    if not values:
        return None
    promoters = sum(1 for value in values if value >= NPS_PROMOTER_MIN)
    detractors = sum(1 for value in values if value <= NPS_DETRACTOR_MAX)
    return 100.0 * (promoters - detractors) / len(values)


def csat(scores):
    """CSAT of CSAT answers (1-5): % of satisfied answers (4-5), from 0 to
    100; None without answers."""
    values = _values("csat", scores)
    if not values:
        return None
    satisfied = sum(1 for value in values if value >= CSAT_SATISFIED_MIN)
    return 100.0 * satisfied / len(values)


def ces(scores):
    """Customer Effort Score of CES answers (1-7, 7 = very easy): their
    average; None without answers."""
    values = _values("ces", scores)
    if not values:
        return None
    return sum(values) / len(values)
