from datetime import timedelta

from odoo.exceptions import UserError

from .common import T0, ContactCenterCase


class TestTimeline(ContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Timeline = cls.env["contact_center.timeline"]
        cls.note = cls.env.ref("mail.mt_note")
        cls.comment = cls.env.ref("mail.mt_comment")
        cls.lead = cls.env["crm.lead"].create(
            {"name": "Renewal", "partner_id": cls.customer.id}
        )
        # a small history: calls, an email and a chat, messages on the
        # customer and on their lead, some at the very same instant
        cls.call_1 = cls._interaction(name="call 1", queued_at=T0)
        cls.email_in = cls._interaction(
            name="email in", channel="email", queued_at=T0 + timedelta(minutes=10)
        )
        cls.chat_out = cls._interaction(
            name="chat out",
            channel="chat",
            direction="outbound",
            queued_at=T0 + timedelta(minutes=20),
        )
        cls.call_2 = cls._interaction(
            name="call 2", queued_at=T0 + timedelta(minutes=30)
        )
        cls.msg_note = cls._message(
            "res.partner", cls.customer.id, T0 + timedelta(minutes=30), note=True
        )
        cls.msg_email = cls._message(
            "res.partner",
            cls.customer.id,
            T0 + timedelta(minutes=5),
            message_type="email",
        )
        cls.msg_lead = cls._message("crm.lead", cls.lead.id, T0 + timedelta(minutes=30))
        # noise: another customer's history never shows
        other = cls.env["res.partner"].create({"name": "Someone Else"})
        cls._interaction(
            name="other", partner_id=other.id, queued_at=T0 + timedelta(minutes=15)
        )
        cls._message("res.partner", other.id, T0 + timedelta(minutes=15))

    @classmethod
    def _message(cls, model, res_id, date, note=False, message_type="comment"):
        return cls.env["mail.message"].create(
            {
                "model": model,
                "res_id": res_id,
                "date": date,
                "message_type": message_type,
                "subtype_id": (cls.note if note else cls.comment).id,
                "body": f"<p>{model} message at {date}</p>",
                "author_id": cls.env.user.partner_id.id,
            }
        )

    def _keys(self, entries):
        return [e["key"] for e in entries]

    def _all_pages(self, limit, **kwargs):
        entries, cursor, pages = [], None, 0
        while True:
            page = self.Timeline.get_page(
                self.customer.id, cursor=cursor, limit=limit, **kwargs
            )
            entries += page["entries"]
            pages += 1
            cursor = page["next_cursor"]
            if not cursor:
                return entries, pages

    def test_newest_first_across_sources(self):
        page = self.Timeline.get_page(self.customer.id)
        keys = self._keys(page["entries"])
        # at T0+30min three sources tie: interaction (rank 30), partner message
        # (20), lead message (10); then older rows
        self.assertEqual(
            keys,
            [
                f"interaction-{self.call_2.id}",
                f"partner_message-{self.msg_note.id}",
                f"lead_message-{self.msg_lead.id}",
                f"interaction-{self.chat_out.id}",
                f"interaction-{self.email_in.id}",
                f"partner_message-{self.msg_email.id}",
                f"interaction-{self.call_1.id}",
            ],
        )
        self.assertFalse(page["next_cursor"])
        ats = [e["at"] for e in page["entries"]]
        self.assertEqual(ats, sorted(ats, reverse=True))

    def test_entries_describe_the_contact(self):
        self.call_2.write(
            {
                "answered_at": T0 + timedelta(minutes=31),
                "ended_at": T0 + timedelta(minutes=36),
                "state": "in_progress",
            }
        )
        entry = self.Timeline.get_page(self.customer.id, limit=1)["entries"][0]
        self.assertEqual(entry["channel"], "phone")
        self.assertEqual(entry["direction"], "inbound")
        self.assertEqual(entry["title"], "call 2")
        self.assertEqual(entry["handled_by"], self.agent.name)
        self.assertEqual(entry["duration_seconds"], 300)
        self.assertEqual(
            (entry["res_model"], entry["res_id"]),
            ("contact_center.interaction", self.call_2.id),
        )
        note = self.Timeline.get_page(self.customer.id, filters={"channels": ["note"]})[
            "entries"
        ]
        self.assertEqual(
            [(n["channel"], n["direction"]) for n in note], [("note", "internal")]
        )
        self.assertIn("res.partner message", note[0]["summary"])

    def test_cursor_walks_every_entry_once_whatever_the_page_size(self):
        full = self._keys(self.Timeline.get_page(self.customer.id)["entries"])
        for limit in (1, 2, 3, 5):
            with self.subTest(limit=limit):
                entries, pages = self._all_pages(limit)
                self.assertEqual(self._keys(entries), full)
                self.assertEqual(pages, -(-len(full) // limit))

    def test_filter_by_channel(self):
        page = self.Timeline.get_page(self.customer.id, filters={"channels": ["phone"]})
        self.assertEqual(
            self._keys(page["entries"]),
            [f"interaction-{self.call_2.id}", f"interaction-{self.call_1.id}"],
        )
        emails = self.Timeline.get_page(
            self.customer.id, filters={"channels": ["email"]}
        )
        self.assertEqual(
            {e["source"] for e in emails["entries"]},
            {"interaction", "partner_message", "lead_message"},
        )
        self.assertNotIn(
            f"partner_message-{self.msg_note.id}", self._keys(emails["entries"])
        )

    def test_filter_by_direction(self):
        page = self.Timeline.get_page(
            self.customer.id, filters={"directions": ["outbound"]}
        )
        # the outbound chat, and the lead message sent to followers
        self.assertEqual(
            self._keys(page["entries"]),
            [f"lead_message-{self.msg_lead.id}", f"interaction-{self.chat_out.id}"],
        )
        inbound = self.Timeline.get_page(
            self.customer.id, filters={"directions": ["inbound"]}
        )
        self.assertIn(
            f"partner_message-{self.msg_email.id}", self._keys(inbound["entries"])
        )

    def test_filter_by_date_range_with_cursor(self):
        filters = {
            "date_from": "2026-03-02",
            "date_to": "2026-03-02",
            "channels": ["phone", "chat"],
        }
        entries, _pages = self._all_pages(1, filters=filters)
        self.assertEqual(len(entries), 3)
        filters["date_from"] = "2026-03-03"
        self.assertFalse(
            self.Timeline.get_page(self.customer.id, filters=filters)["entries"]
        )

    def test_company_timeline_includes_its_contacts(self):
        company = self.env["res.partner"].create({"name": "Acme", "is_company": True})
        self.customer.parent_id = company
        keys = self._keys(self.Timeline.get_page(company.id)["entries"])
        self.assertIn(f"interaction-{self.call_1.id}", keys)

    def test_bad_input_gets_clear_errors(self):
        with self.assertRaisesRegex(UserError, "Unknown timeline channel"):
            self.Timeline.get_page(self.customer.id, filters={"channels": ["fax"]})
        with self.assertRaisesRegex(UserError, "Invalid timeline cursor"):
            self.Timeline.get_page(self.customer.id, cursor="not-a-cursor")
        with self.assertRaisesRegex(UserError, "Invalid timeline date"):
            self.Timeline.get_page(self.customer.id, filters={"date_from": "yesterday"})

    def test_lead_messages_follow_lead_access(self):
        salesman = self.env["res.users"].create(
            {
                "name": "Own Leads Only",
                "login": "cc_own_leads",
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            self.env.ref(
                                "contact_center.group_contact_center_agent"
                            ).id,
                            self.env.ref("sales_team.group_sale_salesman").id,
                        ],
                    )
                ],
            }
        )
        self.lead.user_id = self.user_agent2
        keys = self._keys(
            self.Timeline.with_user(salesman).get_page(self.customer.id)["entries"]
        )
        self.assertNotIn(f"lead_message-{self.msg_lead.id}", keys)
        self.assertIn(f"interaction-{self.call_1.id}", keys)

    def _page_query_count(self, **kwargs):
        """Queries of one timeline page, caches warm, records not in memory."""
        self.Timeline.get_page(self.customer.id, **kwargs)  # warm caches
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        self.Timeline.get_page(self.customer.id, **kwargs)
        return self.cr.sql_log_count - before

    def _grow_history(self, size):
        """Add ``size`` older calls, customer messages, leads and lead messages."""
        older = [T0 - timedelta(days=1, minutes=n) for n in range(size)]
        for n, date in enumerate(older):
            self._interaction(name=f"old call {n}", queued_at=date)
            self._message("res.partner", self.customer.id, date)
        leads = self.env["crm.lead"].create(
            [
                {"name": f"Old deal {n}", "partner_id": self.customer.id}
                for n in range(size)
            ]
        )
        for lead, date in zip(leads, older, strict=True):
            self._message("crm.lead", lead.id, date)
        self._tickets(older)

    def _tickets(self, dates):
        """Tickets of the customer received at ``dates``, some on their emails."""
        tickets = (
            self.env["contact_center.ticket"]
            .with_context(cc_skip_routing=True)
            .create(
                [
                    {"name": f"Request {n}", "partner_id": self.customer.id}
                    for n in range(len(dates))
                ]
            )
        )
        for n, (ticket, date) in enumerate(zip(tickets, dates, strict=True)):
            ticket.received_at = date
            if n % 2:  # the inbound email the ticket came from
                self._interaction(
                    channel="email",
                    state="done",
                    queued_at=date,
                    answered_at=date,
                    ended_at=date,
                    res_model=ticket._name,
                    res_id=ticket.id,
                )

    def test_page_is_one_query_whatever_the_history(self):
        # every kind of entry is on the first pages: tickets and emails too
        self._tickets([T0 + timedelta(minutes=40), T0 + timedelta(minutes=45)])
        for kwargs in ({"limit": 3}, {"limit": 40}):
            with self.subTest(**kwargs):
                small = self._page_query_count(**kwargs)
                self._grow_history(30)
                large = self._page_query_count(**kwargs)
                self.assertEqual(small, large, "queries grow with the history")
                # and they do not creep either
                self.assertLessEqual(large, 12)

    def test_message_index_is_partial_on_the_models_the_timeline_reads(self):
        self.cr.execute(
            """
            SELECT c.relname, pg_get_expr(i.indpred, i.indrelid)
              FROM pg_index i
              JOIN pg_class c ON c.oid = i.indexrelid
              JOIN pg_class t ON t.oid = i.indrelid
             WHERE t.relname = 'mail_message' AND c.relname LIKE 'contact_center%%'
            """
        )
        indexes = dict(self.cr.fetchall())
        self.assertEqual(list(indexes), ["contact_center_mail_message_timeline_idx"])
        predicate = indexes["contact_center_mail_message_timeline_idx"]
        self.assertTrue(predicate, "the index covers every message of the database")
        read = {
            source["message_model"]
            for source in self.Timeline._timeline_sources()
            if source.get("message_model")
        }
        self.assertEqual(read, {"res.partner", "crm.lead"})
        for model in read:
            self.assertIn(f"'{model}'", predicate)
        self.assertNotIn("'mail.channel'", predicate)

    def test_message_index_is_rebuilt_when_it_covers_other_models(self):
        # as left by an older version: on every message of the database
        self.cr.execute(
            """
            DROP INDEX contact_center_mail_message_timeline_idx;
            CREATE INDEX contact_center_mail_message_timeline_idx
                ON mail_message (model, res_id, date DESC, id DESC)
            """
        )
        self.Timeline.init()
        self.cr.execute(
            """
            SELECT pg_get_expr(i.indpred, i.indrelid)
              FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
             WHERE c.relname = 'contact_center_mail_message_timeline_idx'
            """
        )
        (predicate,) = self.cr.fetchone()
        self.assertIn("'res.partner'", predicate or "")
