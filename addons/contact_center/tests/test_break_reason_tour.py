from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import TourCase


@tagged("post_install", "-at_install")
class TestBreakReasonTour(TourCase):
    def test_agent_picks_break_lunch_in_the_presence_widget(self):
        user = new_test_user(
            self.env,
            "cc_break_agent",
            groups="contact_center.group_contact_center_agent",
        )
        agent = self.env["contact_center.agent"].create({"user_id": user.id})
        agent._set_presence("available")
        self.start_tour(
            "/odoo", "contact_center_break_reason_tour", login="cc_break_agent"
        )
        line = agent.presence_ids.filtered(lambda p: not p.end_at)
        self.assertEqual(line.state, "break")
        self.assertEqual(
            line.break_reason_id, self.env.ref("contact_center.break_reason_lunch")
        )
        self.assertEqual(line.changed_by_id, user)

    def test_supervisor_puts_an_agent_on_a_coaching_break_from_the_board(self):
        supervisor = new_test_user(
            self.env,
            "cc_break_supervisor",
            groups="contact_center.group_contact_center_supervisor",
        )
        user = new_test_user(
            self.env,
            "cc_break_board_agent",
            groups="contact_center.group_contact_center_agent",
        )
        user.name = "Break Reason Agent"
        agent = self.env["contact_center.agent"].create({"user_id": user.id})
        self.env["contact_center.team"].create(
            {
                "name": "Break Team",
                "supervisor_ids": [Command.link(supervisor.id)],
                "member_ids": [Command.set(agent.ids)],
            }
        )
        agent._set_presence("available")
        self.start_tour(
            "/odoo/action-contact_center.contact_center_agent_action",
            "contact_center_board_break_reason_tour",
            login="cc_break_supervisor",
        )
        line = agent.presence_ids.filtered(lambda p: not p.end_at)
        self.assertEqual(
            (line.state, line.break_reason_id),
            ("break", self.env.ref("contact_center.break_reason_coaching")),
        )
        self.assertEqual(line.changed_by_id, supervisor)
