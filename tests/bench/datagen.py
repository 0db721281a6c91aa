"""Deterministic generator of a realistic contact center, in plain Python.

Produces plain dicts (customers, interactions, presence periods) from a seed;
the loader in ``tests/bench/generate_data.py`` writes them into a database.
Nothing here touches the ORM, so the same rows come out for the same seed on
any machine. It lives with the benchmarks, not in the addon: import it after
Odoo's addons path is configured (``_odoo_env.configure``), since it reuses the
addon's phone normalisation and duration arithmetic.
"""

import math
import random
from datetime import datetime, timedelta

from odoo.addons.contact_center.tools.interaction_state import durations
from odoo.addons.contact_center.tools.phone import to_e164

FIRST_NAMES = (
    "Ada Alan Grace Linus Margaret Dennis Barbara Ken Frances Tim Radia Guido Anita "
    "Bjarne Hedy Edsger Katherine John Sophie Yuki Amara Lucas Chloé Mateo Priya "
    "Noah Emma Léa Jonas Aarav Sofia Lukas Mia Arjun Inès Hugo Isabella Ravi Zoé"
).split()
LAST_NAMES = (
    "Lovelace Turing Hopper Torvalds Hamilton Ritchie Liskov Thompson Allen Lee "
    "Perlman Rossum Borg Stroustrup Lamarr Dijkstra Johnson Backus Martin Tanaka "
    "Okafor Dubois Garcia Sharma Müller Rossi Novak Kowalski Silva Jensen Patel "
    "Moreau Schmidt Fernández Nguyen Haddad Kim Andersson"
).split()
EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example")

# Countries with valid mobile and landline number plans:
# (code, calling code, lang, mobile prefixes, landline prefixes,
#  (mobile, landline) national number lengths, national trunk prefix)
COUNTRIES = (
    (
        "US",
        "1",
        "en_US",
        ("415", "646", "312", "206"),
        ("212", "617", "305"),
        (10, 10),
        "",
    ),
    ("GB", "44", "en_GB", ("7400", "7700", "7911"), ("20", "161"), (10, 10), "0"),
    ("FR", "33", "fr_FR", ("6", "7"), ("1", "4"), (9, 9), "0"),
    ("DE", "49", "de_DE", ("151", "160", "176"), ("30", "89"), (11, 10), "0"),
    ("BE", "32", "fr_BE", ("470", "475", "486"), ("2",), (9, 8), "0"),
    ("ES", "34", "es_ES", ("6",), ("91", "93"), (9, 9), ""),
    ("IN", "91", "en_IN", ("98", "99"), ("11",), (10, 10), "0"),
    ("BR", "55", "pt_BR", ("1199", "2198"), ("113",), (11, 10), "0"),
)
COUNTRY_WEIGHTS = (30, 15, 15, 12, 8, 8, 7, 5)

CHANNELS = ("phone", "email", "chat", "sms", "social")
CHANNEL_WEIGHTS = (45, 30, 15, 7, 3)
SUBJECTS = {
    "phone": (
        "Invoice question",
        "Delivery delay",
        "Cannot log in",
        "Upgrade options",
        "Refund request",
        "Order status",
        "Cancel subscription",
    ),
    "email": (
        "Quote request",
        "Wrong item received",
        "Change of address",
        "Contract renewal",
        "Invoice copy",
    ),
    "chat": ("Setup help", "Password reset", "Pricing question", "Feature question"),
    "sms": ("Appointment reminder reply", "Delivery slot", "Stop messages"),
    "social": ("Public complaint", "Product praise", "Store hours"),
}


def _digits(rnd, n):
    return "".join(str(rnd.randint(0, 9)) for _ in range(n))


