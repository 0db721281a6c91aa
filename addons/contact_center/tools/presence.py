"""Presence that follows the agent's web client, in plain Python.

Odoo's ``bus.presence`` tells whether a user has a live web client: its status
is ``online`` or ``away`` while a websocket of theirs is open and becomes
``offline`` when the last one closes (tabs closed, connection lost, logout);
its row may also be missing (never connected, or cleaned up by Odoo).
Odoo refreshes ``last_poll`` only when a websocket connects or the user's
activity changes, not periodically, so the status is the live signal.

The cron gathers one :class:`AgentConnection` per candidate agent and calls
:func:`plan`; nothing here reads the database.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

# minutes without a live session before an agent is set offline, when the
# agent belongs to no team that says otherwise
DEFAULT_TIMEOUT_MINUTES = 5
# presences the timeout takes away; busy and wrap-up follow the agent's calls
# and are left alone until the call ends
TIMED_OUT_PRESENCES = frozenset({"available", "break"})
LIVE_STATUSES = frozenset({"online", "away"})
# reason logged when the timeout sets an agent offline, and when they come back
REASON_DISCONNECTED = "disconnected"
REASON_RECONNECTED = "reconnected"


@dataclass(frozen=True)
class AgentConnection:
    agent_id: int
    presence: str
    presence_since: datetime
    # reason of the agent's current presence period, None when chosen
    presence_reason: str | None = None
    # bus.presence status of the agent's user; None: no bus.presence row
    bus_status: str | None = None
    # when the cron first saw the session gone (stored on the agent)
    session_lost_at: datetime | None = None
    # 0: never time out
    timeout_minutes: int = DEFAULT_TIMEOUT_MINUTES
    # back to available by themselves when the session comes back
    auto_return: bool = False


@dataclass
class PresencePlan:
    disconnect: list = field(default_factory=list)  # set offline, reroute work
    reconnect: list = field(default_factory=list)  # set available again
    mark_lost: list = field(default_factory=list)  # session_lost_at := now
    clear_lost: list = field(default_factory=list)  # session_lost_at := None

    @property
    def agent_ids(self):
        return self.disconnect + self.reconnect + self.mark_lost + self.clear_lost


def is_live(connection):
    return connection.bus_status in LIVE_STATUSES


def lost_since(connection):
    """Since when the agent has had no live session, or None if they have one.

    Counted from the first time the cron saw the session gone or, without any
    ``bus.presence`` row, from the start of the current presence; never before
    the current presence started (someone set it since, which restarts the
    clock).
    """
    if is_live(connection):
        return None
    if connection.session_lost_at:
        return max(connection.session_lost_at, connection.presence_since)
    if connection.bus_status is None:
        return connection.presence_since
    return None  # session just found gone: the clock starts now


def plan(connections, now):
    """Decide, for each agent, what the presence timeout does now."""
    result = PresencePlan()
    for conn in connections:
        live = is_live(conn)
        if live and conn.session_lost_at:
            result.clear_lost.append(conn.agent_id)
        if conn.presence in TIMED_OUT_PRESENCES and not live:
            since = lost_since(conn)
            if (
                since is not None
                and conn.timeout_minutes > 0
                and now - since >= timedelta(minutes=conn.timeout_minutes)
            ):
                result.disconnect.append(conn.agent_id)
            elif since is None:
                result.mark_lost.append(conn.agent_id)
        elif (
            conn.presence == "offline"
            and conn.presence_reason == REASON_DISCONNECTED
            and conn.auto_return
            and live
        ):
            result.reconnect.append(conn.agent_id)
    return result
