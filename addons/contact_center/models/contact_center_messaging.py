import json
from collections import defaultdict

from odoo import api, models, tools
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ..tools import messaging
from ..tools.phone import to_e164
from .contact_center_telephony_event import MESSAGE_EVENT_TYPE
from .contact_center_ticket import WRITTEN_CHANNELS


class ContactCenterMessaging(models.AbstractModel):
    """Inbound SMS and social messages, from the messaging webhook to tickets.

    Each message is stored raw in the telephony inbox
    (``contact_center.telephony.event``, type ``message``, its call id the
    conversation ``network:address``), then processed: it continues the
    customer's conversation (their open ticket of that channel and network),
    reopens it when solved, or opens a new ticket, and is logged as one
    inbound interaction. A failure leaves the message in the inbox, failed
    with its error and retryable, and does not stop the others.
    """

    _name = "contact_center.messaging"
    _description = "Contact Center Messaging"

    # ------------------------------------------------------------------
    # Ingestion (the webhook)
    # ------------------------------------------------------------------
    @api.model
    def _address(self, network, sender, country):
        """The customer's address as tickets keep it: E.164 for a number."""
        if network in messaging.PHONE_NETWORKS:
            return to_e164(sender, country) or sender
        return sender

    @api.model
    def _ingest(self, provider, payload):
        """Store the valid messages raw, then process them; the API's answer.

        Raises PayloadError (nothing stored) when the request is unusable;
        else one status per message, in request order: done (with its
        ticket), duplicate (already received), failed (stored, retryable from
        the inbox) or invalid (not stored, with the field at fault).
        """
        provider.ensure_one()
        messages, errors = messaging.validate_messages(payload)
        country = provider._routing_config()["country"]
        results = {error["index"]: {**error, "status": "invalid"} for error in errors}
        rows, seen = [], set()
        for message in messages:
            index = message.pop("index")
            if message["id"] in seen:  # twice in one request: once is enough
                results[index] = {
                    "index": index,
                    "id": message["id"],
                    "status": "duplicate",
                }
                continue
            seen.add(message["id"])
            results[index] = {"index": index, "id": message["id"]}
            address = self._address(message["network"], message["from"], country)
            rows.append(
                (
                    messaging.INBOX_PREFIX + message["id"],
                    messaging.conversation_key(message["network"], address),
                    message["at"],
                    json.dumps(message, default=str),
                )
            )
        # one statement for the request; a message already received (by id,
        # per provider) is skipped by the unique constraint
        self.env.cr.execute(
            """
            INSERT INTO contact_center_telephony_event
                (provider_id, company_id, external_id, call_id, event_type,
                 occurred_at, received_at, payload, state,
                 create_uid, write_uid, create_date, write_date)
            SELECT %(provider)s, %(company)s, v.external_id, v.call_id, %(type)s,
                   v.at, now() at time zone 'UTC', v.payload::jsonb, 'pending',
                   %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
              FROM unnest(%(ids)s::text[], %(calls)s::text[], %(ats)s::timestamp[],
                          %(payloads)s::text[]) AS v(external_id, call_id, at, payload)
            ON CONFLICT (provider_id, external_id) DO NOTHING
            RETURNING id, external_id
            """,
            {
                "provider": provider.id,
                "company": provider.company_id.id,
                "type": MESSAGE_EVENT_TYPE,
                "uid": self.env.uid,
                "ids": [row[0] for row in rows],
                "calls": [row[1] for row in rows],
                "ats": [row[2] for row in rows],
                "payloads": [row[3] for row in rows],
            },
        )
        inserted = dict(self.env.cr.fetchall())
        Event = self.env["contact_center.telephony.event"]
        statuses = Event.browse(inserted)._process() if inserted else {}
        answer = []
        for index in sorted(results):
            result = results[index]
            if "status" not in result:
                inbox_id = messaging.INBOX_PREFIX + str(result["id"])
                result.update(statuses.get(inbox_id) or {"status": "duplicate"})
            answer.append(result)
        return {
            "accepted": sum(r["status"] == "done" for r in answer),
            "duplicates": sum(r["status"] == "duplicate" for r in answer),
            "failed": sum(r["status"] == "failed" for r in answer),
            "invalid": sum(r["status"] == "invalid" for r in answer),
            "messages": answer,
        }

    # ------------------------------------------------------------------
    # Processing (also the inbox's retry)
    # ------------------------------------------------------------------
    @api.model
    def _process_inbox(self, events):
        """Apply these stored messages; return {inbox external id: status}.

        The messages of one provider are applied together in a few set-based
        queries; if that fails, the batch is rolled back to its savepoint and
        applied conversation by conversation, each in its own savepoint, so
        that a failing one is marked failed with its error and the others go
        on (as call events are, see contact_center.telephony.event._process).
        """
        Event = self.env["contact_center.telephony.event"]
        statuses = {}
        by_provider = defaultdict(lambda: defaultdict(list))
        for event in events:
            by_provider[event.provider_id][event.call_id].append(event.id)
        for provider, conversations in by_provider.items():
            applied, errors = {}, {}
            all_ids = [i for ids in conversations.values() for i in ids]
            try:
                with self.env.cr.savepoint():
                    applied = self._apply_messages(provider, Event.browse(all_ids))
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise  # Odoo runs the whole request again
            except Exception:  # noqa: BLE001 - retried conversation by conversation
                self.env.invalidate_all()
                for key, ids in conversations.items():
                    try:
                        with self.env.cr.savepoint():
                            applied.update(
                                self._apply_messages(provider, Event.browse(ids))
                            )
                    except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                        raise
                    except Exception as error:  # noqa: BLE001 - kept, retryable
                        self.env.invalidate_all()
                        errors[key] = str(error) or error.__class__.__name__
            for key, ids in conversations.items():
                if key in errors:
                    Event.browse(ids).write({"state": "failed", "error": errors[key]})
            Event._mark_done(
                {
                    event_id: interaction.id
                    for event_id, (interaction, _ticket) in applied.items()
                }
            )
            for event in Event.browse(all_ids):
                if event.call_id in errors:
                    status = {"status": "failed", "error": errors[event.call_id]}
                else:
                    ticket = applied[event.id][1]
                    status = {"status": "done", "ticket": ticket.reference or None}
                statuses[event.external_id] = status
        return statuses

    @api.model
    def _team_of(self, config, country, to):
        """The team a message to ``to`` reaches: a DID's (a number, or a page
        name entered as the DID's number), else the provider's default."""
        dids = config["dids"]
        team_id = (to and dids.get(to_e164(to, country) or to)) or config[
            "default_team"
        ]
        return self.env["contact_center.team"].browse(team_id or ())

    @api.model
    def _apply_messages(self, provider, events):
        """Turn stored messages into ticket messages and interactions.

        Reads partners, open conversations and already logged messages in one
        query each, creates the new tickets and the interactions in one batch
        each; posting on the chatter is one message_post per message (it
        notifies the ticket's followers). Returns {event id: (interaction,
        ticket)}.
        """
        events._lock_calls(provider, set(events.mapped("call_id")))
        config = provider._routing_config()
        company = provider.company_id
        country = config["country"]
        Interaction = self.env["contact_center.interaction"]
        Partner = self.env["res.partner"]
        Ticket = (
            self.env["contact_center.ticket"]
            .with_company(company)
            .with_context(
                # the customer is answered on their channel, not by email:
                # they do not follow the ticket (see _notify_get_recipients)
                cc_author_follows=True,
                mail_create_nosubscribe=True,
                mail_post_autofollow=False,
            )
        )
        items = []
        for event in events.sorted(lambda e: (e.occurred_at, e.id)):
            message = event.payload
            network = message["network"]
            channel = messaging.channel_of(network)
            items.append(
                {
                    "event": event,
                    "id": message["id"],
                    "network": network,
                    "channel": channel,
                    "social_network": network if channel == "social" else False,
                    "from": message["from"],
                    "is_phone": network in messaging.PHONE_NETWORKS,
                    "address": self._address(network, message["from"], country),
                    "to": message.get("to"),
                    "text": message["text"],
                    "name": message.get("name"),
                    "at": event.occurred_at,
                }
            )
        # a retried message that was already logged keeps its interaction
        logged = {
            interaction.external_id: interaction
            for interaction in Interaction.search(
                [
                    ("provider", "=", config["code"]),
                    ("external_id", "in", [item["id"] for item in items]),
                    ("channel", "in", list(WRITTEN_CHANNELS)),
                ]
            )
        }
        result = {
            item["event"].id: (
                logged[item["id"]],
                Ticket.browse(logged[item["id"]].res_id),
            )
            for item in items
            if item["id"] in logged
        }
        todo = [item for item in items if item["id"] not in logged]
        if not todo:
            return result
        partners = Partner._cc_find_by_phones(
            [item["from"] for item in todo if item["is_phone"]], country, company
        )
        # the conversation of each address: its latest ticket that is not
        # closed (a closed conversation stays closed: a new one starts)
        latest = {}
        for ticket in Ticket.search(
            [
                ("company_id", "=", company.id),
                ("channel", "in", list(WRITTEN_CHANNELS)),
                ("contact_address", "in", list({item["address"] for item in todo})),
                ("stage_id.is_closed", "=", False),
            ],
            order="id desc",
        ):
            key = (
                ticket.channel,
                ticket.social_network or False,
                ticket.contact_address,
            )
            latest.setdefault(key, ticket)
        teams = {}
        new_vals, new_keys = [], []
        for item in todo:
            key = (item["channel"], item["social_network"], item["address"])
            item["key"] = key
            item["partner"] = partners.get(item["from"], Partner)
            if key in latest or key in new_keys:
                continue
            to = item["to"]
            if to not in teams:
                teams[to] = self._team_of(config, country, to)
            new_keys.append(key)
            new_vals.append(
                {
                    "name": messaging.subject(
                        item["text"],
                        self.env._("Message from %s", item["name"] or item["address"]),
                    ),
                    "description": tools.plaintext2html(item["text"]),
                    "channel": item["channel"],
                    "social_network": item["social_network"],
                    "contact_address": item["address"],
                    "messaging_provider_id": provider.id,
                    "partner_id": item["partner"].id or False,
                    "team_id": teams[to].id or False,
                    "company_id": company.id,
                    "received_at": item["at"],
                    "acknowledgement_skipped": self.env._(
                        "no acknowledgement on SMS and social messages"
                    ),
                }
            )
        created = Ticket.create(new_vals) if new_vals else Ticket
        new_tickets = dict(zip(new_keys, created, strict=True))
        # a solved conversation reopens, as a customer's email reopens it
        continued = Ticket.concat(
            *{latest[item["key"]] for item in todo if item["key"] in latest}
        )
        continued.filtered("is_solved")._reopen_by_customer()
        # a number an agent has since saved on a contact names the customer
        for ticket in continued.filtered(lambda t: not t.partner_id):
            partner = next(
                (
                    item["partner"]
                    for item in todo
                    if item["key"] in latest
                    and latest[item["key"]] == ticket
                    and item["partner"]
                ),
                None,
            )
            if partner:
                ticket.partner_id = partner
        first_at = {}
        interaction_vals = []
        for item in todo:
            ticket = latest.get(item["key"]) or new_tickets[item["key"]]
            item["ticket"] = ticket
            partner = ticket.partner_id or item["partner"]
            name = item["name"] or partner.name
            ticket.with_context(cc_customer_message=True).message_post(
                body=tools.plaintext2html(item["text"]),
                author_id=partner.id or False,
                email_from=f"{name} ({item['address']})" if name else item["address"],
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            if item["key"] in latest:
                first_at.setdefault(ticket, item["at"])
            interaction_vals.append(
                {
                    "name": messaging.subject(item["text"], ticket.name)[:200],
                    "channel": item["channel"],
                    "direction": "inbound",
                    "state": "done",
                    "company_id": company.id,
                    "partner_id": partner.id or False,
                    "phone": item["from"] if item["is_phone"] else False,
                    "social_network": item["social_network"],
                    "team_id": ticket.team_id.id,
                    "agent_id": ticket.agent_id.id,
                    "queued_at": item["at"],
                    "answered_at": item["at"],
                    "ended_at": item["at"],
                    "res_model": ticket._name,
                    "res_id": ticket.id,
                    "provider": config["code"],
                    "external_id": item["id"],
                }
            )
        # a customer message after an answer starts a next-response target
        by_at = defaultdict(list)
        for ticket, at in first_at.items():
            by_at[at].append(ticket.id)
        for at, ticket_ids in by_at.items():
            Ticket.browse(ticket_ids)._sla_customer_wrote(at)
        # sudo: interactions are the system's record of the messages
        interactions = Interaction.sudo().create(interaction_vals)
        for item, interaction in zip(todo, interactions, strict=True):
            result[item["event"].id] = (interaction, item["ticket"])
        return result
