"""The wallboard in a real browser: a call ends, the figure changes live."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .common import TourCase


@tagged("post_install", "-at_install")
class TestWallboardTour(TourCase):
    def test_wallboard_updates_when_a_call_ends(self):
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        supervisor = new_test_user(
            env,
            "cc_wb_supervisor",
            groups="contact_center.group_contact_center_supervisor",
            tz="UTC",
        )
        tina = env["contact_center.agent"].create(
            {
                "user_id": new_test_user(
                    env,
                    "cc_wb_tina",
                    name="Tina Talker",
                    groups="contact_center.group_contact_center_agent",
                ).id
            }
        )
        team = env["contact_center.team"].create(
            {
                "name": "Wallboard Team",
                "tz": "UTC",
                "resource_calendar_id": False,
                "supervisor_ids": [Command.link(supervisor.id)],
                "member_ids": [Command.set(tina.ids)],
            }
        )
        now = fields.Datetime.now()
        # minutes ago at most: still "today" in UTC unless run at midnight
        start = max(now - timedelta(minutes=5), now.replace(hour=0, minute=0))
        Interaction = env["contact_center.interaction"]
        Interaction.create(
            {
                "team_id": team.id,
                "agent_id": tina.id,
                "state": "done",
                "queued_at": start,
                "answered_at": start,
                "ended_at": start,
                "wrap_up_ended_at": start,
            }
        )
        call = Interaction.create(
            {
                "name": "Wallboard tour call",
                "team_id": team.id,
                "agent_id": tina.id,
                "state": "in_progress",
                "queued_at": start,
                "answered_at": start,
            }
        )
        tina._set_presence("busy")
        self.start_tour(
            "/odoo/contact-center-wallboard",
            "contact_center_wallboard_tour",
            login="cc_wb_supervisor",
        )
        self.assertEqual(call.state, "wrap_up")
