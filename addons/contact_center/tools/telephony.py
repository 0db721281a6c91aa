"""The telephony API's rules, in plain Python: signatures, payloads, calls.

A PBX signs each request with its provider's shared secret; its events
arrive in any order and sometimes twice. Nothing here touches the ORM: the
models store the raw events and call :func:`fold_call` on all the events of
a call, so the interaction is always the same function of what arrived.
"""

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import UTC, datetime

SIGNATURE_TOLERANCE = 300  # seconds a signed request stays valid
EVENT_TYPES = (
    "queued",
    "ringing",
    "answered",
    "hold",
    "unhold",
    "transferred",
    "recording",
    "voicemail",
    "ended",
)
# order of events stamped with the same second
_RANK = {kind: rank for rank, kind in enumerate(EVENT_TYPES)}
END_CAUSES = ("hangup", "abandoned", "no_answer", "busy", "failed")
# who picked up an outbound call: a person, or an answering machine
ANSWERED_BY = ("human", "machine")


class SignatureError(Exception):
    """The request is not signed by the provider, or no longer valid."""


class SignatureMismatch(SignatureError):
    """The signature is not the provider's (forged, or a wrong secret).

    The API gives it the same answer as an unknown provider, so that a
    caller cannot tell which provider codes exist.
    """


class PayloadError(Exception):
    """A malformed request; ``field`` names what is wrong."""

    def __init__(self, message, field_name=None):
        super().__init__(message)
        self.field = field_name


