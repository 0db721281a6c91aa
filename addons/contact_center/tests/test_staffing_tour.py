from datetime import datetime, time, timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .common import TourCase


@tagged("post_install", "-at_install")
class TestStaffingTour(TourCase):
    def test_staffing_forecast_tour(self):
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        supervisor = new_test_user(
            env,
            "cc_staffing_supervisor",
            groups="contact_center.group_contact_center_supervisor",
        )
        agent_user = new_test_user(
            env, "cc_staffing_agent", groups="contact_center.group_contact_center_agent"
        )
        agent = env["contact_center.agent"].create({"user_id": agent_user.id})
        team = env["contact_center.team"].create(
            {
                "name": "Tour Desk",
                "tz": "UTC",
                "forecast_weeks": 4,
                "service_level_percent": 80.0,
                "service_level_seconds": 20,
                "shrinkage_percent": 30.0,
                "supervisor_ids": [Command.link(supervisor.id)],
                # no member: nobody scheduled, the agent only handles the calls
            }
        )
        today = fields.Date.today()
        this_monday = today - timedelta(days=today.weekday())
        values = []
        for week in range(1, 5):
            start = datetime.combine(this_monday - timedelta(weeks=week), time(9, 0))
            for n in range(100):
                queued = start + timedelta(seconds=15 * n)
                answered = queued + timedelta(seconds=5)
                ended = answered + timedelta(seconds=180)
                values.append(
                    {
                        "team_id": team.id,
                        "agent_id": agent.id,
                        "channel": "phone",
                        "direction": "inbound",
                        "state": "done",
                        "queued_at": queued,
                        "answered_at": answered,
                        "ended_at": ended,
                        "wrap_up_ended_at": ended,
                    }
                )
        env["contact_center.interaction"].create(values)
        self.start_tour(
            "/odoo/action-contact_center.contact_center_staffing_forecast_action",
            "contact_center_staffing_tour",
            login="cc_staffing_supervisor",
        )
