"""The messaging webhook's rules, in plain Python: payloads and conversations.

A provider (SMS gateway, WhatsApp or social media bridge) posts the messages
customers write, signed like the telephony API. A request is refused as a
whole (400, nothing stored) only when it cannot be read at all: not a JSON
object, ``messages`` missing, not a list, empty or too long, or every message
in it invalid. Otherwise each invalid message is reported with the field at
fault and the valid ones are stored and processed: a bad message never costs
the good ones.
"""

import re
from datetime import UTC, datetime

from .telephony import PayloadError, parse_time

MAX_MESSAGES = 100  # messages per request
MAX_TEXT = 10000  # characters of one message
# networks whose addresses are phone numbers; any other network name is a
# social network whose addresses are handles
PHONE_NETWORKS = frozenset({"sms", "whatsapp", "signal", "viber"})
CHANNEL_RE = re.compile(r"[a-z][a-z0-9_.-]{0,31}")
# what a phone number may be written with: digits, +, spaces, dots, dashes,
# parentheses; at least 3 digits
PHONE_RE = re.compile(r"\+?[\d\s().-]{3,32}")
SUBJECT_WORDS = 8
SUBJECT_LENGTH = 80
INBOX_PREFIX = "message/"  # inbox ids of messages, apart from call event ids


def channel_of(network):
    """The interaction channel of a network name: ``sms`` or ``social``."""
    return "sms" if network == "sms" else "social"


def conversation_key(network, address):
    """The inbox's conversation id of a customer address on a network."""
    return f"{network}:{address}"


def subject(text, fallback):
    """A ticket subject from the first words of a message."""
    words = (text or "").split()
    title = " ".join(words[:SUBJECT_WORDS])
    if len(words) > SUBJECT_WORDS or len(title) > SUBJECT_LENGTH:
        title = title[: SUBJECT_LENGTH - 1].rstrip() + "…"
    return title or fallback


def _string(message, key, where, required=False, max_length=256):
    value = message.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise PayloadError(f"{key} is required", f"{where}{key}")
        return None
    if isinstance(value, int) and not isinstance(value, bool) and key != "text":
        value = str(value)
    if not isinstance(value, str):
        raise PayloadError(f"{key} must be a string", f"{where}{key}")
    value = value.strip()
    if len(value) > max_length:
        raise PayloadError(
            f"{key} is too long (at most {max_length} characters)", f"{where}{key}"
        )
    return value


def validate_message(message, where=""):
    """One message -> normalised dict, or PayloadError naming the field."""
    if not isinstance(message, dict):
        raise PayloadError("a message must be an object", where.rstrip(".") or None)
    network = _string(message, "channel", where, required=True, max_length=32)
    network = network.lower()
    if not CHANNEL_RE.fullmatch(network):
        raise PayloadError(
            "channel is sms or a network name (letters, digits, _ . -)",
            f"{where}channel",
        )
    sender = _string(message, "from", where, required=True)
    if network in PHONE_NETWORKS and not PHONE_RE.fullmatch(sender):
        raise PayloadError(f"from must be a phone number on {network}", f"{where}from")
    at = message.get("at")
    return {
        "id": _string(message, "id", where, required=True),
        "network": network,
        "from": sender,
        "to": _string(message, "to", where),
        "text": _string(message, "text", where, required=True, max_length=MAX_TEXT),
        "at": parse_time(at, f"{where}at") if at not in (None, "") else None,
        "name": _string(message, "name", where, max_length=128),
    }


def validate_messages(payload, now=None):
    """A messages request -> (valid messages, errors).

    Valid messages are normalised dicts with their ``index`` in the request;
    a message without ``at`` gets ``now``. Errors are ``{"index", "id",
    "error", "field"}``. Raises PayloadError when the request as a whole is
    unusable, including when no message in it is valid (the first error).
    """
    if not isinstance(payload, dict):
        raise PayloadError("the body must be a JSON object")
    messages = payload.get("messages")
    if messages is None:
        raise PayloadError("messages is required", "messages")
    if not isinstance(messages, list):
        raise PayloadError("messages must be a list", "messages")
    if not messages:
        raise PayloadError("no message", "messages")
    if len(messages) > MAX_MESSAGES:
        raise PayloadError(f"at most {MAX_MESSAGES} messages per request", "messages")
    now = now or datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    valid, errors = [], []
    for index, message in enumerate(messages):
        try:
            normalised = validate_message(message, f"messages[{index}].")
        except PayloadError as error:
            raw_id = message.get("id") if isinstance(message, dict) else None
            errors.append(
                {
                    "index": index,
                    "id": raw_id if isinstance(raw_id, str | int) else None,
                    "error": str(error),
                    "field": error.field,
                }
            )
            continue
        normalised["index"] = index
        normalised["at"] = normalised["at"] or now
        valid.append(normalised)
    if not valid:
        first = errors[0]
        raise PayloadError(first["error"], first["field"])
    return valid, errors
