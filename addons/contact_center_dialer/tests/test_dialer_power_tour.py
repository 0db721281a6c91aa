from odoo import Command, http
from odoo.tests import new_test_user, tagged

from odoo.addons.contact_center.tests.common import TourCase


@tagged("post_install", "-at_install")
class TestDialerPowerTour(TourCase):
    """A supervisor imports a list and starts a power campaign on the
    simulated PBX; an agent takes the calls the dialer connects, records a
    sale, a callback and a refusal; the campaign shows the results. The
    simulated PBX reports every event through the signed events API."""

    def check_test_cursor(self, operation):
        """The simulated PBX posts its events from its own threads, as a PBX
        would, so they carry no browser cookie: let the telephony API's
        requests share the test's cursor as Odoo lets cookie-less requests
        do outside a browser test."""
        request = http.request
        if request and request.httprequest.path.startswith(
            "/contact_center/telephony/"
        ):
            strict, self.http_request_strict_check = (
                self.http_request_strict_check,
                False,
            )
            try:
                return super().check_test_cursor(operation)
            finally:
                self.http_request_strict_check = strict
        return super().check_test_cursor(operation)

    def test_power_campaign_on_the_simulated_pbx_end_to_end(self):
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        user, team, agent = self._create_desk(
            "cc_power_agent", "Power Agent", "Power Team", extension="301"
        )
        supervisor = new_test_user(
            env,
            "cc_power_supervisor",
            name="Power Supervisor",
            groups="contact_center.group_contact_center_supervisor",
        )
        team.supervisor_ids = [Command.link(supervisor.id)]
        provider = env["contact_center.telephony.provider"].create(
            {
                "name": "Demo PBX",
                "code": "demo_pbx",
                "connector": "simulated",
                "connector_url": self.base_url(),
                # everyone answers quickly and stays on the line
                "sim_human_percent": 100,
                "sim_machine_percent": 0,
                "sim_busy_percent": 0,
                "sim_failed_percent": 0,
                "sim_ring_min_seconds": 1,
                "sim_ring_max_seconds": 2,
                "sim_talk_min_seconds": 600,
                "sim_talk_max_seconds": 600,
            }
        )
        # callable around the clock, so the tour runs at any hour
        windows = [Command.clear()] + [
            Command.create({"weekday": str(day), "hour_from": 0.0, "hour_to": 24.0})
            for day in range(7)
        ]
        campaign = env["contact_center.campaign"].create(
            {
                "name": "Spring Renewals",
                "team_id": team.id,
                "dialer_mode": "power",
                "power_ratio": 1.0,
                "provider_id": provider.id,
                "window_ids": windows,
            }
        )
        form = (
            "/odoo/action-contact_center_dialer.contact_center_campaign_action/"
            f"{campaign.id}"
        )
        self.start_tour(
            form,
            "contact_center_dialer_power_supervisor_tour",
            login="cc_power_supervisor",
        )
        self.assertEqual(campaign.state, "running")
        self.assertEqual(campaign.contact_count, 3)
        self.start_tour(
            "/odoo/action-contact_center_dialer.contact_center_dialer_panel_action",
            "contact_center_dialer_power_agent_tour",
            login="cc_power_agent",
        )
        contacts = {c.name: c for c in campaign.contact_ids}
        self.assertEqual(contacts["Paula Power"].last_outcome, "sale")
        self.assertEqual(contacts["Paula Power"].state, "done")
        self.assertEqual(contacts["Quentin Quick"].state, "callback")
        self.assertEqual(contacts["Quentin Quick"].callback_agent_id, agent)
        self.assertEqual(contacts["Rita Later"].last_outcome, "not_interested")
        calls = env["contact_center.interaction"].search(
            [("campaign_id", "=", campaign.id)], order="id"
        )
        self.assertEqual(len(calls), 3, "one interaction per call the dialer placed")
        self.assertEqual(set(calls.mapped("is_dialer_call")), {True})
        self.assertEqual(calls.mapped("agent_id"), agent)
        self.assertFalse(any(calls.mapped("is_dialer_abandoned")))
        self.assertTrue(
            all(calls.mapped("dialer_connected_at")),
            [
                (
                    c.campaign_contact_id.name,
                    c.state,
                    c.answered_at,
                    c.dialer_answered_by,
                )
                for c in calls
            ],
        )
        # the events came through the API: they are in its inbox
        self.assertTrue(
            env["contact_center.telephony.event"].search_count(
                [("provider_id", "=", provider.id), ("state", "=", "done")]
            )
        )
        self.assertFalse(agent.dialer_campaign_id)
        self.start_tour(
            form,
            "contact_center_dialer_power_report_tour",
            login="cc_power_supervisor",
        )
