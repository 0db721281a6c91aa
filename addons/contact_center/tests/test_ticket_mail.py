"""Tickets through Odoo's real mail gateway (message_process on raw emails)."""

import base64

from markupsafe import Markup

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from .common import ContactCenterCase

PLAIN = """\
Return-Path: <{sender}>
From: {from_header}
To: support@cc-test.example.com
Subject: {subject}
Message-ID: <{msgid}@customer.example.org>
Date: Mon, 02 Mar 2026 09:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit
{extra}
{body}
"""

HTML_ONLY = """\
From: Ben Html <ben@html.example.org>
To: support@cc-test.example.com
Subject: Screen stays blank
Message-ID: <html-1@html.example.org>
MIME-Version: 1.0
Content-Type: text/html; charset="utf-8"

<html><body><p>The screen stays <b>blank</b> after the update.</p></body></html>
"""

MULTIPART = """\
From: Carla Files <carla@files.example.org>
To: support@cc-test.example.com
Subject: Invoice attached
Message-ID: <multi-1@files.example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XYZ"

--XYZ
Content-Type: text/plain; charset="utf-8"

Please see the attached invoice, the amount is wrong.
--XYZ
Content-Type: application/pdf; name="invoice-42.pdf"
Content-Disposition: attachment; filename="invoice-42.pdf"
Content-Transfer-Encoding: base64

{pdf}
--XYZ--
"""

LATIN1 = (
    b"From: =?iso-8859-1?q?Andr=E9_M=FCller?= <andre@latin.example.org>\r\n"
    b"To: support@cc-test.example.com\r\n"
    b"Subject: =?utf-8?b?UsOpY2xhbWF0aW9uIGNvbW1hbmRl?=\r\n"
    b"Message-ID: <latin-1@latin.example.org>\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: text/plain; charset="iso-8859-1"\r\n'
    b"Content-Transfer-Encoding: 8bit\r\n\r\n"
    b"Ma commande est arriv\xe9e ab\xeem\xe9e.\r\n"
)


