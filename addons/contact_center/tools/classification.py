"""Ticket classification rules, in plain Python.

A rule has conditions (keywords or a regular expression on the subject and
body, sender address or domain, recipient, customer tier, language) and
actions (values to set on the ticket). Rules are tried in order; every
condition a rule sets must hold; the first matching rule wins.
"""

import functools
import re
import time
from dataclasses import dataclass, field

# patterns look at this much of the subject and message, whatever their size
MAX_TEXT_CHARS = 10_000
# a quantifier after a group or an atom: *, +, ?, {m}, {m,}, {,n}, {m,n}
_QUANTIFIER_RE = re.compile(r"[*+?]|\{(\d*)(,?)(\d*)\}")


@dataclass(frozen=True)
class Rule:
    id: int
    subject_keywords: tuple = ()  # any of them, case-insensitive
    body_keywords: tuple = ()
    pattern: str = ""  # regular expression on subject + body
    senders: tuple = ()  # full addresses or "@domain"
    recipients: tuple = ()  # alias addresses the email was sent to
    tier_ids: frozenset = frozenset()
    langs: frozenset = frozenset()
    actions: dict = field(default_factory=dict)


def split_keywords(text):
    """'refund, money back' -> ('refund', 'money back')"""
    return tuple(k.strip().lower() for k in (text or "").split(",") if k.strip())


def check_pattern(pattern):
    """Return an error message for an invalid regular expression, or None."""
    try:
        re.compile(pattern)
    except re.error as exc:
        return str(exc)
    return None


def _quantifier_at(pattern, pos):
    """(length, repeats, variable) of the quantifier at ``pos``, or None.

    ``repeats``: may match more than once; ``variable``: may match a varying
    number of times.
    """
    match = _QUANTIFIER_RE.match(pattern, pos)
    if not match:
        return None
    token = match.group(0)
    if token in "*+":
        repeats = variable = True
    elif token == "?":
        repeats, variable = False, True
    else:
        low, comma, high = match.groups()
        if not (low or high):
            return None  # "{}" or "{,}": a literal brace
        low = int(low or 0)
        high = int(high) if high else (None if comma else low)
        repeats = high is None or high > 1
        variable = high is None or high != low
    length = len(token)
    if pattern[pos + length : pos + length + 1] in ("?", "+"):
        length += 1  # lazy or possessive
    return length, repeats, variable


@functools.lru_cache(maxsize=256)
def has_nested_quantifier(pattern):
    """Whether a repeated group contains a variable repetition: ``(a+)+``.

    Such patterns can take exponential time on a text that almost matches.
    """
    stack = [False]  # per open group: it contains a variable repetition
    i, size = 0, len(pattern)
    while i < size:
        char = pattern[i]
        if char == "(":
            stack.append(False)
            i += 1
            if pattern[i : i + 1] == "?":  # (?:, (?P<name>, (?=: not a quantifier
                i += 1
            continue
        if char == ")" and len(stack) > 1:
            inner = stack.pop()
            i += 1
            quantifier = _quantifier_at(pattern, i)
            if quantifier:
                length, repeats, variable = quantifier
                if inner and repeats:
                    return True
                stack[-1] = stack[-1] or inner or variable
                i += length
            else:
                stack[-1] = stack[-1] or inner
            continue
        # an atom: an escape, a character class or one character
        if char == "\\":
            i += 2
        elif char == "[":  # quantifiers inside a class are literal
            i += 1
            if pattern[i : i + 1] == "^":
                i += 1
            if pattern[i : i + 1] == "]":
                i += 1
            while i < size and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
            i += 1
        else:
            i += 1
        quantifier = _quantifier_at(pattern, i)
        if quantifier:
            stack[-1] = stack[-1] or quantifier[2]
            i += quantifier[0]
    return False


def _sender_matches(senders, email):
    email = (email or "").lower()
    domain = email.rpartition("@")[2]
    for sender in senders:
        if sender.startswith("@") and domain == sender[1:]:
            return True
        if sender == email:
            return True
    return False


def _pattern_matches(rule, text, budget, slow):
    """Search the rule's pattern in ``text``, timing it.

    A pattern with nested quantifiers is not run at all; one that took more
    than ``budget`` seconds is recorded in ``slow`` ({rule id: reason}) and
    counts as not matching. ``re`` cannot be interrupted: the budget stops
    the rule from running again, not this run.
    """
    if has_nested_quantifier(rule.pattern):
        if slow is not None:
            slow[rule.id] = ("nested", 0.0)
        return False
    start = time.perf_counter()
    found = re.search(rule.pattern, text, re.IGNORECASE)
    elapsed = time.perf_counter() - start
    if budget is not None and elapsed > budget:
        if slow is not None:
            slow[rule.id] = ("slow", elapsed)
        return False
    return bool(found)


def matches(
    rule, subject, body, sender, recipients, tier_id, lang, budget=None, slow=None
):
    if slow is not None and rule.id in slow:
        return False
    subject_l = (subject or "").lower()
    body_l = (body or "").lower()
    if rule.subject_keywords and not any(k in subject_l for k in rule.subject_keywords):
        return False
    if rule.body_keywords and not any(k in body_l for k in rule.body_keywords):
        return False
    if rule.pattern and not _pattern_matches(
        rule, f"{subject}\n{body}"[:MAX_TEXT_CHARS], budget, slow
    ):
        return False
    if rule.senders and not _sender_matches(rule.senders, sender):
        return False
    if rule.recipients and not {r.lower() for r in recipients} & set(rule.recipients):
        return False
    if rule.tier_ids and tier_id not in rule.tier_ids:
        return False
    if rule.langs and lang not in rule.langs:
        return False
    return True


def classify(
    rules,
    subject="",
    body="",
    sender="",
    recipients=(),
    tier_id=None,
    lang=None,
    budget=None,
    slow=None,
):
    """Return the first matching rule, or None.

    ``budget``: seconds a pattern may take; ``slow``: a dict that receives
    {rule id: (why, seconds)} for patterns too slow or unsafe to run, which
    are skipped from then on when the same dict is passed again.
    """
    for rule in rules:
        if matches(
            rule, subject, body, sender, recipients, tier_id, lang, budget, slow
        ):
            return rule
    return None
