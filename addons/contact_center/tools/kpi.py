"""The contact center's KPIs: names, units, which way is better, and how a
figure compares with its target. Plain Python, no ORM.

Each KPI's formula is written in the README and in the help of the report
field that carries it; the SQL that computes them is in
``contact_center.report.interaction`` and ``contact_center.kpi``.
"""

from collections import namedtuple

Kpi = namedtuple("Kpi", "label unit better")

# channels whose contacts wait in a queue and take agent time: the queue KPIs
# (offered, service level, abandon, speed of answer) and the time KPIs
# (handle time, after-contact work) count them; emails, SMS and social
# messages are measured by the tickets' response times instead
LIVE_CHANNELS = ("phone", "chat")

COUNT, SECONDS, PERCENT, PER_HOUR = "count", "seconds", "percent", "per_hour"
HIGHER, LOWER = "higher", "lower"

# code -> definition; the order is the order dashboards show them in
KPIS = {
    "offered": Kpi("Contacts Offered", COUNT, HIGHER),
    "handled": Kpi("Contacts Handled", COUNT, HIGHER),
    "answered": Kpi("Answered", COUNT, HIGHER),
    "abandoned": Kpi("Abandoned", COUNT, LOWER),
    "short_abandoned": Kpi("Short Abandons", COUNT, LOWER),
    "aht": Kpi("Average Handle Time", SECONDS, LOWER),
    "acw": Kpi("Average After-contact Work", SECONDS, LOWER),
    "asa": Kpi("Average Speed of Answer", SECONDS, LOWER),
    "service_level": Kpi("Service Level", PERCENT, HIGHER),
    "abandon_rate": Kpi("Abandon Rate", PERCENT, LOWER),
    "occupancy": Kpi("Occupancy", PERCENT, HIGHER),
    "utilization": Kpi("Utilization", PERCENT, HIGHER),
    "adherence": Kpi("Schedule Adherence", PERCENT, HIGHER),
    "transfer_rate": Kpi("Transfer Rate", PERCENT, LOWER),
    "fcr": Kpi("First-contact Resolution", PERCENT, HIGHER),
    "contacts_per_hour": Kpi("Contacts per Hour", PER_HOUR, HIGHER),
    "first_response_time": Kpi("First Response Time", SECONDS, LOWER),
    "resolution_time": Kpi("Resolution Time", SECONDS, LOWER),
    "backlog": Kpi("Backlog", COUNT, LOWER),
    "backlog_age": Kpi("Backlog Age", SECONDS, LOWER),
    "reopen_rate": Kpi("Reopen Rate", PERCENT, LOWER),
    "sla_compliance": Kpi("SLA Compliance", PERCENT, HIGHER),
    "csat": Kpi("CSAT", PERCENT, HIGHER),
    "nps": Kpi("NPS", COUNT, HIGHER),
    "ces": Kpi("CES", COUNT, HIGHER),
}

# a figure within this share of its target (on the wrong side) is a warning
WARNING_MARGIN = 0.10

SUCCESS, WARNING, DANGER = "success", "warning", "danger"


def status(code, value, target):
    """How ``value`` of KPI ``code`` stands against ``target``.

    ``success`` when the target is met, ``warning`` when it is missed by at
    most 10% of the target, ``danger`` beyond; None without a figure or a
    target. NPS runs from -100 to 100, so its margin is 10 points.
    """
    if value is None or target is None or code not in KPIS:
        return None
    better = KPIS[code].better
    gap = (target - value) if better == HIGHER else (value - target)
    if gap <= 0:
        return SUCCESS
    margin = 10.0 if code == "nps" else abs(target) * WARNING_MARGIN
    return WARNING if gap <= margin else DANGER


def ratio(part, whole, scale=100.0):
    """``part / whole`` scaled (percent by default); None when ``whole`` is 0."""
    if not whole:
        return None
    return part * scale / whole


def overlap_seconds(spans, intervals):
    """Seconds ``spans`` and ``intervals`` have in common.

    Both are lists of ``(start, end)`` datetimes; ``spans`` must not overlap
    one another (an agent's presence periods do not), nor ``intervals``.
    A sweep over both sorted lists: O(n + m).
    """
    spans = sorted(spans)
    intervals = sorted(intervals)
    total = 0.0
    i = j = 0
    while i < len(spans) and j < len(intervals):
        start = max(spans[i][0], intervals[j][0])
        end = min(spans[i][1], intervals[j][1])
        if end > start:
            total += (end - start).total_seconds()
        if spans[i][1] < intervals[j][1]:
            i += 1
        else:
            j += 1
    return total
