import re
from datetime import datetime, time

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import SQL, html2plaintext

from ..tools import keyset

PAGE_SIZE_MAX = 200
SUMMARY_LENGTH = 160

# partial index of mail_message on the models the timeline reads
MESSAGE_INDEX = "contact_center_mail_message_timeline_idx"
TIMELINE_CHANNELS = ["phone", "email", "chat", "sms", "social", "other", "note"]
TIMELINE_DIRECTIONS = ["inbound", "outbound", "internal"]

# How chatter messages map to timeline channels and directions.
_MSG_INBOUND = [("message_type", "=", "email")]
_MSG_OUTBOUND = [
    "|",
    ("message_type", "=", "email_outgoing"),
    "&",
    ("message_type", "=", "comment"),
    ("subtype_id.internal", "=", False),
]
_MSG_NOTE = ["&", ("message_type", "=", "comment"), ("subtype_id.internal", "=", True)]
_MSG_CHANNEL_DOMAINS = {
    "email": expression.OR([_MSG_INBOUND, _MSG_OUTBOUND]),
    "note": _MSG_NOTE,
}
_MSG_DIRECTION_DOMAINS = {
    "inbound": _MSG_INBOUND,
    "outbound": _MSG_OUTBOUND,
    "internal": _MSG_NOTE,
}
# partial index of contact_center_ticket the ticket source pages by date

# How an entry's outcome reads: the colour of its badge.
TONES = ("success", "warning", "danger", "neutral")
STATE_TONES = {
    "queued": "warning",
    "ringing": "warning",
    "in_progress": "neutral",
    "wrap_up": "neutral",
    "done": "success",
    "abandoned": "danger",
    "missed": "danger",
    "failed": "danger",
}
# dispositions whose meaning their positive/neutral/negative outcome misses:
# an escalation went wrong, a callback or a voicemail still needs a follow-up
DISPOSITION_TONES = {
    "escalated": "danger",
    "callback": "warning",
    "no_answer": "warning",
    "voicemail": "warning",
}
DISPOSITION_OUTCOME_TONES = {"positive": "success", "negative": "danger"}


def interaction_tone(
    state,
    disposition_code=None,
    disposition_outcome=None,
    is_resolved=False,
    awaiting_reply=False,
):
    """The tone of an interaction's outcome: success, warning, danger or neutral.

    A contact that failed (abandoned, missed, failed) is danger whatever was
    recorded on it; then the disposition speaks (escalated is danger, a
    callback or voicemail a warning, else its outcome); then an inbound email
    nobody answered yet is a warning; a resolved contact is a success; else
    the state decides (queued and ringing wait, done succeeded).
    """
    state_tone = STATE_TONES.get(state, "neutral")
    if state_tone == "danger":
        return "danger"
    if disposition_code in DISPOSITION_TONES:
        return DISPOSITION_TONES[disposition_code]
    if disposition_outcome == "negative":
        return "danger"
    if awaiting_reply:
        return "warning"
    if is_resolved or disposition_outcome == "positive":
        return "success"
    return state_tone


def ticket_tone(is_done, is_waiting_customer, sla_status):
    """The tone of a ticket: solved or closed, waiting, breached, or open."""
    if is_done:
        return "success"
    if sla_status == "breached":
        return "danger"
    if is_waiting_customer:
        return "warning"
    return "neutral"


