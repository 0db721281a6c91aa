from odoo.tests import new_test_user, tagged

from .common import TourCase


@tagged("post_install", "-at_install")
class TestPresenceTour(TourCase):
    def test_agent_changes_presence_from_systray(self):
        user = new_test_user(
            self.env,
            "cc_tour_agent",
            groups="contact_center.group_contact_center_agent",
        )
        agent = self.env["contact_center.agent"].create({"user_id": user.id})
        self.start_tour("/odoo", "contact_center_presence_tour", login="cc_tour_agent")
        self.assertEqual(agent.presence, "break")
        log = self.env["contact_center.agent.presence"].search(
            [("agent_id", "=", agent.id)], order="start_at, id"
        )
        self.assertEqual(log.mapped("state"), ["offline", "available", "break"])
        self.assertTrue(all(log[:2].mapped("end_at")))
        self.assertFalse(log[2].end_at)
        self.assertEqual(log[1:].changed_by_id, user)

    def test_systray_follows_presence_changed_elsewhere(self):
        user = new_test_user(
            self.env,
            "cc_tour_live_agent",
            groups="contact_center.group_contact_center_agent",
        )
        agent = self.env["contact_center.agent"].create({"user_id": user.id})
        self.start_tour(
            "/odoo", "contact_center_presence_live_tour", login="cc_tour_live_agent"
        )
        self.assertEqual(agent.presence, "break")

    def test_user_who_is_not_an_agent_has_no_presence_item(self):
        new_test_user(self.env, "cc_tour_employee", groups="base.group_user")
        self.start_tour(
            "/odoo", "contact_center_presence_absent_tour", login="cc_tour_employee"
        )
