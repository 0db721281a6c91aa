"""Acknowledgements: sent to people, never to machines, never in a loop."""

from freezegun import freeze_time

from odoo import Command
from odoo.tests import BaseCase

from odoo.addons.contact_center.tools.auto_reply import automated_reason

from .test_ticket_mail import TicketMailCase


class TestAutomatedHeaders(BaseCase):
    def test_headers_as_a_table(self):
        rows = [
            ({}, None),
            ({"Auto-Submitted": "no"}, None),
            ({"Auto-Submitted": "auto-replied"}, "Auto-Submitted: auto-replied"),
            ({"auto-submitted": "auto-generated"}, "Auto-Submitted: auto-generated"),
            ({"Precedence": "bulk"}, "Precedence: bulk"),
            ({"Precedence": "junk"}, "Precedence: junk"),
            ({"Precedence": "list"}, "Precedence: list"),
            ({"X-Autoreply": "yes"}, "X-Autoreply"),
            ({"X-Auto-Response-Suppress": "All"}, "X-Auto-Response-Suppress: all"),
            ({"X-Auto-Response-Suppress": "DR, RN"}, None),
            ({"List-Id": "<news.example.org>"}, "List-Id (mailing list)"),
            (
                {"List-Unsubscribe": "<mailto:x@example.org>"},
                "List-Unsubscribe (mailing list)",
            ),
            ({"X-Loop": "helpdesk@example.org"}, "X-Loop"),
            ({"Return-Path": "<>"}, "empty Return-Path (bounce)"),
            ({"Return-Path": "<someone@example.org>"}, None),
        ]
        for headers, expected in rows:
            with self.subTest(headers=headers):
                self.assertEqual(automated_reason(headers), expected)


class TestAcknowledgement(TicketMailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["contact_center.sla.policy"].search([]).active = False
        calendar = cls._brussels_calendar()
        cls.team.write({"resource_calendar_id": calendar.id, "tz": "Europe/Brussels"})
        cls.env["contact_center.sla.policy"].create(
            {
                "name": "Std",
                "team_ids": [Command.link(cls.team.id)],
                "first_response_hours": 4,
            }
        )

    def _acks(self, ticket):
        return ticket.message_ids.filtered(lambda m: m.message_type == "auto_comment")

    @freeze_time("2026-03-06 16:30:00")  # Friday 17:30 in Brussels
    def test_new_ticket_is_acknowledged_with_reference_and_expected_time(self):
        ticket = self.Ticket.browse(self._process(self._email()))
        ack = self._acks(ticket)
        self.assertEqual(len(ack), 1)
        self.assertIn(ticket.reference, ack.subject)
        self.assertIn(ticket.reference, ack.body)
        self.assertIn("Monday 9 March 2026 12:30", ack.body)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", ack.id)])
        self.assertEqual(mail.recipient_ids, ticket.partner_id)
        self.assertIn("Monday 9 March 2026 12:30", mail.body_html)
        # RFC 3834: our own automatic reply says so
        self.assertIn("auto-replied", mail.headers)
        # from the team's address, and answers come back to the ticket
        self.assertIn(self.team.alias_id.alias_full_name, mail.email_from)
        self.assertIn(self.team.alias_id.alias_full_name, mail.reply_to)
        # sent emails are deleted (auto_delete); the chatter's copy stays
        mail.unlink()
        self.assertTrue(ack.exists())
        self.assertIn("Monday 9 March 2026 12:30", ack.body)
        # the acknowledgement is not an agent's answer
        self.assertFalse(ticket.first_response_at)
        self.assertEqual(ticket.sla_status, "running")

    def test_machines_are_never_acknowledged(self):
        for i, header in enumerate(
            [
                "Auto-Submitted: auto-replied",
                "Precedence: bulk",
                "X-Autoreply: yes",
                "List-Id: <news.example.org>",
                "X-Loop: other-helpdesk",
                "X-Auto-Response-Suppress: All",
            ]
        ):
            with self.subTest(header=header):
                raw = self._email(
                    msgid=f"auto{i}", subject=f"Out of office {i}", extra=header
                )
                ticket = self.Ticket.browse(self._process(raw))
                self.assertTrue(ticket, "the email still becomes a ticket")
                self.assertFalse(self._acks(ticket))
                # the agent sees why on the ticket
                self.assertIn(header.split(":")[0], ticket.acknowledgement_skipped)

    def test_bounce_with_empty_return_path_is_not_acknowledged(self):
        raw = self._email(msgid="b1").replace(
            "Return-Path: <new.customer@customer.example.org>", "Return-Path: <>"
        )
        ticket = self.Ticket.browse(self._process(raw))
        self.assertFalse(self._acks(ticket))

    def test_loop_attempt_stops_at_the_hourly_limit(self):
        self.env["ir.config_parameter"].set_param(
            "contact_center.acknowledgement_max_per_hour", 2
        )
        tickets = self.Ticket
        for i in range(5):
            raw = self._email(msgid=f"loop{i}", subject=f"Ticket received {i}")
            tickets |= self.Ticket.browse(self._process(raw))
        acknowledged = tickets.filtered(lambda t: self._acks(t))
        self.assertEqual(len(acknowledged), 2)
        self.assertIn(
            "already received 2 acknowledgements",
            (tickets - acknowledged)[:1].acknowledgement_skipped,
        )

    def test_own_alias_is_not_acknowledged(self):
        raw = self._email(
            sender="support@cc-test.example.com", msgid="own1", name="Support"
        )
        ticket = self.Ticket.browse(self._process(raw))
        self.assertFalse(self._acks(ticket))
        self.assertEqual(
            ticket.acknowledgement_skipped, "sent by one of our own addresses"
        )

    def test_reply_is_not_acknowledged_again(self):
        ticket = self.Ticket.browse(self._process(self._email()))
        self._process(
            self._email(
                subject="Re: Order 1234 is late",
                msgid="m9",
                extra="In-Reply-To: <m1@customer.example.org>",
            )
        )
        self.assertEqual(len(self._acks(ticket)), 1)
