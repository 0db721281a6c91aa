"""What a new administrator and agent hit in their first hour.

Email to a team on a fresh database, the title of a new ticket, placeholders
that have no value, and canned responses sent as their bare shortcut.
"""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import T0, ContactCenterCase

RAW = """\
From: Jane Firststep <jane@firststep.example.org>
To: {to}
Subject: Printer does not print
Message-ID: <{msgid}@firststep.example.org>
Date: Mon, 02 Mar 2026 09:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

Hello, the printer does not print any more.
"""


@tagged("post_install", "-at_install")
class TestEmailOutOfTheBox(ContactCenterCase):
    def test_demo_team_alias_turns_an_email_into_a_ticket(self):
        team = self.env.ref("contact_center.team_support", raise_if_not_found=False)
        if not team:
            self.skipTest("needs the demo data")
        self.assertTrue(team.alias_email, "the demo team has a full alias address")
        self.assertFalse(team.alias_domain_missing)
        ticket_id = self.env["mail.thread"].message_process(
            None, RAW.format(to=team.alias_email, msgid="first-steps-1")
        )
        ticket = self.env["contact_center.ticket"].browse(ticket_id)
        self.assertEqual(ticket._name, "contact_center.ticket")
        self.assertEqual(ticket.name, "Printer does not print")
        self.assertEqual(ticket.team_id, team)
        self.assertEqual(ticket.partner_id.email, "jane@firststep.example.org")

    def test_team_warns_when_its_company_has_no_alias_domain(self):
        company = self.env.company
        company.alias_domain_id = False
        team = self.env["contact_center.team"].create({"name": "No Domain Desk"})
        self.assertTrue(team.with_user(self.user_supervisor).alias_domain_missing)
        company.alias_domain_id = self.env["mail.alias.domain"].create(
            {"name": "first-steps.example.com"}
        )
        team.invalidate_recordset()
        self.assertFalse(team.with_user(self.user_supervisor).alias_domain_missing)

    def test_team_form_shows_the_alias_domain_warning(self):
        self.env.company.alias_domain_id = False
        form = Form(self.env["contact_center.team"].with_user(self.user_manager))
        form.name = "Fresh Desk"
        self.assertTrue(form.alias_domain_missing)
        arch = self.env["contact_center.team"].get_view(view_type="form")["arch"]
        settings = self.env.ref("base_setup.action_general_configuration")
        self.assertIn('name="alias_domain_warning"', arch)
        self.assertIn(f'name="{settings.id}"', arch, "links to the settings")

    def test_demo_alias_domain_is_set_only_without_one(self):
        Team = self.env["contact_center.team"]
        company = self.env.company
        company.alias_domain_id = False
        domain = Team._cc_demo_alias_domain()
        self.assertEqual(company.alias_domain_id, domain)
        self.assertEqual(domain.name, "example.com")
        own = self.env["mail.alias.domain"].create({"name": "own.example.net"})
        company.alias_domain_id = own
        self.assertEqual(Team._cc_demo_alias_domain(), own, "an existing one stays")
        self.assertEqual(company.alias_domain_id, own)


@tagged("post_install", "-at_install")
class TestNewTicketTitle(ContactCenterCase):
    def test_unsaved_ticket_is_titled_new_ticket(self):
        Ticket = self.env["contact_center.ticket"].with_user(self.user_agent)
        self.assertEqual(Ticket.new({}).display_name, "New ticket")
        self.assertEqual(Ticket.new({"name": "Broken"}).display_name, "Broken")

    def test_saved_ticket_is_titled_reference_and_subject(self):
        ticket = (
            self.env["contact_center.ticket"]
            .with_user(self.user_agent)
            .create({"name": "Broken screen", "team_id": self.team.id})
        )
        self.assertRegex(ticket.display_name, r"^\[TCK/\d+\] Broken screen$")

    def test_screen_pop_new_ticket_is_prefilled_with_a_subject(self):
        call = self._interaction(state="in_progress", answered_at=T0)
        action = call.with_user(self.user_agent).action_cc_new_ticket()
        Ticket = (
            self.env["contact_center.ticket"]
            .with_user(self.user_agent)
            .with_context(**action["context"])
        )
        form = Form(Ticket)
        self.assertEqual(form.name, "Call from Ada Customer")
        self.assertEqual(form.partner_id, self.customer)
        ticket = form.save()
        self.assertRegex(ticket.display_name, r"^\[TCK/\d+\] Call from Ada Customer$")

    def test_explicit_subject_is_kept(self):
        Ticket = self.env["contact_center.ticket"].with_context(
            default_channel="phone",
            default_partner_id=self.customer.id,
            default_name="Asked for a quote",
        )
        self.assertEqual(Form(Ticket).name, "Asked for a quote")


