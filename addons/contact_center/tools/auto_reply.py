"""Recognise automated emails that must never be answered automatically.

Answering an auto-reply, a bounce or a mailing list with an acknowledgement
is how two systems end up mailing each other forever. The rules follow
RFC 3834 (Auto-Submitted) and the headers common mail systems set instead.
"""

import re

LIST_HEADERS = ("List-Id", "List-Unsubscribe", "List-Post", "List-Help")


def automated_reason(headers):
    """Return why an email is automated, or None for a person's email.

    ``headers`` maps header names (any case) to values; a missing header is
    absent, not empty. ``Return-Path`` present and empty ("<>") marks a bounce.
    """
    h = {str(k).lower(): str(v).strip() for k, v in headers.items() if v is not None}
    auto_submitted = h.get("auto-submitted", "").lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"
    precedence = h.get("precedence", "").lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return f"Precedence: {precedence}"
    if "x-autoreply" in h or "x-autorespond" in h:
        return "X-Autoreply"
    suppress = h.get("x-auto-response-suppress", "").lower()
    if suppress and re.search(r"\b(all|autoreply|oof)\b", suppress):
        return f"X-Auto-Response-Suppress: {suppress}"
    for name in LIST_HEADERS:
        if name.lower() in h:
            return f"{name} (mailing list)"
    if "x-loop" in h:
        return "X-Loop"
    if "return-path" in h and h["return-path"].strip("<> ") == "":
        return "empty Return-Path (bounce)"
    return None
