"""In the browser: a new ticket's title, and a canned response's preview."""

from odoo import Command
from odoo.tests import tagged

from .common import TourCase


@tagged("post_install", "-at_install")
class TestTicketTitleTour(TourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user, cls.team, cls.agent = cls._create_desk(
            "cc_title_agent", "Tina Title", "Title Desk"
        )

    def test_new_ticket_has_a_real_title(self):
        self.start_tour(
            "/odoo/action-contact_center.contact_center_ticket_action",
            "contact_center_ticket_title_tour",
            login="cc_title_agent",
        )
        ticket = self.env["contact_center.ticket"].search(
            [("name", "=", "Screen flickers")]
        )
        self.assertEqual(len(ticket), 1)
        self.assertRegex(ticket.display_name, r"^\[TCK/\d+\] Screen flickers$")

    def test_canned_response_shows_filled_in_before_sending(self):
        env = self.env
        env["contact_center.sla.policy"].search([]).active = False
        env["contact_center.sla.policy"].create(
            {
                "name": "Title SLA",
                "team_ids": [Command.link(self.team.id)],
                "first_response_hours": 4,
            }
        )
        env["mail.canned.response"].create(
            {
                "source": "later",
                "substitution": "Hello {customer}, we will get back to you "
                "about {ticket} by {expected}.",
                "group_ids": [
                    Command.link(
                        env.ref("contact_center.group_contact_center_agent").id
                    )
                ],
            }
        )
        customer = env["res.partner"].create(
            {"name": "Paula Paused", "email": "paula@paused.example.org"}
        )
        ticket = env["contact_center.ticket"].create(
            {
                "name": "Where is my parcel",
                "team_id": self.team.id,
                "partner_id": customer.id,
                "agent_id": self.agent.id,
            }
        )
        ticket.stage_id = env.ref("contact_center.ticket_stage_waiting")
        self.assertEqual(ticket.sla_status, "paused")
        self.start_tour(
            f"/odoo/action-contact_center.contact_center_ticket_action/{ticket.id}",
            "contact_center_canned_preview_tour",
            login="cc_title_agent",
        )
        sent = ticket.message_ids.filtered(lambda m: m.message_type == "comment")[:1]
        self.assertIn(f"about {ticket.reference} as soon as you reply.", sent.body)