class TicketMailCase(ContactCenterCase):
    """A team with an email alias, and helpers to feed raw emails to the gateway."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alias_domain = cls.env["mail.alias.domain"].create(
            {"name": "cc-test.example.com"}
        )
        cls.env.company.alias_domain_id = cls.alias_domain
        cls.team.write(
            {"alias_name": "support", "alias_domain_id": cls.alias_domain.id}
        )
        cls.Ticket = cls.env["contact_center.ticket"]

    def _process(self, raw):
        return self.env["mail.thread"].message_process(None, raw)

    def _email(
        self,
        subject="Order 1234 is late",
        sender="new.customer@customer.example.org",
        name="New Customer",
        body="Where is my order?",
        msgid="m1",
        extra="",
    ):
        return PLAIN.format(
            sender=sender,
            from_header=f"{name} <{sender}>",
            subject=subject,
            msgid=msgid,
            body=body,
            extra=extra,
        )


class TestTicketMailGateway(TicketMailCase):
    def test_email_from_unknown_sender_creates_ticket_and_customer(self):
        ticket = self.Ticket.browse(self._process(self._email()))
        self.assertEqual(ticket.name, "Order 1234 is late")
        self.assertEqual(ticket.team_id, self.team)
        self.assertTrue(ticket.reference.startswith("TCK/"))
        self.assertEqual(ticket.partner_id.email, "new.customer@customer.example.org")
        self.assertEqual(ticket.partner_id.name, "New Customer")
        self.assertIn("Where is my order?", ticket.description)
        self.assertIn(ticket.partner_id, ticket.message_partner_ids)
        interaction = self.env["contact_center.interaction"].search(
            [("res_model", "=", ticket._name), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(
            (interaction.channel, interaction.direction, interaction.partner_id),
            ("email", "inbound", ticket.partner_id),
        )

    def test_ticket_shows_in_customer_360_and_timeline(self):
        ticket = self.Ticket.browse(
            self._process(self._email(sender="ada@example.com", name="Ada C."))
        )
        self.assertEqual(self.customer.cc_ticket_open_count, 1)
        ticket.stage_id = self.env.ref("contact_center.ticket_stage_closed")
        self.customer.invalidate_recordset()
        self.assertEqual(
            (self.customer.cc_ticket_open_count, self.customer.cc_ticket_closed_count),
            (0, 1),
        )
        entry = self.env["contact_center.timeline"].get_page(self.customer.id)[
            "entries"
        ][0]
        self.assertEqual((entry["channel"], entry["direction"]), ("email", "inbound"))
        self.assertEqual(
            (entry["res_model"], entry["res_id"]), (ticket._name, ticket.id)
        )

    def test_email_from_known_contact_is_linked(self):
        ticket = self.Ticket.browse(
            self._process(self._email(sender="ada@example.com", name="Ada C."))
        )
        self.assertEqual(ticket.partner_id, self.customer)

    def test_html_only_email(self):
        ticket = self.Ticket.browse(self._process(HTML_ONLY))
        self.assertIn("<b>blank</b>", ticket.description)
        self.assertEqual(ticket.partner_id.email, "ben@html.example.org")

    def test_attachments_are_kept(self):
        pdf = base64.b64encode(b"%PDF-1.4 fake invoice").decode()
        ticket = self.Ticket.browse(self._process(MULTIPART.format(pdf=pdf)))
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", ticket._name), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(attachment.name, "invoice-42.pdf")
        self.assertEqual(attachment.raw, b"%PDF-1.4 fake invoice")

    def test_non_utf8_charset_and_encoded_headers(self):
        ticket = self.Ticket.browse(self._process(LATIN1))
        self.assertEqual(ticket.name, "Réclamation commande")
        self.assertIn("arrivée abîmée", ticket.description)
        self.assertEqual(ticket.partner_id.name, "André Müller")

    def test_reply_threaded_by_headers(self):
        ticket = self.Ticket.browse(self._process(self._email()))
        reply = self._email(
            subject="Re: Order 1234 is late",
            msgid="m2",
            body="Any news?",
            extra=(
                "In-Reply-To: <m1@customer.example.org>\n"
                "References: <m1@customer.example.org>"
            ),
        )
        self.assertEqual(self._process(reply), ticket.id)
        self.assertEqual(self.Ticket.search_count([("team_id", "=", self.team.id)]), 1)
        self.assertIn("Any news?", ticket.message_ids[0].body)

    def test_reply_threaded_by_subject_reference(self):
        ticket = self.Ticket.browse(self._process(self._email()))
        reply = self._email(
            subject=f"Re: [{ticket.reference}] Order 1234 is late", msgid="m3"
        )
        self.assertEqual(self._process(reply), ticket.id)

    def test_stranger_quoting_a_reference_gets_a_new_ticket(self):
        ticket = self.Ticket.browse(self._process(self._email()))
        other = self._email(
            subject=f"Re: [{ticket.reference}] let me in",
            sender="intruder@evil.example.org",
            msgid="m4",
        )
        self.assertNotEqual(self._process(other), ticket.id)

    def test_reply_to_solved_ticket_reopens_it(self):
        ticket = self.Ticket.browse(self._process(self._email()))
        ticket.stage_id = self.env.ref("contact_center.ticket_stage_solved")
        self.assertTrue(ticket.solved_at)
        self._process(
            self._email(
                subject="Re: Order 1234 is late",
                msgid="m5",
                extra="In-Reply-To: <m1@customer.example.org>",
            )
        )
        self.assertFalse(ticket.stage_id.is_solved)
        self.assertEqual(ticket.reopen_count, 1)
        self.assertFalse(ticket.solved_at)

    def test_agent_reply_is_first_response_and_outbound_interaction(self):
        ticket = self.Ticket.browse(self._process(self._email()))
        ticket.agent_id = self.agent
        ticket.with_user(self.user_agent).message_post(
            body="It ships today.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertTrue(ticket.first_response_at)
        outbound = self.env["contact_center.interaction"].search(
            [
                ("res_model", "=", ticket._name),
                ("res_id", "=", ticket.id),
                ("direction", "=", "outbound"),
            ]
        )
        self.assertEqual(outbound.agent_id, self.agent)
        # an internal note is not a response
        other = self.Ticket.browse(
            self._process(self._email(msgid="m6", subject="Other"))
        )
        other.message_post(
            body="checking", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self.assertFalse(other.first_response_at)


class TestTicketAccess(ContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_partner = cls.user_portal.partner_id
        Ticket = cls.env["contact_center.ticket"]
        cls.care_ticket = Ticket.create(
            {
                "name": "Care ticket",
                "team_id": cls.team.id,
                "partner_id": cls.portal_partner.id,
            }
        )
        cls.sales_ticket = Ticket.create(
            {"name": "Sales ticket", "team_id": cls.other_team.id}
        )

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_agent_sees_own_team_tickets_only(self):
        Ticket = self.env["contact_center.ticket"].with_user(self.user_agent)
        found = Ticket.search(
            [("id", "in", (self.care_ticket | self.sales_ticket).ids)]
        )
        self.assertEqual(found, self.care_ticket)
        with self.assertRaises(AccessError):
            self.sales_ticket.with_user(self.user_agent).read(["name"])

    def test_follower_sees_other_team_ticket(self):
        self.sales_ticket.message_subscribe(partner_ids=self.user_agent.partner_id.ids)
        self.assertEqual(
            self.sales_ticket.with_user(self.user_agent).read(["name"])[0]["name"],
            "Sales ticket",
        )

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_portal_user_sees_own_tickets_only(self):
        Ticket = self.env["contact_center.ticket"].with_user(self.user_portal)
        self.assertEqual(Ticket.search([]), self.care_ticket)
        with self.assertRaises(AccessError):
            self.care_ticket.with_user(self.user_portal).write({"name": "changed"})

    def test_other_portal_user_sees_nothing(self):
        stranger = new_test_user(self.env, "cc_portal2", groups="base.group_portal")
        self.assertFalse(
            self.env["contact_center.ticket"].with_user(stranger).search([])
        )

    def test_manager_sees_all(self):
        self.assertEqual(
            self.env["contact_center.ticket"]
            .with_user(self.user_manager)
            .search_count([("id", "in", (self.care_ticket | self.sales_ticket).ids)]),
            2,
        )

    def test_supervisor_of_team_sees_unfollowed_team_ticket(self):
        self.other_team.supervisor_ids = [Command.link(self.user_supervisor.id)]
        self.assertTrue(
            self.sales_ticket.with_user(self.user_supervisor).read(["name"])
        )


class TestTicketVisibilitySetting(ContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Ticket = cls.env["contact_center.ticket"]
        cls.mine = Ticket.create(
            {"name": "Mine", "team_id": cls.team.id, "agent_id": cls.agent.id}
        )
        cls.team_ticket = Ticket.create({"name": "Team", "team_id": cls.team.id})
        cls.other = Ticket.create({"name": "Other", "team_id": cls.other_team.id})
        cls.all_ids = (cls.mine | cls.team_ticket | cls.other).ids

    def _visible(self):
        return set(
            self.env["contact_center.ticket"]
            .with_user(self.user_agent)
            .search([("id", "in", self.all_ids)])
            .mapped("name")
        )

    def _set(self, visibility):
        self.env["res.config.settings"].create(
            {"cc_ticket_visibility": visibility}
        ).execute()

    def test_default_is_the_agents_teams(self):
        self.assertEqual(
            self.env["res.config.settings"].create({}).cc_ticket_visibility, "teams"
        )
        self.assertEqual(self._visible(), {"Mine", "Team"})

    def test_own_tickets_only(self):
        self._set("own")
        self.assertEqual(self._visible(), {"Mine"})
        self.assertEqual(
            self.env["res.config.settings"].create({}).cc_ticket_visibility, "own"
        )

    def test_all_tickets(self):
        self._set("all")
        self.assertEqual(self._visible(), {"Mine", "Team", "Other"})
        self._set("teams")
        self.assertEqual(self._visible(), {"Mine", "Team"})


class TestCannedPlaceholders(ContactCenterCase):
    def test_placeholders_are_filled_when_sending(self):
        self.env["mail.canned.response"].create(
            {
                "source": "thx",
                "substitution": "Dear {customer}, about {ticket}: fixed. {agent}",
            }
        )
        ticket = self.env["contact_center.ticket"].create(
            {"name": "Help", "partner_id": self.customer.id, "agent_id": self.agent.id}
        )
        canned = self.env["mail.canned.response"].search([("source", "=", "thx")])
        message = ticket.with_user(self.user_agent).message_post(
            body=canned.substitution,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertIn(
            f"Dear Ada Customer, about {ticket.reference}: fixed.", message.body
        )
        self.assertIn(self.agent.name, message.body)
        self.assertNotIn("{", message.body)

    def test_values_are_escaped(self):
        self.customer.name = "<b>Bold</b> Inc"
        ticket = self.env["contact_center.ticket"].create(
            {"name": "Help", "partner_id": self.customer.id}
        )
        message = ticket.message_post(body="Hello {customer}", message_type="comment")
        self.assertNotIn("<b>", message.body)
        self.assertIn("&lt;b&gt;Bold", message.body)
        html = ticket.message_post(
            body=Markup("<p>Hi {customer}</p>"), message_type="comment"
        )
        self.assertIn("<p>Hi &lt;b&gt;Bold&lt;/b&gt; Inc</p>", html.body)


class TestTimelineOfRestrictedTicket(ContactCenterCase):
    def test_agent_sees_summary_of_a_ticket_they_cannot_open(self):
        ticket = self.env["contact_center.ticket"].create(
            {
                "name": "Sales secret",
                "team_id": self.other_team.id,
                "partner_id": self.customer.id,
            }
        )
        ticket.message_post(
            body="Customer writes", message_type="email", author_id=self.customer.id
        )
        entries = (
            self.env["contact_center.timeline"]
            .with_user(self.user_agent)
            .get_page(self.customer.id)["entries"]
        )
        entry = next(e for e in entries if e["res_model"] == ticket._name)
        self.assertEqual((entry["channel"], entry["direction"]), ("email", "inbound"))
        with self.assertRaises(AccessError):
            ticket.with_user(self.user_agent).read(["description"])
        self.assertFalse(self.customer.with_user(self.user_agent).cc_last_ticket_id)
        self.assertEqual(self.customer.cc_last_ticket_id, ticket)


class TestCannedScope(ContactCenterCase):
    def test_scope_reaches_the_composer_for_every_user(self):
        """The web client loads canned responses with their scope, also for
        users who cannot read teams; a ticket tells its team and reason."""
        from odoo.addons.mail.tools.discuss import Store  # noqa: PLC0415

        reason = self.env["contact_center.contact.reason"].create({"name": "Refund"})
        response = self.env["mail.canned.response"].create(
            {
                "source": "refund",
                "substitution": "Refunded.",
                "group_ids": [Command.link(self.env.ref("base.group_user").id)],
                "cc_team_ids": [Command.link(self.team.id)],
                "cc_reason_ids": [Command.link(reason.id)],
            }
        )
        outsider = new_test_user(
            self.env, "cc_canned_outsider", groups="base.group_user"
        )
        data = Store(response.with_user(outsider)).get_result()
        (values,) = data["mail.canned.response"]
        self.assertEqual(values["cc_team_ids"], self.team.ids)
        self.assertEqual(values["cc_reason_ids"], reason.ids)
        ticket = (
            self.env["contact_center.ticket"]
            .with_context(cc_skip_classification=True)
            .create(
                {"name": "Money back", "team_id": self.team.id, "reason_id": reason.id}
            )
        )
        thread = Store(ticket, as_thread=True, request_list=[]).get_result()
        (values,) = thread["mail.thread"]
        self.assertEqual(
            (values["cc_team_id"], values["cc_reason_id"]), (self.team.id, reason.id)
        )


class TestAgentAnswersByEmail(TicketMailCase):
    """An agent answering from their own mail client answers the ticket."""

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
        cls.user_agent.email = "agent.care@staff.example.com"

    def test_email_reply_by_agent_is_the_first_response(self):
        ticket = self.Ticket.browse(self._process(self._email()))
        self._process(
            self._email(
                subject="Re: Order 1234 is late",
                sender="agent.care@staff.example.com",
                name="Care Agent",
                body="It ships today.",
                msgid="agent-1",
                extra="In-Reply-To: <m1@customer.example.org>\n"
                "References: <m1@customer.example.org>",
            )
        )
        message = ticket.message_ids.filtered(lambda m: "ships today" in m.body)
        self.assertEqual(message.author_id, self.user_agent.partner_id)
        self.assertTrue(ticket.first_response_at)
        first = ticket.sla_ids.filtered(lambda line: line.kind == "first_response")
        self.assertEqual(first.status, "met")
        self.assertFalse(
            ticket.sla_ids.filtered(lambda line: line.kind == "next_response")
        )
        interactions = self.env["contact_center.interaction"].search(
            [("res_model", "=", ticket._name), ("res_id", "=", ticket.id)],
            order="id",
        )
        self.assertEqual(interactions.mapped("direction"), ["inbound", "outbound"])
        self.assertEqual(interactions[1].agent_id, self.agent)

    def test_email_reply_by_agent_does_not_reopen_a_solved_ticket(self):
        ticket = self.Ticket.browse(self._process(self._email()))
        ticket.stage_id = self.env.ref("contact_center.ticket_stage_solved")
        self._process(
            self._email(
                subject="Re: Order 1234 is late",
                sender="agent.care@staff.example.com",
                name="Care Agent",
                body="One more detail.",
                msgid="agent-2",
                extra="In-Reply-To: <m1@customer.example.org>",
            )
        )
        self.assertTrue(ticket.is_solved)
        self.assertEqual(ticket.reopen_count, 0)


class TestPlaceholdersOnlyForInternalAuthors(TicketMailCase):
    def test_customer_email_with_placeholder_is_posted_as_written(self):
        ticket = self.Ticket.browse(
            self._process(self._email(body="Is {ticket} about {customer}?"))
        )
        self._process(
            self._email(
                subject="Re: Order 1234 is late",
                msgid="m7",
                body="Still waiting on {ticket} from {agent}",
                extra="In-Reply-To: <m1@customer.example.org>",
            )
        )
        bodies = ticket.message_ids.filtered(
            lambda m: m.message_type == "email"
        ).mapped("body")
        self.assertEqual(len(bodies), 2)
        self.assertTrue(any("Is {ticket} about {customer}?" in b for b in bodies))
        self.assertTrue(
            any("Still waiting on {ticket} from {agent}" in b for b in bodies)
        )

    def test_portal_message_with_placeholder_is_posted_as_written(self):
        ticket = self.Ticket.create(
            {
                "name": "Portal question",
                "team_id": self.team.id,
                "partner_id": self.user_portal.partner_id.id,
                "agent_id": self.agent.id,
            }
        )
        message = ticket.with_user(self.user_portal).message_post(
            body="What does {ticket} mean, {agent}?",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertIn("What does {ticket} mean, {agent}?", message.body)