def phone_number(rnd, country, mobile=True):
    """Return (written, e164) for a random valid number of ``country``.

    The written form varies as people type them: national, international with
    spaces, E.164, or with the 00 international prefix.
    """
    code, cc, _lang, mobiles, landlines, lengths, trunk = country
    size = lengths[0] if mobile else lengths[1]
    while True:
        prefix = rnd.choice(mobiles if mobile else landlines)
        first = str(rnd.randint(2, 9))  # subscriber numbers never start with 0/1
        national = prefix + first + _digits(rnd, size - len(prefix) - 1)
        e164 = f"+{cc}{national}"
        # some blocks of a plan are unallocated: draw again until valid
        if to_e164(e164) == e164:
            break
    style = rnd.random()
    if style < 0.45:
        pairs = " ".join(national[i : i + 2] for i in range(0, len(national), 2))
        written = f"{trunk}{pairs}" if trunk else pairs
        if code == "US":
            written = f"({national[:3]}) {national[3:6]}-{national[6:]}"
    elif style < 0.75:
        written = f"+{cc} {national[:3]} {national[3:6]} {national[6:]}"
    elif style < 0.9:
        written = e164
    else:
        written = f"00{cc}{national}"
    return written, e164


def customers(n, seed=1):
    """Yield ``n`` customer dicts."""
    rnd = random.Random(f"customers-{seed}")
    for i in range(n):
        country = rnd.choices(COUNTRIES, COUNTRY_WEIGHTS)[0]
        first, last = rnd.choice(FIRST_NAMES), rnd.choice(LAST_NAMES)
        phone, phone_e164 = phone_number(rnd, country, mobile=rnd.random() < 0.3)
        mobile, mobile_e164 = (None, None)
        if rnd.random() < 0.7:
            mobile, mobile_e164 = phone_number(rnd, country, mobile=True)
        yield {
            "index": i,
            "name": f"{first} {last}",
            "email": f"{first}.{last}.{i}@{rnd.choice(EMAIL_DOMAINS)}".lower(),
            "country_code": country[0],
            "lang": country[2],
            "phone": phone,
            "phone_e164": phone_e164,
            "mobile": mobile,
            "mobile_e164": mobile_e164,
            # standard, silver, gold, vip
            "tier": rnd.choices((0, 1, 2, 3), (80, 12, 6, 2))[0],
        }


def _lognormal_seconds(rnd, median, sigma, low, high):
    value = rnd.lognormvariate(math.log(median), sigma)
    return int(min(max(value, low), high))


def _business_instant(rnd, now, days):
    """A moment in the last ``days`` days, mostly in office hours on weekdays."""
    while True:
        day = now - timedelta(days=rnd.randint(0, days - 1))
        if day.weekday() >= 5 and rnd.random() < 0.8:
            continue
        hour = rnd.choices(
            range(24), [1] * 7 + [4, 8, 10, 10, 9, 7, 8, 9, 9, 8, 6, 3] + [1] * 5
        )[0]
        moment = day.replace(
            hour=hour,
            minute=rnd.randint(0, 59),
            second=rnd.randint(0, 59),
            microsecond=0,
        )
        if moment < now:
            return moment


