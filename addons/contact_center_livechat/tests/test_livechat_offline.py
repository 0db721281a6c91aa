"""Offline messages: when no one can chat, visitors leave a message on the
public page, which becomes an acknowledged ticket (and a callback request).

Everything goes through the real routes as an anonymous visitor: the form is
fetched first, for its CSRF token, then posted. Expected answer times are
worked out by hand from the team's hours, Monday to Friday 9:00-18:00 in
Brussels (UTC+1 in March 2026, before the switch to summer time on 29
March), and its first-response target of 4 working hours.
"""

import json
import re

from freezegun import freeze_time

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')

# Friday 6 March 2026 22:00 in Brussels: the team is closed
NIGHT = "2026-03-06 21:00:00"
# Wednesday 4 March 2026 11:00 in Brussels: the team is open
DAY = "2026-03-04 10:00:00"


@tagged("post_install", "-at_install")
class TestLivechatOffline(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.be")
        cls.env.company.email = "care@company.example.com"
        # only this test's response target applies
        cls.env["contact_center.sla.policy"].search([]).active = False
        user = new_test_user(
            cls.env,
            "off_ann",
            name="Ann Agent",
            email="ann.agent@company.example.com",
            groups="contact_center.group_contact_center_agent,im_livechat.im_livechat_group_user",
        )
        # an agent since before the frozen times of the tests, so that their
        # presence log can go on from there
        with freeze_time("2026-03-01 08:00:00"):
            cls.agent = cls.env["contact_center.agent"].create(
                {"user_id": user.id, "capacity_chat": 2}
            )
        calendar = cls.env["resource.calendar"].create(
            {
                "name": "Brussels 9-18",
                "tz": "Europe/Brussels",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 9,
                            "hour_to": 18,
                            "day_period": "morning",
                        }
                    )
                    for day in range(5)  # Monday to Friday
                ],
            }
        )
        cls.team = cls.env["contact_center.team"].create(
            {
                "name": "Web Care",
                "handles_chat": True,
                "resource_calendar_id": calendar.id,
                "tz": "Europe/Brussels",
                "member_ids": [Command.set(cls.agent.ids)],
            }
        )
        cls.env["contact_center.sla.policy"].create(
            {
                "name": "Web answers",
                "team_ids": [Command.link(cls.team.id)],
                "first_response_hours": 4,
            }
        )
        cls.channel = cls.env["im_livechat.channel"].create(
            {
                "name": "Web Help",
                "cc_team_id": cls.team.id,
                "user_ids": [Command.set(user.ids)],
            }
        )
        cls.url = f"/contact_center/chat/{cls.channel.id}/offline"
        cls.Ticket = cls.env["contact_center.ticket"]

    # helpers -------------------------------------------------------------
    def _form(self):
        """The form page as a visitor gets it, and its CSRF token."""
        response = self.url_open(self.url)
        self.assertEqual(response.status_code, 200, response.text[:3000])
        match = CSRF_RE.search(response.text)
        return response, match and match.group(1)

    def _post(self, **fields):
        _page, token = self._form()
        self.assertTrue(token, "the form carries a CSRF token")
        return self.url_open(self.url, data={"csrf_token": token, **fields})

    def _tickets(self):
        return self.Ticket.search([("team_id", "=", self.team.id)])

    def _ack_mail(self, ticket):
        return self.env["mail.mail"].search(
            [("model", "=", ticket._name), ("res_id", "=", ticket.id)]
        )

    def _offline_interactions(self):
        return self.env["contact_center.interaction"].search(
            [("team_id", "=", self.team.id), ("channel", "=", "chat")]
        )

    # offline at night ------------------------------------------------------
    @freeze_time(NIGHT)
    def test_night_message_becomes_a_ticket_acknowledged_by_email(self):
        response = self._post(
            name="Nora Night",
            email="nora@night.example.org",
            message="My parcel never arrived.\nOrder 1234.",
        )
        self.assertEqual(response.status_code, 200)
        ticket = self._tickets()
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.channel, "chat")
        # an unknown address becomes a new contact, as for an email
        self.assertEqual(ticket.partner_id.email, "nora@night.example.org")
        self.assertEqual(ticket.partner_id.name, "Nora Night")
        # the message is on the ticket, written by the customer
        message = ticket.message_ids.filtered(
            lambda m: m.message_type == "comment" and m.author_id == ticket.partner_id
        )
        self.assertEqual(len(message), 1)
        self.assertIn("My parcel never arrived.", message.body)
        # closed until Monday 9:00; 4 working hours later: Monday 13:00
        mail = self._ack_mail(ticket)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, ticket.partner_id)
        self.assertIn(ticket.reference, mail.subject)
        self.assertIn("Monday 9 March 2026 13:00", mail.body_html)
        self.assertIn("auto-replied", mail.headers)
        # the thank-you page says the same
        self.assertIn(ticket.reference, response.text)
        self.assertIn("Monday 9 March 2026 13:00", response.text)
        # no callback asked: no interaction to call back
        self.assertFalse(self._offline_interactions())

    @freeze_time(NIGHT)
    def test_night_message_with_callback_logs_a_missed_chat_to_call_back(self):
        response = self._post(
            name="Nora Night",
            email="nora@night.example.org",
            phone="0470 12 34 56",
            message="Please call me about my order.",
            callback="1",
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("call you back", response.text)
        ticket = self._tickets()
        interaction = self._offline_interactions()
        self.assertEqual(len(interaction), 1)
        self.assertTrue(interaction.callback_requested)
        self.assertEqual(interaction.direction, "inbound")
        self.assertEqual(interaction.state, "missed")
        # a Belgian national number: 0 dropped, +32 put in front
        self.assertEqual(interaction.phone_e164, "+32470123456")
        self.assertEqual(interaction.phone, "+32470123456")
        self.assertEqual(interaction.partner_id, ticket.partner_id)
        self.assertEqual(interaction.team_id, self.team)
        self.assertEqual(
            (interaction.res_model, interaction.res_id), (ticket._name, ticket.id)
        )
        # the new contact keeps the number they left
        self.assertEqual(ticket.partner_id.phone, "+32470123456")

    @freeze_time(NIGHT)
    def test_phone_without_callback_logs_no_interaction(self):
        self._post(
            email="nora@night.example.org", phone="+32 470 12 34 56", message="Hi"
        )
        self.assertEqual(len(self._tickets()), 1)
        self.assertFalse(self._offline_interactions())

    @freeze_time(NIGHT)
    def test_known_customer_is_matched_by_email(self):
        known = self.env["res.partner"].create(
            {"name": "Kim Known", "email": "kim@known.example.org"}
        )
        partners = self.env["res.partner"].search_count([])
        self._post(name="K.", email="KIM@known.example.org", message="Hello again")
        self.assertEqual(self._tickets().partner_id, known)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)

    @freeze_time(NIGHT)
    def test_known_customer_is_matched_by_phone_without_email(self):
        known = self.env["res.partner"].create(
            {
                "name": "Pat Phone",
                "phone": "+32 2 555 31 31",
                "email": "pat@phone.example.org",
            }
        )
        response = self._post(phone="02 555 31 31", message="Call me", callback="1")
        self.assertEqual(response.status_code, 200)
        ticket = self._tickets()
        self.assertEqual(ticket.partner_id, known)
        self.assertEqual(self._offline_interactions().partner_id, known)
        # no address typed: nothing is emailed, not even to the address of
        # the contact the number belongs to, and the ticket says why
        self.assertFalse(ticket.email_from)
        self.assertFalse(self._ack_mail(ticket))
        self.assertTrue(ticket.acknowledgement_skipped)
        # the page still says when we answer
        self.assertIn("Monday 9 March 2026 13:00", response.text)

    @freeze_time(NIGHT)
    def test_employee_address_typed_on_the_form_is_no_agent_answer(self):
        # anyone may type an agent's address: the message stays a customer's
        # request, it neither answers the ticket nor stops its SLA clock
        response = self._post(email=self.agent.user_id.email, message="Hi")
        self.assertEqual(response.status_code, 200)
        ticket = self._tickets()
        self.assertFalse(ticket.first_response_at)
        self.assertEqual(ticket.sla_status, "running")
        self.assertFalse(ticket.interaction_ids)

    # offline in business hours -------------------------------------------
    @freeze_time(DAY)
    def test_open_team_without_free_agent_takes_messages(self):
        # Ann is offline: no one can chat although the team is open
        self.assertEqual(self.agent.presence, "offline")
        page, _token = self._form()
        self.assertIn('name="message"', page.text)
        response = self._post(email="dana@day.example.org", message="Question")
        self.assertEqual(response.status_code, 200)
        ticket = self._tickets()
        self.assertEqual(len(ticket), 1)
        # Wednesday 11:00 + 4 working hours: Wednesday 15:00
        self.assertIn("Wednesday 4 March 2026 15:00", self._ack_mail(ticket).body_html)
        self.assertIn("Wednesday 4 March 2026 15:00", response.text)

    @freeze_time(DAY)
    def test_page_offers_the_chat_when_an_agent_is_free(self):
        self.agent._set_presence("available")
        self.assertFalse(self.channel._cc_is_offline())
        response = self.url_open(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'href="/im_livechat/support/{self.channel.id}"', response.text)
        self.assertNotIn('name="message"', response.text)

    @freeze_time(NIGHT)
    def test_free_agent_at_night_does_not_open_the_chat(self):
        # available, but outside the team's hours: the page takes messages
        self.agent._set_presence("available")
        self.assertTrue(self.channel._cc_is_offline())
        page, _token = self._form()
        self.assertIn('name="message"', page.text)

    # bad input: an error on the page, what was typed kept, nothing stored --
    def _assert_refused(self, response, error, *typed):
        self.assertEqual(response.status_code, 400)
        self.assertIn(error, response.text)
        for value in typed:
            self.assertIn(value, response.text)
        self.assertFalse(self._tickets())
        self.assertFalse(self._offline_interactions())
        self.assertFalse(
            self.env["res.partner"].search([("email", "ilike", "typed.example.org")])
        )

    @freeze_time(NIGHT)
    def test_malformed_email_is_refused(self):
        response = self._post(
            name="Tia Typed", email="tia@typed", message="Where is my order?"
        )
        self._assert_refused(
            response, "is not an email address", "Tia Typed", "tia@typed", "Where is"
        )

    @freeze_time(NIGHT)
    def test_unreadable_phone_is_refused(self):
        response = self._post(
            email="tia@typed.example.org",
            phone="12-ab",
            message="Where is my order?",
        )
        self._assert_refused(
            response, "is not a phone number we can call", "12-ab", "Where is"
        )

    @freeze_time(NIGHT)
    def test_empty_message_is_refused(self):
        response = self._post(email="tia@typed.example.org", message="   ")
        self._assert_refused(
            response, "Please write your message.", "tia@typed.example.org"
        )

    @freeze_time(NIGHT)
    def test_callback_without_phone_is_refused(self):
        response = self._post(
            email="tia@typed.example.org", message="Call me", callback="1"
        )
        self._assert_refused(
            response, "Leave your phone number", "tia@typed.example.org", "Call me"
        )
        # the box stays ticked
        self.assertRegex(response.text, r'name="callback" value="1" checked')

    @freeze_time(NIGHT)
    def test_message_without_email_or_phone_is_refused(self):
        response = self._post(name="Tia Typed", message="Anyone there?")
        self._assert_refused(
            response, "Leave your email address or your phone number", "Anyone there?"
        )

    @freeze_time(NIGHT)
    @mute_logger("odoo.http")
    def test_post_without_csrf_token_is_refused(self):
        response = self.url_open(
            self.url, data={"email": "tia@typed.example.org", "message": "Hello"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._tickets())

    @freeze_time(NIGHT)
    @mute_logger("odoo.http")
    def test_post_with_a_forged_csrf_token_is_refused(self):
        self._form()
        response = self.url_open(
            self.url,
            data={
                "csrf_token": "0" * 40 + "o9999999999",
                "email": "tia@typed.example.org",
                "message": "Hello",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._tickets())

    # other routes ----------------------------------------------------------
    def test_channel_without_team_has_no_offline_page(self):
        plain = self.env["im_livechat.channel"].create({"name": "Plain"})
        response = self.url_open(f"/contact_center/chat/{plain.id}/offline")
        self.assertEqual(response.status_code, 404)

    def _json(self, **params):
        response = self.url_open(
            f"{self.url}/message",
            data=json.dumps({"jsonrpc": "2.0", "params": params}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()["result"]

    @freeze_time(NIGHT)
    def test_json_route_creates_the_ticket_and_says_when(self):
        result = self._json(
            name="Eve Embed",
            email="eve@embed.example.org",
            phone="+32 470 12 34 56",
            message="From your shop page",
            callback=True,
        )
        ticket = self._tickets()
        self.assertEqual(
            result,
            {
                "ok": True,
                "reference": ticket.reference,
                "expected": "Monday 9 March 2026 13:00",
            },
        )
        self.assertTrue(self._offline_interactions().callback_requested)

    @freeze_time(NIGHT)
    def test_json_route_answers_the_errors_and_stores_nothing(self):
        result = self._json(email="eve@embed", message="", callback=True)
        self.assertFalse(result["ok"])
        self.assertEqual(set(result["errors"]), {"email", "message", "phone"})
        self.assertFalse(self._tickets())

    # flood guard and reloading -------------------------------------------
    @freeze_time(NIGHT)
    def test_thank_you_page_reloaded_sends_nothing_again(self):
        _page, token = self._form()
        response = self.url_open(
            self.url,
            data={
                "csrf_token": token,
                "name": "Nora Night",
                "email": "nora@night.example.org",
                "message": "Where is my parcel?",
            },
            allow_redirects=False,
        )
        # the POST answers with a redirect to the thank-you page
        self.assertEqual(response.status_code, 303)
        ticket = self._tickets()
        self.assertEqual(len(ticket), 1)
        location = response.headers["Location"]
        self.assertIn(f"/offline/sent/{ticket.id}?token=", location)
        for _reload in range(2):
            page = self.url_open(location)
            self.assertEqual(page.status_code, 200)
            self.assertIn(ticket.reference, page.text)
        self.assertEqual(len(self._tickets()), 1)

    @freeze_time(NIGHT)
    def test_thank_you_page_needs_the_tickets_token(self):
        self._post(email="nora@night.example.org", message="Where is my parcel?")
        ticket = self._tickets()
        url = f"{self.url}/sent/{ticket.id}"
        self.assertEqual(self.url_open(url).status_code, 404)
        self.assertEqual(self.url_open(f"{url}?token=guess").status_code, 404)

    @freeze_time(NIGHT)
    def test_sixth_message_from_one_connection_in_minutes_is_refused(self):
        # 5 messages in a window of 10 minutes from one address are taken
        for n in range(5):
            response = self._post(
                email=f"visitor{n}@night.example.org", message=f"Message {n}"
            )
            self.assertEqual(response.status_code, 200)
        response = self._post(email="visitor5@night.example.org", message="Message 5")
        self.assertEqual(response.status_code, 429)
        self.assertIn("try again a little later", response.text)
        # what the visitor typed is still in the form, nothing is stored
        self.assertIn("visitor5@night.example.org", response.text)
        self.assertEqual(len(self._tickets()), 5)
        self.assertFalse(
            self.env["res.partner"].search(
                [("email", "=", "visitor5@night.example.org")]
            )
        )
        # the JSON route counts against the same limit
        answer = self._json(email="visitor6@night.example.org", message="Message 6")
        self.assertFalse(answer["ok"])
        self.assertIn("form", answer["errors"])
        # ten minutes later, messages are taken again
        with freeze_time("2026-03-06 21:11:00"):
            response = self._post(
                email="visitor7@night.example.org", message="Message 7"
            )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(self._tickets()), 6)
