from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import TourCase

RAW = """\
From: Tour Customer <tour.customer@example.org>
To: tour-support@tour.example.com
Subject: Printer on fire
Message-ID: <tour-1@example.org>
Content-Type: text/plain; charset="utf-8"

The printer is smoking, please help.
"""


@tagged("post_install", "-at_install")
class TestTicketTour(TourCase):
    def test_agent_answers_ticket_from_queue_with_canned_response(self):
        env = self.env
        env["contact_center.sla.policy"].search([]).active = False
        env["contact_center.classification.rule"].search([]).active = False
        domain = env["mail.alias.domain"].create({"name": "tour.example.com"})
        env.company.alias_domain_id = domain
        team = env["contact_center.team"].create(
            {
                "name": "Tour Desk",
                "alias_name": "tour-support",
                "alias_domain_id": domain.id,
                "resource_calendar_id": False,
            }
        )
        env["contact_center.sla.policy"].create(
            {
                "name": "Tour SLA",
                "team_ids": [Command.link(team.id)],
                "first_response_hours": 4,
                "resolution_hours": 24,
            }
        )
        user = new_test_user(
            env,
            "cc_tour_ticket_agent",
            groups="contact_center.group_contact_center_agent",
        )
        agent = env["contact_center.agent"].create(
            {"user_id": user.id, "team_ids": [Command.link(team.id)]}
        )
        agent._set_presence("available")
        agents_group = env.ref("contact_center.group_contact_center_agent")
        other_team = env["contact_center.team"].create({"name": "Billing Desk"})
        refunds = env["contact_center.contact.reason"].create({"name": "Refunds"})
        env["mail.canned.response"].create(
            [
                {
                    "source": "fixed",
                    "substitution": "Dear {customer}, it is fixed now.",
                    # shared with the agents, offered on this team's tickets
                    "group_ids": [Command.link(agents_group.id)],
                    "cc_team_ids": [Command.link(team.id)],
                },
                {
                    "source": "fixed-billing",
                    "substitution": "Your invoice is corrected.",
                    "group_ids": [Command.link(agents_group.id)],
                    "cc_team_ids": [Command.link(other_team.id)],
                },
                {
                    "source": "fixed-refund",
                    "substitution": "Your refund is on its way.",
                    "group_ids": [Command.link(agents_group.id)],
                    "cc_reason_ids": [Command.link(refunds.id)],
                },
            ]
        )
        ticket_id = env["mail.thread"].message_process(None, RAW)
        ticket = env["contact_center.ticket"].browse(ticket_id)
        self.assertEqual(ticket.agent_id, agent)
        self.start_tour(
            "/odoo/action-contact_center.contact_center_ticket_action_my",
            "contact_center_ticket_tour",
            login="cc_tour_ticket_agent",
        )
        self.assertTrue(ticket.first_response_at)
        first = ticket.sla_ids.filtered(lambda line: line.kind == "first_response")
        self.assertEqual(first.status, "met")
