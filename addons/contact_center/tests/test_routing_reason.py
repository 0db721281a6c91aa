"""Routing reasons: codes in the engine, translatable sentences for users."""

import dataclasses

from odoo.addons.contact_center.tools import routing

from .common import ContactCenterCase


class TestRoutingReasonText(ContactCenterCase):
    def test_engine_decisions_carry_codes_not_sentences(self):
        fields = {field.name for field in dataclasses.fields(routing.Decision)}
        self.assertEqual(fields, {"team_id", "agent_id", "reason", "overflow"})
        self.assertTrue(all(code.isidentifier() for code in routing.REASONS))

    def test_every_reason_code_reads_as_a_sentence(self):
        Team = self.env["contact_center.team"].with_user(self.user_agent)
        for code in (*routing.REASONS, "no_team"):
            with self.subTest(code=code):
                text = Team._routing_reason_text(code)
                self.assertNotEqual(text, code)
                self.assertIn(" ", text)

    def test_overflow_is_said_before_the_agent_choice(self):
        Team = self.env["contact_center.team"]
        text = Team._routing_reason_text("least_loaded", overflow=True)
        self.assertEqual(
            text,
            f"{Team._routing_reason_text('overflow')}; "
            f"{Team._routing_reason_text('least_loaded')}",
        )
