"""The routing engine, in plain Python: which team, then which agent.

One engine routes every kind of work item (ticket, call, chat, callback).
Models gather agents' and teams' state in a few queries, build the plain
values below, call :func:`route` and write the decision; nothing here reads
the database, so every decision can be tested as a table.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

# Seniority tiers from least to most senior; VIP contacts go to the upper half.
TIERS = ("junior", "regular", "senior", "expert")
SENIOR_TIERS = frozenset({"senior", "expert"})


@dataclass(frozen=True)
class VipRule:
    """How a team serves VIP customers when no senior agent is free.

    Senior (and expert) agents always come first. With ``senior_only`` the
    item waits for one however long it takes; otherwise it waits up to
    ``wait_minutes`` (counted from the item's ``created_at``), then goes to
    the first free agent. ``wait_minutes`` 0: to anyone at once.
    """

    senior_only: bool = False
    wait_minutes: int = 0


@dataclass(frozen=True)
class TeamState:
    id: int
    is_open: bool = True  # inside business hours and not on a holiday
    queue_size: int = 0  # items waiting now
    max_queue_size: int = 0  # 0: unlimited
    overflow_team_id: int | None = None
    vip_rule: VipRule | None = None  # None: keep the item's own rule


@dataclass(frozen=True)
class AgentState:
    id: int
    presence: str = "available"
    team_ids: frozenset = frozenset()
    capacity: int = 1  # concurrent items on the item's channel
    load: int = 0  # items of that channel the agent holds now
    skills: dict = field(default_factory=dict)  # skill id -> level 1-5
    languages: frozenset = frozenset()  # language codes, e.g. "fr_FR"
    tier: str = "regular"
    last_assigned_at: datetime | None = None


@dataclass(frozen=True)
class WorkItem:
    team_id: int | None = None
    required_skills: dict = field(default_factory=dict)  # skill id -> min level
    language: str | None = None
    is_vip: bool = False
    previous_agent_id: int | None = None
    deadline: datetime | None = None
    created_at: datetime | None = None  # when the item started waiting
    id: int | None = None
    vip_rule: VipRule = VipRule()


@dataclass(frozen=True)
class Decision:
    team_id: int | None
    agent_id: int | None
    reason: str  # stable code, see REASONS
    overflow: bool = False  # the team was reached through overflow


# Stable codes of routing decisions. What users read is a translated label
# per code, kept with the models (contact_center.team._routing_reason_text).
REASONS = (
    "affinity",  # the customer's previous agent is free
    "least_loaded",  # the free agent with the fewest open items
    "no_free_agent",  # no agent of the team is available with free capacity
    "no_skilled_agent",  # no free agent has the required skills
    "vip_senior",  # VIP customer: a free senior agent
    "vip_waited",  # VIP customer: no senior agent free in time, first free agent
    "vip_waiting",  # VIP customer: waits for a senior agent (anyone later)
    "vip_held",  # VIP customer: held until a senior agent is free (senior only)
    "overflow",  # the team is closed or its queue is full: overflow team
    "closed",  # the team and its overflow are closed or full
)


def _language_matches(agent_languages, language):
    """An agent speaking ``fr_BE`` or ``fr`` serves a customer writing ``fr_FR``."""
    if not language:
        return True
    base = language.split("_")[0]
    return any(
        lang == language or lang.split("_")[0] == base for lang in agent_languages
    )


def resolve_team(team_id, teams):
    """Follow overflow teams until one is open with room in its queue.

    Returns (team id or None, reason) where reason is "" when the first team
    takes the item, "overflow" when another one does, "closed" when none can.
    Cycles in the overflow chain are cut.
    """
    seen = set()
    current = team_id
    while current is not None and current not in seen:
        seen.add(current)
        team = teams.get(current)
        if team is None:
            break
        full = team.max_queue_size and team.queue_size >= team.max_queue_size
        if team.is_open and not full:
            return current, "" if current == team_id else "overflow"
        current = team.overflow_team_id
    return None, "closed"


def vip_wait_over(item, now):
    """True when a VIP ``item`` has waited its team's time for a senior agent."""
    rule = item.vip_rule
    if rule.senior_only:
        return False
    if rule.wait_minutes <= 0:
        return True
    if now is None or item.created_at is None:
        return False
    return now - item.created_at >= timedelta(minutes=rule.wait_minutes)


def candidates(item, agents, now=None):
    """Agents who may take ``item`` now, best first, with the reason.

    Only agents present (available) and under their capacity, in the item's
    team, with every required skill at the required level. Among them the
    engine prefers, in order: speakers of the customer's language, senior
    agents for VIP customers, the customer's previous agent, then the agent
    with the fewest open items, then the one idle the longest.

    A VIP customer goes to a senior (or expert) agent when one is free
    (``vip_senior``). When none is, the item's :class:`VipRule` decides: it
    waits (``vip_waiting``, or ``vip_held`` for senior-only teams) until its
    wait, counted from ``created_at`` to ``now``, is over, then goes to the
    first free agent (``vip_waited``).
    """
    free = [
        a
        for a in agents
        if a.presence == "available"
        and a.load < a.capacity
        and (item.team_id is None or item.team_id in a.team_ids)
    ]
    if not free:
        return [], "no_free_agent"
    skilled = [
        a
        for a in free
        if all(
            a.skills.get(skill, 0) >= level
            for skill, level in item.required_skills.items()
        )
    ]
    if not skilled:
        return [], "no_skilled_agent"
    pool = [
        a for a in skilled if _language_matches(a.languages, item.language)
    ] or skilled
    vip_reason = None
    if item.is_vip:
        seniors = [a for a in pool if a.tier in SENIOR_TIERS]
        if seniors:
            pool, vip_reason = seniors, "vip_senior"
        elif vip_wait_over(item, now):
            vip_reason = "vip_waited"
        else:
            return [], "vip_held" if item.vip_rule.senior_only else "vip_waiting"
    ordered = sorted(
        pool,
        key=lambda a: (
            a.id != item.previous_agent_id,
            a.load,
            a.last_assigned_at or datetime.min,
            a.id,
        ),
    )
    if vip_reason:
        return ordered, vip_reason
    reason = "affinity" if ordered[0].id == item.previous_agent_id else "least_loaded"
    return ordered, reason


def route(item, agents, teams=None, now=None):
    """Decide where ``item`` goes: a team, and an agent or none (it waits).

    The VIP rule is the one of the team that takes the item (its
    ``TeamState.vip_rule``), else the item's own; ``now`` measures how long
    the item has waited (see :func:`candidates`).
    """
    team_id, team_reason = item.team_id, ""
    if teams is not None and item.team_id is not None:
        team_id, team_reason = resolve_team(item.team_id, teams)
        if team_id is None:
            return Decision(None, None, "closed")
    changes = {"team_id": team_id}
    team = teams.get(team_id) if teams is not None else None
    if team is not None and team.vip_rule is not None:
        changes["vip_rule"] = team.vip_rule
    routed = WorkItem(**{**item.__dict__, **changes})
    ordered, reason = candidates(routed, agents, now)
    agent_id = ordered[0].id if ordered else None
    return Decision(team_id, agent_id, reason, overflow=team_reason == "overflow")


def queue_order_key(item):
    """Order of a team queue: earliest deadline first, VIP first on ties, then FIFO."""
    return (
        item.deadline is None,
        item.deadline or datetime.max,
        not item.is_vip,
        item.created_at or datetime.max,
        item.id or 0,
    )


@dataclass(frozen=True)
class Assignment:
    """What a newly free agent takes from the queue, and what it passed over."""

    item: WorkItem | None
    reason: str = ""  # code of the decision, see REASONS
    # (item, reason) of the VIP items before it this agent may not take yet
    held: tuple = ()


def next_assignment(agent, items, now=None):
    """The waiting item a newly free ``agent`` should take, with the reason.

    Items go in queue order; a VIP item waiting for a senior agent is passed
    over (and listed in ``held`` with ``vip_waiting`` or ``vip_held``) when
    ``agent`` is not senior and the item's wait is not over.
    """
    held = []
    for item in sorted(items, key=queue_order_key):
        ordered, reason = candidates(item, [agent], now)
        if ordered:
            return Assignment(item, reason, tuple(held))
        if reason in ("vip_waiting", "vip_held"):
            held.append((item, reason))
    return Assignment(None, "", tuple(held))


def next_item_for(agent, items, now=None):
    """The waiting item a newly free ``agent`` should take, or None."""
    return next_assignment(agent, items, now).item
