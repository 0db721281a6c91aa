"""Ticket classification rules, in plain Python.

A rule has conditions (keywords or a regular expression on the subject and
body, sender address or domain, recipient, customer tier, language) and
actions (values to set on the ticket). Rules are tried in order; every
condition a rule sets must hold; the first matching rule wins.
"""

import re
from dataclasses import dataclass, field


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


def _sender_matches(senders, email):
    email = (email or "").lower()
    domain = email.rpartition("@")[2]
    for sender in senders:
        if sender.startswith("@") and domain == sender[1:]:
            return True
        if sender == email:
            return True
    return False


def matches(rule, subject, body, sender, recipients, tier_id, lang):
    subject_l = (subject or "").lower()
    body_l = (body or "").lower()
    if rule.subject_keywords and not any(k in subject_l for k in rule.subject_keywords):
        return False
    if rule.body_keywords and not any(k in body_l for k in rule.body_keywords):
        return False
    if rule.pattern and not re.search(
        rule.pattern, f"{subject}\n{body}", re.IGNORECASE
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
    rules, subject="", body="", sender="", recipients=(), tier_id=None, lang=None
):
    """Return the first matching rule, or None."""
    for rule in rules:
        if matches(rule, subject, body, sender, recipients, tier_id, lang):
            return rule
    return None
