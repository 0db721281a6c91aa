"""Mail loops and automatic messages through Odoo's real mail gateway."""

from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tools import mute_logger

from .test_ticket_mail import TicketMailCase


class TestMailLoop(TicketMailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["contact_center.sla.policy"].search([]).active = False
        cls.env["contact_center.sla.policy"].create(
            {
                "name": "Answers",
                "team_ids": [Command.link(cls.team.id)],
                "first_response_hours": 4,
                "next_response_hours": 8,
            }
        )
        cls.agent._set_presence("available")

    def _mail_mail_created(self):
        """How many mail.mail were created so far: sent ones are deleted."""
        self.env.cr.execute("SELECT nextval('mail_mail_id_seq')")
        return self.env.cr.fetchone()[0]

    def _acks(self, tickets):
        return tickets.message_ids.filtered(lambda m: m.message_type == "auto_comment")

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_autoresponder_loop_is_never_answered_and_nothing_is_lost(self):
        before = self._mail_mail_created()
        for i in range(50):
            # no automatic-reply header, a new subject every time
            self._process(
                self._email(
                    subject=f"Thank you for your message #{i}",
                    sender="robot@loop.example.org",
                    name="Robot",
                    msgid=f"loop{i}",
                )
            )
        created = self._mail_mail_created() - before - 1
        tickets = self.Ticket.search(
            [("email_normalized", "=", "robot@loop.example.org")]
        )
        cap = int(
            self.env["ir.config_parameter"].get_param(
                "contact_center.acknowledgement_max_per_hour", 3
            )
        )
        acks = self._acks(tickets)
        self.assertLessEqual(len(acks), cap)
        # every email sent is an acknowledgement: no bounce answers the loop
        self.assertEqual(created, len(acks))
        Refused = self.env["contact_center.mail.refused"]
        refused = Refused.search([("email_from", "ilike", "robot@loop.example.org")])
        self.assertTrue(refused)
        self.assertEqual(len(tickets) + len(refused), 50)
        # kept whole and shown to supervisors
        seen = Refused.with_user(self.user_supervisor).search(
            [("id", "in", refused.ids)]
        )
        self.assertEqual(seen, refused)
        last = seen.filtered(lambda r: r.message_id == "<loop49@customer.example.org>")
        self.assertEqual(last.subject, "Thank you for your message #49")
        self.assertIn("Where is my order?", last.body)
        self.assertEqual(last.team_id, self.team)
        self.assertTrue(last.reason)

    def test_auto_reply_into_solved_ticket_does_not_reopen_it(self):
        ticket = self.Ticket.browse(self._process(self._email()))
        ticket.stage_id = self.env.ref("contact_center.ticket_stage_solved")
        self._process(
            self._email(
                subject="Automatic reply: Order 1234 is late",
                msgid="ooo1",
                body="I am out of office until Monday.",
                extra="Auto-Submitted: auto-replied\n"
                "In-Reply-To: <m1@customer.example.org>",
            )
        )
        self.assertTrue(ticket.is_solved)
        self.assertEqual(ticket.reopen_count, 0)
        logged = ticket.message_ids.filtered(lambda m: "out of office" in m.body)
        self.assertEqual(len(logged), 1, "the auto-reply is kept on the ticket")

    def test_auto_reply_into_answered_ticket_starts_no_next_response(self):
        ticket = self.Ticket.browse(self._process(self._email()))
        ticket.with_user(self.user_agent).message_post(
            body="It ships today.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertTrue(ticket.first_response_at)
        self._process(
            self._email(
                subject="Re: Order 1234 is late",
                msgid="ooo2",
                body="I am out of office until Monday.",
                extra="X-Autoreply: yes\nIn-Reply-To: <m1@customer.example.org>",
            )
        )
        self.assertFalse(
            ticket.sla_ids.filtered(lambda line: line.kind == "next_response")
        )
        self.assertTrue(
            ticket.message_ids.filtered(lambda m: "out of office" in m.body)
        )

    def test_unthreaded_auto_reply_lands_in_the_automatic_queue(self):
        ticket = self.Ticket.browse(
            self._process(
                self._email(
                    subject="Out of office",
                    sender="someone@partner.example.org",
                    msgid="ooo3",
                    body="I am away.",
                    extra="Auto-Submitted: auto-replied",
                )
            )
        )
        self.assertTrue(ticket.is_automatic)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(
            ticket.stage_id, self.env.ref("contact_center.ticket_stage_automatic")
        )
        self.assertTrue(ticket.stage_id.fold)
        self.assertFalse(ticket.is_open)
        self.assertFalse(ticket.sla_ids)
        self.assertFalse(ticket.agent_id)
        self.assertFalse(self._acks(ticket))
        self.assertIn("I am away.", ticket.description)
        # not in the agents' queues
        queue = self.Ticket.with_user(self.user_agent).search(
            [("team_id", "=", self.team.id), ("is_open", "=", True)]
        )
        self.assertNotIn(ticket, queue)


class TestRefusedMailRetention(TicketMailCase):
    def _refused(self, subject, received_at):
        return self.env["contact_center.mail.refused"].create(
            {
                "subject": subject,
                "email_from": "loop@example.com",
                "received_at": received_at,
            }
        )

    def test_refused_mail_is_forgotten_after_its_retention(self):
        Refused = self.env["contact_center.mail.refused"]
        with freeze_time("2026-06-01 12:00:00"):
            old = self._refused("old", datetime(2026, 2, 1))
            recent = self._refused("recent", datetime(2026, 5, 20))
            self.env["ir.config_parameter"].set_param(
                "contact_center.mail_refused_retention_days", 30
            )
            self.assertEqual(Refused._cron_purge(batch_size=1), 1)
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())

    def test_retention_zero_keeps_everything(self):
        with freeze_time("2026-06-01 12:00:00"):
            old = self._refused("old", datetime(2020, 1, 1))
            self.env["ir.config_parameter"].set_param(
                "contact_center.mail_refused_retention_days", 0
            )
            self.assertEqual(self.env["contact_center.mail.refused"]._cron_purge(), 0)
        self.assertTrue(old.exists())

    def test_the_purge_cron_is_installed(self):
        cron = self.env.ref("contact_center.ir_cron_purge_refused_mail")
        self.assertTrue(cron.active)
        self.assertEqual(
            self.env["ir.config_parameter"].get_param(
                "contact_center.mail_refused_retention_days"
            ),
            "90",
        )