def sign(secret, timestamp, body):
    """The signature a provider sends: ``sha256=<hex>``."""
    digest = hmac.new(
        secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return f"sha256={digest}"


def verify_signature(secret, timestamp, signature, body, now):
    """Check a request's signature and age; return its digest (for replays).

    ``now`` is the current Unix time. Raises SignatureError with the reason.
    """
    if not timestamp or not signature:
        raise SignatureError("missing X-CC-Timestamp or X-CC-Signature header")
    try:
        stamp = int(timestamp)
    except ValueError as error:
        raise SignatureError("X-CC-Timestamp is not a Unix time") from error
    if abs(now - stamp) > SIGNATURE_TOLERANCE:
        raise SignatureError("the request is too old or from the future")
    expected = sign(secret, stamp, body)
    if not hmac.compare_digest(expected.encode(), signature.strip().encode()):
        raise SignatureMismatch("the signature does not match")
    return expected[len("sha256=") :]


def parse_time(value, field_name):
    """ISO 8601 with a zone, or Unix seconds -> naive UTC datetime.

    Whole seconds, like every Odoo datetime: a fraction would make a call's
    end look later than a wrap-up Odoo stamps in the same second.
    """
    if isinstance(value, bool):
        raise PayloadError("expected a time", field_name)
    if isinstance(value, int | float):
        return datetime.fromtimestamp(int(value), UTC).replace(tzinfo=None)
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as error:
            raise PayloadError(
                f"not an ISO 8601 time: {value!r}", field_name
            ) from error
        if parsed.tzinfo is None:
            raise PayloadError("the time needs a zone (Z or +hh:mm)", field_name)
        return parsed.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    raise PayloadError("expected an ISO 8601 time or Unix seconds", field_name)


def _text(obj, key, where, required=False, max_length=256):
    value = obj.get(key)
    if value is None or value == "":
        if required:
            raise PayloadError(f"{key} is required", f"{where}{key}")
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise PayloadError(f"{key} must be a string", f"{where}{key}")
    if len(value) > max_length:
        raise PayloadError(f"{key} is too long", f"{where}{key}")
    return value.strip()


def validate_route(payload):
    """A route request -> dict(call_id, caller, called, ivr (list), language)."""
    if not isinstance(payload, dict):
        raise PayloadError("the body must be a JSON object")
    ivr = payload.get("ivr") or []
    if isinstance(ivr, str | int):
        ivr = [ivr]
    if not isinstance(ivr, list) or not all(
        isinstance(choice, str | int) and not isinstance(choice, bool) for choice in ivr
    ):
        raise PayloadError("ivr must be a list of digits or names", "ivr")
    return {
        "call_id": _text(payload, "call_id", "", required=True),
        "caller": _text(payload, "caller", ""),
        "called": _text(payload, "called", ""),
        "ivr": [str(choice).strip() for choice in ivr],
        "language": _text(payload, "language", "", max_length=16),
    }


def validate_events(payload):
    """An events request -> list of normalised event dicts."""
    if isinstance(payload, dict) and "events" in payload:
        events, prefix = payload["events"], "events"
        if not isinstance(events, list):
            raise PayloadError("events must be a list", "events")
    elif isinstance(payload, dict):
        events, prefix = [payload], None
    else:
        raise PayloadError("the body must be a JSON object")
    if not events:
        raise PayloadError("no event", "events")
    result = []
    for index, event in enumerate(events):
        where = f"{prefix}[{index}]." if prefix else ""
        if not isinstance(event, dict):
            raise PayloadError("an event must be an object", where.rstrip(".") or None)
        kind = _text(event, "type", where, required=True)
        if kind not in EVENT_TYPES:
            raise PayloadError(
                f"unknown type {kind!r}; expected one of {', '.join(EVENT_TYPES)}",
                f"{where}type",
            )
        if "at" not in event:
            raise PayloadError("at is required", f"{where}at")
        cause = _text(event, "cause", where)
        if cause and cause not in END_CAUSES:
            raise PayloadError(
                f"unknown cause {cause!r}; expected one of {', '.join(END_CAUSES)}",
                f"{where}cause",
            )
        answered_by = _text(event, "answered_by", where)
        if answered_by and answered_by not in ANSWERED_BY:
            raise PayloadError(
                f"unknown answered_by {answered_by!r}; expected one of "
                f"{', '.join(ANSWERED_BY)}",
                f"{where}answered_by",
            )
        direction = _text(event, "direction", where) or "inbound"
        if direction not in ("inbound", "outbound"):
            raise PayloadError("direction is inbound or outbound", f"{where}direction")
        normalised = {
            "id": _text(event, "id", where, required=True),
            "call_id": _text(event, "call_id", where, required=True),
            "type": kind,
            "at": parse_time(event["at"], f"{where}at"),
            "caller": _text(event, "caller", where),
            "called": _text(event, "called", where),
            "agent": _text(event, "agent", where),
            "to": _text(event, "to", where),
            "cause": cause,
            "url": _text(event, "url", where, max_length=2048),
            "direction": direction,
            "answered_by": answered_by,
        }
        url = normalised["url"]
        if url and not url.lower().startswith(("https://", "http://")):
            # shown as a link to agents: never javascript: or data: URLs
            raise PayloadError("the url must be http:// or https://", f"{where}url")
        if kind == "transferred" and not normalised["to"]:
            raise PayloadError("a transfer needs its target (to)", f"{where}to")
        result.append(normalised)
    return result


@dataclass
class Leg:
    """One agent's part of a call: what becomes one interaction.

    ``answered_at`` is the first answer, by whoever picked up; a call the
    dialer starts is first answered by the customer (``answered_by`` human or
    machine, no agent yet), then ``connected_at`` when the PBX reports it
    answered again with the agent Odoo bridged it to. A call answered by an
    agent at once is connected when answered.
    """

    index: int
    queued_at: datetime
    agent: str | None = None
    answered_at: datetime | None = None
    answered_by: str | None = None
    connected_at: datetime | None = None
    ended_at: datetime | None = None
    hold_seconds: int = 0
    transferred: bool = False
    cause: str | None = None
    recording_url: str | None = None
    _hold_since: datetime | None = field(default=None, repr=False)

    def state(self, wrapped_up=False):
        if self.ended_at is None:
            if self.answered_at:
                return "in_progress"
            return "ringing" if self.agent else "queued"
        if self.answered_at:
            return "done" if wrapped_up else "wrap_up"
        if self.cause == "failed":
            return "failed"
        if self.cause in ("no_answer", "busy"):
            return "missed"
        return "abandoned"


def fold_call(events):
    """Fold all the events of one call, in any arrival order, into its legs.

    Events are replayed by time (same second: in lifecycle order). A
    transfer ends the current leg (flagged transferred) and opens the next
    one for the target, connected at once unless it rings first; hold
    periods count where they fall and an open hold closes with its leg.
    A leg is connected (``connected_at``) at its first answer while an agent
    is on it, named by that event or by the ringing before it.
    """
    ordered = sorted(events, key=lambda e: (e["at"], _RANK[e["type"]]))
    if not ordered:
        return []
    legs = [Leg(index=0, queued_at=ordered[0]["at"])]
    for event in ordered:
        leg, at, kind = legs[-1], event["at"], event["type"]
        if leg.ended_at is not None and kind not in ("recording", "voicemail"):
            continue  # nothing happens on a leg after its end
        if kind == "ringing":
            leg.agent = event["agent"] or leg.agent
        elif kind == "answered":
            leg.agent = event["agent"] or leg.agent
            leg.answered_at = leg.answered_at or at
            # events stored before answered_by existed do not carry the key
            leg.answered_by = leg.answered_by or event.get("answered_by")
            if leg.agent:  # named now or by the ringing: an agent is on it
                leg.connected_at = leg.connected_at or at
        elif kind == "hold":
            leg._hold_since = leg._hold_since or at
        elif kind == "unhold" and leg._hold_since:
            _release_hold(leg, at)
        elif kind == "transferred":
            _close(leg, at, "hangup")
            leg.transferred = True
            legs.append(
                Leg(
                    index=len(legs),
                    queued_at=at,
                    agent=event["to"],
                    answered_at=at,
                    answered_by=leg.answered_by,
                    connected_at=at,
                )
            )
        elif kind == "ended":
            _close(leg, at, event["cause"] or "hangup")
        elif kind in ("recording", "voicemail") and event["url"]:
            leg.recording_url = event["url"]
    return legs


def _release_hold(leg, at):
    """Count a hold period; only its part after the answer is hold time."""
    if leg.answered_at:
        start = max(leg._hold_since, leg.answered_at)
        leg.hold_seconds += max(int((at - start).total_seconds()), 0)
    leg._hold_since = None


def _close(leg, at, cause):
    if leg._hold_since:
        _release_hold(leg, at)
    leg.ended_at = at
    leg.cause = cause