class ContactCenterTimeline(models.AbstractModel):
    """The customer timeline: every contact with a customer, newest first.

    Each *source* (interactions, chatter messages on the customer, messages on
    their leads; tickets, survey answers and campaign attempts from other
    addons) contributes one branch to a single ``UNION ALL`` query.  Every
    branch is ordered and limited on its own index, and the page is cut with
    a keyset cursor on (timestamp, source rank, id), so the first page and the
    ten-thousandth cost the same.

    Addons add a source by overriding :meth:`_timeline_sources` and appending
    a descriptor (see :meth:`_timeline_source`).
    """

    _name = "contact_center.timeline"
    _description = "Customer Timeline"

    def init(self):
        # Message branches page a record's chatter by date: without this index
        # PostgreSQL reads and sorts every message of the record (mail's own
        # index is on (model, res_id, id)). It is partial: only the messages
        # of the models the timeline reads, not every chatter of the database.
        # Rebuilt when that list changes (an addon adds a message source).
        cr = self.env.cr
        models = sorted(self._timeline_message_models())
        cr.execute(
            """
            SELECT pg_get_expr(i.indpred, i.indrelid)
              FROM pg_index i
              JOIN pg_class c ON c.oid = i.indexrelid
             WHERE c.relname = %s
            """,
            (MESSAGE_INDEX,),
        )
        row = cr.fetchone()
        if row and row[0] and sorted(re.findall(r"'([^']+)'", row[0])) == models:
            return
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(MESSAGE_INDEX)))
        cr.execute(
            SQL(
                """
                CREATE INDEX %s ON mail_message (model, res_id, date DESC, id DESC)
                 WHERE model IN %s
                """,
                SQL.identifier(MESSAGE_INDEX),
                tuple(models),
            )
        )

    @api.model
    def _timeline_message_models(self):
        """Models whose chatter messages a timeline source lists.

        The partial index on ``mail_message`` covers these; an addon that adds
        a message source (:meth:`_timeline_message_source`) adds its model here.
        """
        return {"res.partner", "crm.lead"}

    # ------------------------------------------------------------------
    # Source registry
    # ------------------------------------------------------------------
    @api.model
    def _timeline_source(
        self, key, rank, model, date_field, query, hydrate, channels, directions
    ):
        """Describe a timeline source.

        :param key: unique name of the source (``interaction``)
        :param rank: unique integer breaking ties between sources at one instant
        :param model: model whose rows the source lists
        :param date_field: column of ``model`` the timeline orders by
        :param query: ``callable(partner_ids, channels, directions) -> Query``
            returning the rows of ``model`` for those customers, filtered by
            channels and directions, with access rules applied; or None when
            the filters exclude the whole source
        :param hydrate: ``callable(records) -> {id: entry dict}``
        :param channels, directions: the values this source can produce
        """
        return {
            "key": key,
            "rank": rank,
            "model": model,
            "date_field": date_field,
            "query": query,
            "hydrate": hydrate,
            "channels": set(channels),
            "directions": set(directions),
        }

    @api.model
    def _timeline_sources(self):
        """Return the list of source descriptors; override to add sources."""
        sources = []
        Interaction = self.env["contact_center.interaction"]
        if Interaction.has_access("read"):
            sources.append(
                self._timeline_source(
                    "interaction",
                    30,
                    "contact_center.interaction",
                    "queued_at",
                    self._query_interactions,
                    self._hydrate_interactions,
                    [c for c in TIMELINE_CHANNELS if c != "note"],
                    ["inbound", "outbound"],
                )
            )
        if self.env["contact_center.ticket"].has_access("read"):
            sources.append(
                self._timeline_source(
                    "ticket",
                    40,
                    "contact_center.ticket",
                    "received_at",
                    self._query_tickets,
                    self._hydrate_tickets,
                    [c for c in TIMELINE_CHANNELS if c != "note"],
                    # a ticket is a request the customer made
                    ["inbound"],
                )
            )
        sources.append(
            self._timeline_message_source(
                "partner_message", 20, "res.partner", lambda partner_ids: partner_ids
            )
        )
        if self.env["crm.lead"].has_access("read"):
            sources.append(
                self._timeline_message_source(
                    "lead_message",
                    10,
                    "crm.lead",
                    lambda partner_ids: self.env["crm.lead"]._search(
                        [("partner_id", "in", partner_ids)]
                    ),
                )
            )
        return sources

    @api.model
    def _timeline_message_source(self, key, rank, model, records_of):
        """A source listing the chatter messages of ``model`` records.

        ``records_of(partner_ids)`` returns the ids (list or Query, with the
        user's access rules applied) of the ``model`` records whose messages
        belong to the timeline of those customers.
        """

        def query(partner_ids, channels, directions):
            domain = expression.AND(
                [
                    [
                        ("model", "=", model),
                        ("res_id", "in", records_of(partner_ids)),
                        ("message_type", "in", ["email", "email_outgoing", "comment"]),
                    ],
                    # filters that keep everything are left out of the query
                    []
                    if set(channels) >= set(_MSG_CHANNEL_DOMAINS)
                    else expression.OR([_MSG_CHANNEL_DOMAINS[c] for c in channels]),
                    []
                    if set(directions) >= set(_MSG_DIRECTION_DOMAINS)
                    else expression.OR([_MSG_DIRECTION_DOMAINS[d] for d in directions]),
                ]
            )
            # sudo: mail.message's own _search post-filters every row in
            # Python; access is already enforced through records_of(), which
            # only yields records the user can read.
            return self.env["mail.message"].sudo()._search(domain)

        source = self._timeline_source(
            key,
            rank,
            "mail.message",
            "date",
            query,
            self._hydrate_messages,
            ["email", "note"],
            TIMELINE_DIRECTIONS,
        )
        source["message_model"] = model
        return source

    # ------------------------------------------------------------------
    # Core sources
    # ------------------------------------------------------------------
    @api.model
    def _query_interactions(self, partner_ids, channels, directions):
        Interaction = self.env["contact_center.interaction"]
        domain = [("partner_id", "in", partner_ids)]
        # filters that keep everything are left out of the query
        if set(channels) < {c for c, _l in Interaction._fields["channel"].selection}:
            domain.append(("channel", "in", channels))
        if set(directions) < {
            d for d, _l in Interaction._fields["direction"].selection
        }:
            domain.append(("direction", "in", directions))
        return Interaction._search(domain)

    @api.model
    def _hydrate_interactions(self, interactions):
        states = dict(interactions._fields["state"]._description_selection(self.env))
        replies = self._email_replies(interactions)
        result = {}
        for rec in interactions:
            disposition = rec.disposition_id
            awaiting = answered = False
            if rec.id in replies and rec.state == "done":
                answered, closed = replies[rec.id]
                awaiting = not (answered or closed or rec.is_resolved)
            if disposition:
                outcome = disposition.name
            elif awaiting:
                outcome = self.env._("Awaiting reply")
            elif answered:
                outcome = self.env._("Answered")
            else:
                outcome = states[rec.state]
            result[rec.id] = {
                "at": rec.queued_at,
                "channel": rec.channel,
                "direction": rec.direction,
                "title": rec.name or states[rec.state],
                "reference": "",
                "summary": (rec.note or "")[:SUMMARY_LENGTH],
                "handled_by": rec.agent_id.name or "",
                "duration_seconds": rec.talk_seconds or rec.handle_seconds or 0,
                "outcome": outcome,
                "tone": interaction_tone(
                    rec.state,
                    disposition.code,
                    disposition.outcome,
                    rec.is_resolved,
                    awaiting,
                ),
                "state": rec.state,
                # open the record the contact belongs to (a ticket...) if any
                "res_model": rec.res_model or rec._name,
                "res_id": rec.res_id if rec.res_model else rec.id,
                "recording_url": rec.recording_url or "",
            }
        return result

    @api.model
    def _email_replies(self, interactions):
        """{id: (answered, closed)} for the inbound emails of ``interactions``.

        An inbound email is answered when an outbound email follows it on the
        same record (its ticket), or to the same customer when it belongs to
        no record; closed when its ticket is solved or closed. One query for
        the whole page.
        """
        emails = interactions.filtered(
            lambda i: i.channel == "email" and i.direction == "inbound"
        )
        if not emails:
            return {}
        self.env["contact_center.interaction"].flush_model()
        self.env["contact_center.ticket"].flush_model(["stage_id"])
        self.env.cr.execute(
            """
            SELECT i.id,
                   EXISTS (
                       SELECT 1 FROM contact_center_interaction o
                        WHERE o.channel = 'email' AND o.direction = 'outbound'
                          AND o.queued_at >= i.queued_at AND o.id != i.id
                          AND CASE WHEN i.res_model IS NOT NULL
                                   THEN o.res_model = i.res_model
                                        AND o.res_id = i.res_id
                                   ELSE o.partner_id = i.partner_id END
                   ),
                   COALESCE(s.is_solved OR s.is_closed, FALSE)
              FROM contact_center_interaction i
         LEFT JOIN contact_center_ticket t
                ON i.res_model = 'contact_center.ticket' AND t.id = i.res_id
         LEFT JOIN contact_center_ticket_stage s ON s.id = t.stage_id
             WHERE i.id = ANY(%s)
            """,
            (emails.ids,),
        )
        return {row[0]: (row[1], row[2]) for row in self.env.cr.fetchall()}

    @api.model
    def _query_tickets(self, partner_ids, channels, directions):
        Ticket = self.env["contact_center.ticket"]
        domain = [("partner_id", "in", partner_ids), ("received_at", "!=", False)]
        # filters that keep everything are left out of the query
        if set(channels) < set(Ticket._fields["channel"].get_values(self.env)):
            domain.append(("channel", "in", channels))
        return Ticket._search(domain)

    @api.model
    def _hydrate_tickets(self, tickets):
        result = {}
        for ticket in tickets:
            stage = ticket.stage_id
            text = re.sub(r"\s+", " ", html2plaintext(ticket.description or ""))
            result[ticket.id] = {
                "at": ticket.received_at,
                "channel": ticket.channel,
                "direction": "inbound",
                "title": ticket.name,
                "reference": ticket.reference or "",
                "summary": text.strip()[:SUMMARY_LENGTH],
                "handled_by": ticket.agent_id.name or "",
                "duration_seconds": 0,
                "outcome": stage.name or "",
                "tone": ticket_tone(
                    stage.is_solved or stage.is_closed,
                    stage.is_waiting_customer,
                    ticket.sla_status,
                ),
                "state": "",
                "res_model": ticket._name,
                "res_id": ticket.id,
                "recording_url": "",
            }
        return result

    @api.model
    def _hydrate_messages(self, messages):
        messages = messages.sudo()  # sudo: rows come from an access-checked query
        result = {}
        for msg in messages:
            if msg.message_type == "email":
                channel, direction = "email", "inbound"
            elif msg.message_type == "comment" and msg.subtype_id.internal:
                channel, direction = "note", "internal"
            else:
                channel, direction = "email", "outbound"
            text = re.sub(r"\s+", " ", html2plaintext(msg.body or "")).strip()
            result[msg.id] = {
                "at": msg.date,
                "channel": channel,
                "direction": direction,
                "title": msg.subject or msg.record_name or "",
                "reference": "",
                "summary": text[:SUMMARY_LENGTH],
                "handled_by": msg.author_id.name or msg.email_from or "",
                "duration_seconds": 0,
                "outcome": "",
                "tone": "neutral",
                "state": "",
                "res_model": msg.model,
                "res_id": msg.res_id,
                "recording_url": "",
            }
        return result

    # ------------------------------------------------------------------
    # Query
    # ------------------------------------------------------------------
    @api.model
    def _parse_filters(self, filters):
        filters = filters or {}
        channels = filters.get("channels") or TIMELINE_CHANNELS
        directions = filters.get("directions") or TIMELINE_DIRECTIONS
        unknown = set(channels) - set(TIMELINE_CHANNELS)
        if unknown:
            raise UserError(
                self.env._(
                    "Unknown timeline channel(s): %s", ", ".join(sorted(unknown))
                )
            )
        unknown = set(directions) - set(TIMELINE_DIRECTIONS)
        if unknown:
            raise UserError(
                self.env._(
                    "Unknown timeline direction(s): %s", ", ".join(sorted(unknown))
                )
            )
        try:
            date_from = filters.get("date_from") and datetime.combine(
                fields.Date.to_date(filters["date_from"]), time.min
            )
            date_to = filters.get("date_to") and datetime.combine(
                fields.Date.to_date(filters["date_to"]), time.max
            )
        except (TypeError, ValueError) as exc:
            raise UserError(self.env._("Invalid timeline date: %s", exc)) from exc
        return list(channels), list(directions), date_from, date_to

    @api.model
    def _customer_partner_ids(self, partner):
        """The customer and, for a company, its contacts."""
        commercial = partner.commercial_partner_id
        if commercial.is_company:
            return (
                commercial.with_context(active_test=False)
                .search([("id", "child_of", commercial.id)])
                .ids
            )
        return partner.ids

    @api.model
    def _branch_sql(
        self, source, partner_ids, channels, directions, bounds, cursor, limit
    ):
        channels = [c for c in channels if c in source["channels"]]
        directions = [d for d in directions if d in source["directions"]]
        if not channels or not directions:
            return None
        query = source["query"](partner_ids, channels, directions)
        if query is None or query.is_empty():
            return None
        at = SQL.identifier(query.table, source["date_field"])
        row_id = SQL.identifier(query.table, "id")
        date_from, date_to = bounds
        if date_from:
            query.add_where(SQL("%s >= %s", at, date_from))
        if date_to:
            query.add_where(SQL("%s <= %s", at, date_to))
        if cursor:
            c_at, c_rank, c_id = cursor
            how = keyset.branch_condition(source["rank"], c_rank)
            if how == "le":
                query.add_where(SQL("%s <= %s", at, c_at))
            elif how == "lt":
                query.add_where(SQL("%s < %s", at, c_at))
            else:
                query.add_where(SQL("(%s, %s) < (%s, %s)", at, row_id, c_at, c_id))
        query.order = SQL("%s DESC, %s DESC", at, row_id)
        query.limit = limit
        return SQL(
            "(%s)",
            query.select(
                SQL("%s AS at", at),
                SQL("%s AS rank", source["rank"]),
                SQL("%s AS id", row_id),
            ),
        )

    @api.model
    def get_page(self, partner_id, filters=None, cursor=None, limit=40):
        """Return one page of a customer's timeline.

        :param filters: dict with optional ``channels``, ``directions`` (lists)
            and ``date_from``, ``date_to`` (dates, inclusive)
        :param cursor: the ``next_cursor`` of the previous page, or None
        :returns: ``{"entries": [...], "next_cursor": str or False}``
        """
        if not self.env.user._is_internal():
            raise AccessError(
                self.env._("The customer timeline is for employees only.")
            )
        partner = self.env["res.partner"].browse(int(partner_id)).exists()
        if not partner:
            return {"entries": [], "next_cursor": False}
        partner.check_access("read")
        limit = max(1, min(int(limit or 40), PAGE_SIZE_MAX))
        channels, directions, date_from, date_to = self._parse_filters(filters)
        try:
            parsed_cursor = keyset.decode(cursor) if cursor else None
        except keyset.CursorError as exc:
            raise UserError(self.env._("Invalid timeline cursor.")) from exc
        partner_ids = self._customer_partner_ids(partner)
        sources = {s["rank"]: s for s in self._timeline_sources()}
        branches = [
            sql
            for source in sources.values()
            if (
                sql := self._branch_sql(
                    source,
                    partner_ids,
                    channels,
                    directions,
                    (date_from, date_to),
                    parsed_cursor,
                    limit + 1,
                )
            )
        ]
        if not branches:
            return {"entries": [], "next_cursor": False}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT at, rank, id FROM (%s) AS timeline "
                "ORDER BY at DESC, rank DESC, id DESC LIMIT %s",
                SQL(" UNION ALL ").join(branches),
                limit + 1,
            )
        )
        rows = self.env.cr.fetchall()
        has_more = len(rows) > limit
        rows = rows[:limit]
        ids_by_rank = {}
        for _at, rank, row_id in rows:
            ids_by_rank.setdefault(rank, []).append(row_id)
        hydrated = {}
        for rank, ids in ids_by_rank.items():
            source = sources[rank]
            records = self.env[source["model"]].browse(ids)
            for row_id, entry in source["hydrate"](records).items():
                hydrated[rank, row_id] = entry
        entries = []
        for at, rank, row_id in rows:
            entry = dict(hydrated[rank, row_id])
            entry.update(
                key=f"{sources[rank]['key']}-{row_id}",
                source=sources[rank]["key"],
                at=fields.Datetime.to_string(at),
            )
            entries.append(entry)
        next_cursor = keyset.encode(*rows[-1]) if has_more else False
        return {"entries": entries, "next_cursor": next_cursor}
