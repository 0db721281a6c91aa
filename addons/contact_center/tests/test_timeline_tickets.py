from datetime import timedelta

from odoo.tests import tagged

from .common import T0, ContactCenterCase, TourCase


class TestTimelineTones(ContactCenterCase):
    """Each entry says how the contact went: success, warning, danger, neutral."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Timeline = cls.env["contact_center.timeline"]

    def _entry(self, key):
        entries = self.Timeline.get_page(self.customer.id, limit=200)["entries"]
        return next(e for e in entries if e["key"] == key)

    def _disposed(self, code, **vals):
        disposition = self.env["contact_center.disposition"].search(
            [("code", "=", code)], limit=1
        )
        return self._interaction(
            state="done",
            answered_at=T0,
            ended_at=T0 + timedelta(minutes=2),
            disposition_id=disposition.id,
            **vals,
        )

    def test_outcome_tones_follow_the_outcome(self):
        cases = {
            "escalated": self._disposed("escalated"),
            "callback": self._disposed("callback"),
            "resolved": self._disposed("resolved", is_resolved=True),
            "abandoned": self._interaction(state="abandoned", ended_at=T0),
            "missed": self._interaction(state="missed", ended_at=T0),
            "ringing": self._interaction(state="ringing"),
            "done": self._interaction(
                state="done", answered_at=T0, ended_at=T0 + timedelta(minutes=1)
            ),
        }
        expected = {
            "escalated": ("danger", "Escalated"),
            "callback": ("warning", "Callback Requested"),
            "resolved": ("success", "Resolved"),
            "abandoned": ("danger", "Abandoned"),
            "missed": ("danger", "Missed"),
            "ringing": ("warning", "Ringing"),
            "done": ("success", "Done"),
        }
        for name, interaction in cases.items():
            with self.subTest(name):
                entry = self._entry(f"interaction-{interaction.id}")
                self.assertEqual((entry["tone"], entry["outcome"]), expected[name])

    def test_unanswered_inbound_email_awaits_a_reply(self):
        ticket = self.env["contact_center.ticket"].create(
            {"name": "Broken printer", "partner_id": self.customer.id}
        )
        email = self._interaction(
            name="Broken printer",
            channel="email",
            state="done",
            answered_at=T0,
            ended_at=T0,
            res_model=ticket._name,
            res_id=ticket.id,
        )
        entry = self._entry(f"interaction-{email.id}")
        self.assertEqual(
            (entry["tone"], entry["outcome"]), ("warning", "Awaiting reply")
        )
        # the agent answers on the ticket: the email is answered
        self._interaction(
            channel="email",
            direction="outbound",
            state="done",
            queued_at=T0 + timedelta(hours=1),
            answered_at=T0 + timedelta(hours=1),
            ended_at=T0 + timedelta(hours=1),
            res_model=ticket._name,
            res_id=ticket.id,
        )
        entry = self._entry(f"interaction-{email.id}")
        self.assertEqual((entry["tone"], entry["outcome"]), ("success", "Answered"))

    def test_messages_are_neutral(self):
        message = self.customer.message_post(body="Called back", message_type="comment")
        entry = self._entry(f"partner_message-{message.id}")
        self.assertEqual(entry["tone"], "neutral")


class TestTimelineTickets(ContactCenterCase):
    """A customer's tickets are entries of their own, with or without contacts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Timeline = cls.env["contact_center.timeline"]
        cls.ticket = cls.env["contact_center.ticket"].create(
            {
                "name": "Invoice is wrong",
                "partner_id": cls.customer.id,
                "team_id": cls.team.id,
                "channel": "phone",
            }
        )
        cls.ticket.received_at = T0 + timedelta(minutes=5)
        cls.call = cls._interaction(name="first call", queued_at=T0)

    def test_ticket_without_interaction_is_an_entry(self):
        entries = self.Timeline.get_page(self.customer.id)["entries"]
        self.assertEqual(
            [e["key"] for e in entries],
            [f"ticket-{self.ticket.id}", f"interaction-{self.call.id}"],
        )
        entry = entries[0]
        self.assertEqual(entry["reference"], self.ticket.reference)
        self.assertEqual(entry["title"], "Invoice is wrong")
        self.assertEqual(entry["outcome"], self.ticket.stage_id.name)
        self.assertEqual(entry["tone"], "neutral")
        self.assertEqual(entry["channel"], "phone")
        self.assertEqual(
            (entry["res_model"], entry["res_id"]),
            ("contact_center.ticket", self.ticket.id),
        )

    def test_ticket_tone_follows_its_stage(self):
        for xmlid, tone in (
            ("contact_center.ticket_stage_waiting", "warning"),
            ("contact_center.ticket_stage_solved", "success"),
        ):
            with self.subTest(xmlid):
                stage = self.env.ref(xmlid)
                self.ticket.stage_id = stage
                entry = self.Timeline.get_page(self.customer.id, limit=1)["entries"][0]
                self.assertEqual((entry["tone"], entry["outcome"]), (tone, stage.name))

    def test_ticket_entries_follow_filters_and_cursor(self):
        emails = self.Timeline.get_page(
            self.customer.id, filters={"channels": ["email"]}
        )["entries"]
        self.assertFalse(emails)
        keys, cursor = [], None
        while True:
            page = self.Timeline.get_page(self.customer.id, cursor=cursor, limit=1)
            keys += [e["key"] for e in page["entries"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        self.assertEqual(
            keys, [f"ticket-{self.ticket.id}", f"interaction-{self.call.id}"]
        )

    def test_ticket_entries_follow_ticket_access(self):
        # agent2 works for another team: the Care ticket is not theirs to read
        keys = [
            e["key"]
            for e in self.Timeline.with_user(self.user_agent2).get_page(
                self.customer.id
            )["entries"]
        ]
        self.assertNotIn(f"ticket-{self.ticket.id}", keys)
        self.assertIn(f"interaction-{self.call.id}", keys)
        keys = [
            e["key"]
            for e in self.Timeline.with_user(self.user_agent).get_page(
                self.customer.id
            )["entries"]
        ]
        self.assertIn(f"ticket-{self.ticket.id}", keys)


@tagged("post_install", "-at_install")
class TestTimelineTicketsTour(TourCase):
    def test_timeline_tickets_tour(self):
        partner = self.env["res.partner"].create({"name": "Badge Customer"})
        dispositions = self.env["contact_center.disposition"]
        for code, name in (("escalated", "Escalated call"), ("resolved", "Fixed call")):
            self.env["contact_center.interaction"].create(
                {
                    "name": name,
                    "partner_id": partner.id,
                    "state": "done",
                    "answered_at": T0,
                    "ended_at": T0 + timedelta(minutes=3),
                    "queued_at": T0,
                    "is_resolved": code == "resolved",
                    "disposition_id": dispositions.search([("code", "=", code)]).id,
                }
            )
        ticket = self.env["contact_center.ticket"].create(
            {"name": "Hand-made ticket", "partner_id": partner.id}
        )
        self.start_tour(
            f"/odoo/action-base.action_partner_form/{partner.id}",
            "contact_center_timeline_tickets_tour",
            login="admin",
        )
        self.assertTrue(ticket.reference.startswith("TCK/"))
