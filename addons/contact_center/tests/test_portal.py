"""Customers see and answer their own tickets on the portal, and nothing else."""

import json

from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

# what a customer must never read of their ticket, by any route
INTERNAL_FIELDS = [
    "tier_id",
    "classification_rule_id",
    "routing_reason",
    "acknowledged_at",
    "acknowledged_email",
    "acknowledgement_skipped",
    "sla_ids",
    "sla_status",
    "sla_deadline",
    "agent_id",
    "user_id",
    "team_id",
    "skill_ids",
    "tag_ids",
    "reason_id",
    "interaction_ids",
    "first_response_at",
    "reopen_count",
]
# what the customer reads
PUBLIC_FIELDS = ["reference", "name", "stage_id", "description", "received_at"]


@tagged("post_install", "-at_install")
class TestTicketPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["contact_center.sla.policy"].search([]).active = False
        cls.customer_user = new_test_user(
            cls.env, "cc_portal_cust", groups="base.group_portal"
        )
        other = cls.env["res.partner"].create({"name": "Other Customer"})
        Ticket = cls.env["contact_center.ticket"]
        cls.own = Ticket.create(
            {
                "name": "My printer is on fire",
                "partner_id": cls.customer_user.partner_id.id,
                "description": "<p>Smoke everywhere</p>",
            }
        )
        cls.foreign = Ticket.create(
            {"name": "Somebody else's secret", "partner_id": other.id}
        )
        cls.own.message_post(
            body="We replaced the toner",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        cls.own.message_post(
            body="INTERNAL: customer is difficult",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    def _fetch_messages(self, ticket):
        response = self.url_open(
            "/mail/chatter_fetch",
            data=json.dumps(
                {
                    "params": {
                        "thread_model": ticket._name,
                        "thread_id": ticket.id,
                        "limit": 50,
                    }
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        return json.dumps(response.json())

    def test_list_shows_own_tickets_only(self):
        self.authenticate("cc_portal_cust", "cc_portal_cust")
        page = self.url_open("/my/tickets").text
        self.assertIn(self.own.reference, page)
        self.assertNotIn(self.foreign.reference, page)
        home = self.url_open("/my/home").text
        self.assertIn("/my/tickets", home)

    def test_ticket_page_and_public_messages(self):
        self.authenticate("cc_portal_cust", "cc_portal_cust")
        page = self.url_open(f"/my/tickets/{self.own.id}").text
        self.assertIn("My printer is on fire", page)
        self.assertIn("Smoke everywhere", page)
        messages = self._fetch_messages(self.own)
        self.assertIn("We replaced the toner", messages)
        self.assertNotIn("customer is difficult", messages)

    def test_other_customers_ticket_is_refused(self):
        self.authenticate("cc_portal_cust", "cc_portal_cust")
        response = self.url_open(f"/my/tickets/{self.foreign.id}")
        self.assertNotIn("Somebody else", response.text)
        self.assertTrue(response.url.endswith("/my"), response.url)

    def test_anonymous_visitor_sees_nothing(self):
        response = self.url_open(f"/my/tickets/{self.own.id}")
        self.assertNotIn("My printer is on fire", response.text)

    def test_customer_reply_from_portal_is_an_inbound_interaction(self):
        self.own.with_user(self.customer_user).message_post(
            body="Still smoking",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        inbound = self.env["contact_center.interaction"].search(
            [("res_model", "=", self.own._name), ("res_id", "=", self.own.id)]
        )
        self.assertEqual(inbound.direction, "inbound")
        self.assertFalse(self.own.first_response_at)

    # ------------------------------------------------------------------
    # Internal notes and internal fields stay internal, by every route
    # ------------------------------------------------------------------
    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _post_internal_note(self, text):
        note = self.own.message_post(
            body=text, message_type="comment", subtype_xmlid="mail.mt_note"
        )
        # the note really is on the ticket, and internal: the checks below
        # look for something that exists
        self.assertTrue(note.subtype_id.internal)
        self.assertIn(text, str(self.own.message_ids.mapped("body")))
        return note

    def test_portal_page_hides_internal_note_and_shows_public_message(self):
        self._post_internal_note("NOTE-7731 refund him half")
        self.own.message_post(
            body="PUBLIC-4410 your toner ships today",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.authenticate("cc_portal_cust", "cc_portal_cust")
        page = self.url_open(f"/my/tickets/{self.own.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.own.reference, page.text)
        self.assertIn("o_portal_chatter", page.text)
        self.assertNotIn("NOTE-7731", page.text)
        # the page's chatter loads its messages from this route
        messages = self._fetch_messages(self.own)
        self.assertIn("PUBLIC-4410", messages)
        self.assertNotIn("NOTE-7731", messages)

    def test_rpc_message_search_returns_no_internal_note(self):
        self._post_internal_note("NOTE-5150 do not tell the customer")
        self.authenticate("cc_portal_cust", "cc_portal_cust")
        rows = self._call_kw(
            "mail.message",
            "search_read",
            [[("model", "=", self.own._name), ("res_id", "=", self.own.id)]],
            {"fields": ["body"]},
        )
        bodies = " ".join(row["body"] or "" for row in rows)
        self.assertIn("We replaced the toner", bodies)
        self.assertNotIn("NOTE-5150", bodies)

    def test_rpc_reads_public_fields_of_own_ticket(self):
        self.authenticate("cc_portal_cust", "cc_portal_cust")
        rows = self._call_kw(
            "contact_center.ticket", "read", [[self.own.id], PUBLIC_FIELDS]
        )
        self.assertEqual(rows[0]["reference"], self.own.reference)
        self.assertEqual(rows[0]["name"], "My printer is on fire")

    def test_rpc_cannot_read_internal_fields(self):
        self.own.sudo().write({"routing_reason": "ROUTING-SECRET"})
        self.authenticate("cc_portal_cust", "cc_portal_cust")
        for field in INTERNAL_FIELDS:
            for method, args, kwargs in (
                ("read", [[self.own.id], [field]], {}),
                ("search_read", [[("id", "=", self.own.id)]], {"fields": [field]}),
                ("web_read", [[self.own.id]], {"specification": {field: {}}}),
            ):
                with self.assertRaises(
                    JsonRpcException, msg=f"{method} of {field}"
                ) as caught:
                    self._call_kw("contact_center.ticket", method, args, kwargs)
                self.assertIn("AccessError", str(caught.exception))

    def test_rpc_read_of_all_fields_returns_no_internal_field(self):
        self.own.sudo().write({"routing_reason": "ROUTING-SECRET"})
        self.authenticate("cc_portal_cust", "cc_portal_cust")
        rows = self._call_kw("contact_center.ticket", "read", [[self.own.id]])
        self.assertEqual(rows[0]["reference"], self.own.reference)
        self.assertFalse(set(INTERNAL_FIELDS) & set(rows[0]), rows[0].keys())
        self.assertNotIn("ROUTING-SECRET", json.dumps(rows, default=str))

    def test_rpc_cannot_search_on_internal_fields(self):
        self.authenticate("cc_portal_cust", "cc_portal_cust")
        with self.assertRaises(JsonRpcException):
            self._call_kw(
                "contact_center.ticket",
                "search_read",
                [[("routing_reason", "ilike", "a")]],
                {"fields": ["name"]},
            )

    def test_portal_page_shows_expected_answer_time(self):
        self.env["contact_center.sla.policy"].create(
            {"name": "Portal SLA", "first_response_hours": 4}
        )
        ticket = self.env["contact_center.ticket"].create(
            {
                "name": "When will you answer?",
                "partner_id": self.customer_user.partner_id.id,
            }
        )
        expected = ticket._expected_response_text()
        self.assertTrue(expected)
        self.authenticate("cc_portal_cust", "cc_portal_cust")
        page = self.url_open(f"/my/tickets/{ticket.id}").text
        self.assertIn("When will you answer?", page)
        self.assertIn(expected, page)
