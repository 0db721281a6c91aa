"""Keyset (seek) pagination cursors for the customer timeline.

Rows are ordered newest first by (at, source rank, id).  A cursor is the key
of the last row a client received, encoded as an opaque string.  For one
source whose rank is a constant, the condition "strictly after the cursor"
reduces to a plain range on (at, id), which an index can serve directly.
"""

import base64
import binascii
import json
from datetime import datetime

DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"


class CursorError(ValueError):
    """A cursor string that was not produced by :func:`encode`."""


def encode(at, rank, row_id):
    payload = json.dumps([at.strftime(DATETIME_FORMAT), int(rank), int(row_id)])
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode(cursor):
    """Return (at, rank, id) from a cursor string; raise CursorError."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        at, rank, row_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        return datetime.strptime(at, DATETIME_FORMAT), int(rank), int(row_id)
    except (ValueError, TypeError, binascii.Error) as exc:
        raise CursorError(str(exc)) from exc


def branch_condition(rank, cursor_rank):
    """How a source of ``rank`` compares to the cursor, for descending order.

    Returns 'le' when rows at the cursor's timestamp still come after it
    (rows of lower rank follow the cursor's row), 'tuple' when the source is
    the cursor's own (compare (at, id)), 'lt' when only strictly older rows
    follow.
    """
    if rank < cursor_rank:
        return "le"
    if rank == cursor_rank:
        return "tuple"
    return "lt"