def interaction(rnd, now, days, partner_index, agent_count, team_count):
    """One plausible interaction as a dict (ids are indexes, not database ids)."""
    channel = rnd.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
    direction = (
        "outbound"
        if rnd.random() < (0.3 if channel == "phone" else 0.15)
        else "inbound"
    )
    queued_at = _business_instant(rnd, now, days)
    agent = rnd.randrange(agent_count) if agent_count else None
    hold = 0
    answered_at = ended_at = wrap_up_ended_at = None
    disposition = None
    if channel == "phone":
        state = rnd.choices(("done", "abandoned", "missed", "failed"), (85, 10, 3, 2))[
            0
        ]
        wait = _lognormal_seconds(rnd, 25, 0.9, 1, 900)
        if state == "done":
            talk = _lognormal_seconds(rnd, 240, 0.7, 20, 3600)
            hold = (
                _lognormal_seconds(rnd, 45, 0.6, 5, talk // 2)
                if rnd.random() < 0.2
                else 0
            )
            answered_at = queued_at + timedelta(seconds=wait)
            ended_at = answered_at + timedelta(seconds=talk + hold)
            wrap_up_ended_at = ended_at + timedelta(
                seconds=_lognormal_seconds(rnd, 40, 0.6, 5, 600)
            )
        else:
            ended_at = queued_at + timedelta(seconds=wait)
            agent = None
    else:
        state = "done"
        if channel == "email":
            wait = _lognormal_seconds(rnd, 3 * 3600, 1.0, 60, 3 * 86400)
            handle = _lognormal_seconds(rnd, 300, 0.6, 30, 3600)
        else:
            wait = _lognormal_seconds(rnd, 40, 0.8, 2, 1800)
            handle = _lognormal_seconds(rnd, 420, 0.6, 30, 3600)
        answered_at = queued_at + timedelta(seconds=wait)
        ended_at = answered_at + timedelta(seconds=handle)
        wrap_up_ended_at = ended_at + timedelta(
            seconds=_lognormal_seconds(rnd, 20, 0.6, 0, 300)
        )
    if state == "done":
        disposition = rnd.choices(
            ("resolved", "info", "sale", "callback", "escalated", "complaint"),
            (45, 25, 8, 10, 7, 5),
        )[0]
    # a contact that started moments ago is still under way
    if (answered_at or ended_at or queued_at) > now:
        state, agent, disposition, hold = "queued", None, None, 0
        answered_at = ended_at = wrap_up_ended_at = None
    elif ended_at and ended_at > now:
        state, disposition = "in_progress", None
        ended_at = wrap_up_ended_at = None
    elif wrap_up_ended_at and wrap_up_ended_at > now:
        state, wrap_up_ended_at = "wrap_up", None
    row = {
        "channel": channel,
        "direction": direction,
        "state": state,
        "partner_index": partner_index,
        "agent_index": agent,
        "team_index": rnd.randrange(team_count) if team_count else None,
        "name": rnd.choice(SUBJECTS[channel]),
        "queued_at": queued_at,
        "answered_at": answered_at,
        "ended_at": ended_at,
        "wrap_up_ended_at": wrap_up_ended_at,
        "hold_seconds": hold,
        "disposition": disposition,
        "is_resolved": disposition in ("resolved", "info", "sale"),
        "is_transferred": state == "done" and rnd.random() < 0.06,
    }
    row.update(durations(queued_at, answered_at, ended_at, wrap_up_ended_at, hold))
    return row


def interactions(m, partner_count, agent_count, team_count, days=90, seed=1, now=None):
    """Yield ``m`` interactions spread over customers, agents and teams.

    Some customers call often: customer indexes follow a skewed distribution.
    """
    rnd = random.Random(f"interactions-{seed}")
    now = (now or datetime(2026, 1, 1)).replace(microsecond=0)
    for _i in range(m):
        partner = None
        if partner_count:
            # a twentieth of the customers make a third of the contacts
            frequent = max(1, partner_count // 20)
            partner = (
                rnd.randrange(frequent)
                if rnd.random() < 0.33
                else rnd.randrange(partner_count)
            )
        yield interaction(rnd, now, days, partner, agent_count, team_count)


def presence_periods(agent_count, days=90, seed=1, now=None):
    """Yield presence periods of agents working shifts with breaks."""
    rnd = random.Random(f"presence-{seed}")
    now = (now or datetime(2026, 1, 1)).replace(microsecond=0)
    start_day = (now - timedelta(days=days)).replace(hour=0, minute=0, second=0)
    for agent in range(agent_count):
        cursor = start_day
        state = "offline"
        for day in range(days):
            date = start_day + timedelta(days=day)
            if date.weekday() >= 5:
                continue
            login = date.replace(hour=rnd.choice((7, 8, 9)), minute=rnd.randint(0, 59))
            plan = [("available", login)]
            t = login
            for _ in range(rnd.randint(2, 3)):
                t += timedelta(minutes=rnd.randint(90, 150))
                plan.append(("break", t))
                t += timedelta(minutes=rnd.randint(10, 45))
                plan.append(("available", t))
            t += timedelta(minutes=rnd.randint(60, 120))
            plan.append(("offline", t))
            for new_state, at in plan:
                if at >= now:
                    break
                yield {
                    "agent_index": agent,
                    "state": state,
                    "start_at": cursor,
                    "end_at": at,
                }
                state, cursor = new_state, at
        yield {"agent_index": agent, "state": state, "start_at": cursor, "end_at": None}
