from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.contact_center.tests.common import TourCase

UTC = ZoneInfo("UTC")


@tagged("post_install", "-at_install")
class TestDialerPanelTour(TourCase):
    def test_agent_works_a_preview_campaign_in_the_dialer(self):
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        user, team, agent = self._create_desk(
            "cc_dialer_agent", "Dialer Agent", "Dialer Team"
        )
        # callable around the clock, so the tour runs at any hour
        windows = [Command.clear()] + [
            Command.create({"weekday": str(day), "hour_from": 0.0, "hour_to": 24.0})
            for day in range(7)
        ]
        Campaign = env["contact_center.campaign"]
        campaign, other = Campaign.create(
            [
                {
                    "name": "Renewals",
                    "team_id": team.id,
                    "window_ids": windows,
                    "script": "<p>Good morning ${name}, this is ${agent}.</p>",
                },
                {"name": "Winback", "team_id": team.id, "window_ids": windows},
            ]
        )
        (campaign | other).action_start()
        nina_partner = env["res.partner"].create({"name": "Nina Noanswer"})
        Contact = env["contact_center.campaign.contact"]
        nina = Contact.create(
            {
                "campaign_id": campaign.id,
                "name": "Nina Noanswer",
                "partner_id": nina_partner.id,
                "tz": "Europe/Brussels",
                "priority": 10,
                "number_ids": [Command.create({"phone_e164": "+3225551201"})],
            }
        )
        carl = Contact.create(
            {
                "campaign_id": campaign.id,
                "name": "Carl Callback",
                "tz": "America/New_York",
                "number_ids": [
                    Command.create({"phone_e164": "+12125550101", "kind": "mobile"})
                ],
            }
        )
        env["contact_center.interaction"].create(
            {
                "channel": "phone",
                "direction": "inbound",
                "partner_id": nina_partner.id,
                "queued_at": fields.Datetime.now() - timedelta(days=3),
                "state": "done",
                "note": "Asked for a quote",
            }
        )
        started = fields.Datetime.now()
        self.start_tour(
            "/odoo/action-contact_center_dialer.contact_center_dialer_panel_action",
            "contact_center_dialer_panel_tour",
            login="cc_dialer_agent",
        )
        # Nina: no answer, retried after the campaign's 120 minutes
        self.assertEqual(nina.state, "retry")
        self.assertEqual(nina.attempts, 1)
        self.assertEqual(nina.last_outcome, "no_answer")
        self.assertGreaterEqual(nina.next_attempt_at, started + timedelta(minutes=120))
        # Carl: called back tomorrow 10:00 New York time, kept for the agent
        self.assertEqual(carl.state, "callback")
        self.assertEqual(carl.callback_agent_id, agent)
        new_york = ZoneInfo("America/New_York")
        tomorrow = (datetime.now(new_york) + timedelta(days=1)).date()
        expected = (
            datetime.combine(tomorrow, time(10, 0), tzinfo=new_york)
            .astimezone(UTC)
            .replace(tzinfo=None)
        )
        self.assertEqual(carl.next_attempt_at, expected)
        calls = env["contact_center.interaction"].search(
            [
                ("res_model", "=", "contact_center.campaign.contact"),
                ("res_id", "in", (nina | carl).ids),
            ],
            order="id",
        )
        self.assertEqual(calls.mapped("direction"), ["outbound", "outbound"])
        self.assertEqual(calls.mapped("agent_id"), agent)
        self.assertEqual(calls.mapped("phone"), ["+3225551201", "+12125550101"])
        self.assertEqual(calls[0].note, "Rang ten times")
        self.assertEqual(calls[0].state, "missed")
        self.assertEqual(user.name, "Dialer Agent")
