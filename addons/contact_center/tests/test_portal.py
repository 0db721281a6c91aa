"""Customers see and answer their own tickets on the portal, and nothing else."""

import json

from odoo.tests import HttpCase, new_test_user, tagged


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
