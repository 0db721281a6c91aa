from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .common import TourCase


@tagged("post_install", "-at_install")
class TestBoardTour(TourCase):
    def test_agents_board_tour(self):
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        supervisor = new_test_user(
            env,
            "cc_board_supervisor",
            groups="contact_center.group_contact_center_supervisor",
        )
        agent_user = new_test_user(
            env, "cc_board_agent", groups="contact_center.group_contact_center_agent"
        )
        agent_user.name = "Board Agent"
        agent = env["contact_center.agent"].create({"user_id": agent_user.id})
        team = env["contact_center.team"].create(
            {
                "name": "Board Team",
                "supervisor_ids": [Command.link(supervisor.id)],
                "member_ids": [Command.set(agent.ids)],
            }
        )
        customer = env["res.partner"].create({"name": "Board Customer"})
        now = fields.Datetime.now()
        Interaction = env["contact_center.interaction"]
        Interaction.create(
            {
                "partner_id": customer.id,
                "team_id": team.id,
                "agent_id": agent.id,
                "state": "in_progress",
                "queued_at": now - timedelta(minutes=2),
                "answered_at": now - timedelta(minutes=1),
            }
        )
        Interaction.create(
            [{"team_id": team.id, "state": "queued", "queued_at": now}] * 2
        )
        env["contact_center.ticket"].with_context(cc_skip_routing=True).create(
            [{"name": f"Waiting {n}", "team_id": team.id} for n in range(3)]
        )
        # busy for 65 seconds: the counter starts above a minute
        agent.write({"presence": "busy", "presence_since": now - timedelta(seconds=65)})
        self.start_tour(
            "/odoo/action-contact_center.contact_center_agent_action",
            "contact_center_agents_board_tour",
            login="cc_board_supervisor",
        )

    def test_durations_tour(self):
        start = fields.Datetime.now() - timedelta(hours=3)
        Interaction = self.env["contact_center.interaction"]
        partner = self.env["res.partner"].create({"name": "Duration Customer"})
        for talk in (300, 3900):
            Interaction.create(
                {
                    "name": f"Talk {talk}",
                    "partner_id": partner.id,
                    "state": "done",
                    "queued_at": start,
                    "answered_at": start + timedelta(seconds=65),
                    "ended_at": start + timedelta(seconds=65 + talk),
                }
            )
        self.start_tour(
            "/odoo/action-contact_center.contact_center_interaction_action",
            "contact_center_durations_tour",
            login="admin",
        )