class PlaceholderCase(ContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Policy = cls.env["contact_center.sla.policy"]
        Policy.search([]).active = False  # only this test's policy applies
        Policy.create(
            {
                "name": "Care first answer",
                "team_ids": [Command.link(cls.team.id)],
                "first_response_hours": 4,
            }
        )
        cls.waiting = cls.env.ref("contact_center.ticket_stage_waiting")

    def _ticket(self, **vals):
        return self.env["contact_center.ticket"].create(
            {
                "name": "Help",
                "team_id": self.team.id,
                "partner_id": self.customer.id,
                "agent_id": self.agent.id,
                **vals,
            }
        )

    def _send(self, ticket, body, subtype="mail.mt_comment"):
        return ticket.with_user(self.user_agent).message_post(
            body=body, message_type="comment", subtype_xmlid=subtype
        )


@tagged("post_install", "-at_install")
class TestExpectedPlaceholder(PlaceholderCase):
    def test_paused_ticket_never_sends_a_blank_expected(self):
        with freeze_time("2026-03-02 09:00:00"):
            ticket = self._ticket()
            ticket.stage_id = self.waiting
            self.assertEqual(ticket.sla_status, "paused")
            self.assertFalse(ticket.sla_deadline)
            message = self._send(
                ticket, "We will get back to you by {expected}. Regards"
            )
        self.assertIn(
            "We will get back to you as soon as you reply. Regards", message.body
        )
        self.assertNotIn("by .", message.body)

    def test_ticket_without_target_says_shortly(self):
        self.env["contact_center.sla.policy"].search([]).active = False
        ticket = self._ticket()
        message = self._send(ticket, "We will get back to you {expected}.")
        self.assertIn("We will get back to you shortly.", message.body)

    def test_running_target_gives_its_deadline_once(self):
        with freeze_time("2026-03-02 09:00:00"):
            ticket, other = self._ticket(), self._ticket()
            deadline = ticket._expected_response_text()
            self.assertTrue(deadline)
            self.assertEqual(other._expected_response_text(), deadline)
            old = self._send(ticket, "Answer by {expected}.")
            new = self._send(other, "Answer {expected}.")
        self.assertIn(f"Answer by {deadline}.", old.body)
        self.assertIn(f"Answer by {deadline}.", new.body)
        self.assertNotIn("by by", new.body)

    def test_agent_previews_the_filled_text(self):
        with freeze_time("2026-03-02 09:00:00"):
            ticket = self._ticket()
            ticket.stage_id = self.waiting
            text = (
                self.env["contact_center.ticket"]
                .with_user(self.user_agent)
                .browse(ticket.id)
                .cc_fill_placeholders(
                    "Dear {customer}, {ticket}: back to you by {expected}."
                )
            )
        self.assertEqual(
            text,
            f"Dear Ada Customer, {ticket.reference}: back to you as soon as you reply.",
        )

    def test_preview_needs_access_to_the_ticket(self):
        ticket = self._ticket(team_id=self.other_team.id, agent_id=self.agent2.id)
        with self.assertRaises(AccessError):
            ticket.with_user(self.user_agent).cc_fill_placeholders("{customer}")


@tagged("post_install", "-at_install")
class TestUnresolvedShortcut(PlaceholderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["mail.canned.response"].create(
            {
                "source": "fixed",
                "substitution": "Hello {customer}, it is fixed now.",
                "group_ids": [
                    Command.link(
                        cls.env.ref("contact_center.group_contact_center_agent").id
                    )
                ],
            }
        )

    def test_bare_shortcut_is_refused(self):
        ticket = self._ticket()
        for body in (":fixed", "Hi :fixed", ":fixed."):
            with (
                self.subTest(body=body),
                self.assertRaisesRegex(UserError, r":fixed.*pick it from the list"),
            ):
                self._send(ticket, body)

    def test_text_with_a_colon_that_is_no_shortcut_is_sent(self):
        ticket = self._ticket()
        message = self._send(ticket, "Ratio 2:1 and :unknown are fine")
        self.assertIn(":unknown", message.body)

    def test_internal_note_may_mention_a_shortcut(self):
        ticket = self._ticket()
        note = self._send(ticket, "Use :fixed next time", subtype="mail.mt_note")
        self.assertIn(":fixed", note.body)

    def test_demo_canned_responses_use_placeholders(self):
        responses = self.env["mail.canned.response"].search(
            [("cc_team_ids", "!=", False)]
        ) | self.env["mail.canned.response"].search(
            [("substitution", "ilike", "{ticket}")]
        )
        if not self.env.ref("contact_center.team_support", raise_if_not_found=False):
            self.skipTest("needs the demo data")
        demo = responses.filtered(
            lambda r: r.get_external_id().get(r.id, "").startswith("contact_center.")
        )
        self.assertGreaterEqual(len(demo), 4)
        agent_sees = demo.with_user(self.user_agent).search([("id", "in", demo.ids)])
        self.assertEqual(agent_sees, demo, "every agent is offered them")
        for response in demo:
            self.assertRegex(
                response.substitution, r"\{(customer|ticket|agent|expected)\}"
            )
