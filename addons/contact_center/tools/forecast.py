"""Contact volume forecast: the same half hour of the past weeks, weighted.

Plain Python, no ORM. A week has 7 x 48 half-hour slots; weekday 0 is
Monday, slot 0 is 00:00-00:30 local time, slot 47 is 23:30-24:00.

The forecast of a slot is the weighted moving average of the contacts
counted in that same slot (same weekday, same half hour) over the last N
weeks. Weights are linear, the most recent week the heaviest: week 1 (the
week just before the forecast) weighs N, week 2 weighs N - 1, ... week N
weighs 1. A week with no contact in a slot counts as 0 for it: the history
is the N weeks whatever they hold, so a quiet week lowers the forecast.
"""

from datetime import datetime

import pytz

SLOT_MINUTES = 30
SLOTS_PER_DAY = 24 * 60 // SLOT_MINUTES
DAYS = 7

__all__ = [
    "DAYS",
    "SLOTS_PER_DAY",
    "bucket",
    "slot_label",
    "weekly_counts",
    "weighted_moving_average",
    "weights",
]


def weights(weeks):
    """Weights of weeks 1 (most recent) to ``weeks``: N, N-1, ..., 1."""
    if weeks < 1:
        raise ValueError("a forecast needs at least one past week")
    return [weeks - index for index in range(weeks)]


def weighted_moving_average(counts, weeks):
    """Forecast per slot from past counts.

    ``counts``: {(week, weekday, slot): contacts} with ``week`` 1 for the
    week just before the forecast week, up to ``weeks``; entries with other
    week numbers are ignored, missing entries count as 0.
    Returns {(weekday, slot): forecast contacts} for every slot of the week
    (7 x 48 entries), floats.
    """
    weight_of = dict(zip(range(1, weeks + 1), weights(weeks), strict=True))
    total_weight = sum(weight_of.values())
    sums = {}
    for (week, weekday, slot), count in counts.items():
        weight = weight_of.get(week)
        if weight:
            key = (weekday, slot)
            sums[key] = sums.get(key, 0.0) + weight * count
    return {
        (weekday, slot): sums.get((weekday, slot), 0.0) / total_weight
        for weekday in range(DAYS)
        for slot in range(SLOTS_PER_DAY)
    }


def bucket(moment, tz):
    """(weekday, slot) of a naive UTC datetime in the time zone ``tz`` (a name
    or a pytz zone): the local wall-clock half hour, DST included."""
    zone = pytz.timezone(tz) if isinstance(tz, str) else tz
    local = pytz.utc.localize(moment).astimezone(zone)
    return local.weekday(), (local.hour * 60 + local.minute) // SLOT_MINUTES


def weekly_counts(moments, tz, week_start):
    """Count naive UTC datetimes per (week, weekday, slot), ``week`` 1 being
    the local week that ends at ``week_start`` (a local date, a Monday),
    2 the one before, and so on; moments on or after ``week_start`` are left
    out."""
    zone = pytz.timezone(tz) if isinstance(tz, str) else tz
    start = datetime.combine(week_start, datetime.min.time())
    counts = {}
    for moment in moments:
        local = pytz.utc.localize(moment).astimezone(zone).replace(tzinfo=None)
        if local >= start:
            continue
        week = ((start.date() - local.date()).days - 1) // DAYS + 1
        slot = (local.hour * 60 + local.minute) // SLOT_MINUTES
        key = (week, local.weekday(), slot)
        counts[key] = counts.get(key, 0) + 1
    return counts


def slot_label(slot):
    """'09:30' for slot 19."""
    minutes = slot * SLOT_MINUTES
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
