from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import TourCase


@tagged("post_install", "-at_install")
class TestPresenceTimeoutTour(TourCase):
    def _disconnected_agent(self, login, auto_return=False):
        """An agent the presence timeout set offline: available for 10 min, no
        web client session at all."""
        user = new_test_user(
            self.env, login, groups="contact_center.group_contact_center_agent"
        )
        agent = self.env["contact_center.agent"].create({"user_id": user.id})
        self.env["contact_center.team"].create(
            {
                "name": f"Team of {login}",
                "member_ids": [fields.Command.link(agent.id)],
                "presence_auto_return": auto_return,
            }
        )
        agent._set_presence("available")
        agent.presence_since = fields.Datetime.now() - timedelta(minutes=10)
        self.env["bus.presence"].sudo().search([("user_id", "=", user.id)]).unlink()
        self.env["contact_center.agent"]._cron_presence_timeout()
        self.assertEqual(agent.presence, "offline")
        return agent

    def _reasons(self, agent):
        return (
            self.env["contact_center.agent.presence"]
            .search([("agent_id", "=", agent.id)], order="start_at, id")
            .mapped(lambda line: (line.state, line.reason))
        )

    def test_agent_set_offline_by_timeout_sees_it_and_comes_back(self):
        agent = self._disconnected_agent("cc_tour_gone_agent")
        self.start_tour(
            "/odoo", "contact_center_presence_timeout_tour", login="cc_tour_gone_agent"
        )
        self.assertEqual(agent.presence, "available")
        self.assertEqual(
            self._reasons(agent),
            [
                ("offline", False),
                ("available", False),
                ("offline", "disconnected"),
                ("available", False),
            ],
        )

    def test_agent_of_auto_return_team_is_available_on_return(self):
        agent = self._disconnected_agent("cc_tour_back_agent", auto_return=True)
        self.start_tour(
            "/odoo",
            "contact_center_presence_auto_return_tour",
            login="cc_tour_back_agent",
        )
        self.assertEqual(agent.presence, "available")
        self.assertEqual(self._reasons(agent)[-1], ("available", "reconnected"))
