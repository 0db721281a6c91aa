import json
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from .common import ContactCenterCase


class TestPresence(ContactCenterCase):
    def _log(self, agent):
        return self.env["contact_center.agent.presence"].search(
            [("agent_id", "=", agent.id)], order="start_at, id"
        )

    def test_new_agent_starts_offline_with_open_period(self):
        log = self._log(self.agent)
        self.assertEqual(self.agent.presence, "offline")
        self.assertEqual(log.mapped("state"), ["offline"])
        self.assertFalse(log.end_at)

    def test_every_change_is_logged_with_start_and_end(self):
        with freeze_time("2027-03-02 09:00:00"):
            self.agent.with_user(self.user_agent).action_set_available()
        with freeze_time("2027-03-02 10:30:00"):
            self.agent.with_user(self.user_agent).action_set_break()
        with freeze_time("2027-03-02 10:45:00"):
            self.agent.with_user(self.user_agent).action_set_available()
        log = self._log(self.agent)
        self.assertEqual(
            log.mapped("state"), ["offline", "available", "break", "available"]
        )
        available, pause = log[1], log[2]
        self.assertEqual(available.start_at, datetime(2027, 3, 2, 9, 0))
        self.assertEqual(available.end_at, datetime(2027, 3, 2, 10, 30))
        self.assertEqual(available.duration_seconds, 5400)
        self.assertEqual(pause.duration_seconds, 900)
        self.assertEqual(len(log.filtered(lambda p: not p.end_at)), 1)
        self.assertEqual(self.agent.presence, "available")
        self.assertEqual(self.agent.presence_since, datetime(2027, 3, 2, 10, 45))

    def test_setting_same_presence_logs_nothing(self):
        self.agent._set_presence("available")
        self.agent._set_presence("available")
        self.assertEqual(len(self._log(self.agent)), 2)

    def test_agent_sets_own_presence_from_systray_api(self):
        Agent = self.env["contact_center.agent"].with_user(self.user_agent)
        result = Agent.set_my_presence("available")
        self.assertEqual(result["presence"], "available")
        self.assertEqual(Agent.get_my_presence()["agent_id"], self.agent.id)
        self.assertFalse(
            self.env["contact_center.agent"]
            .with_user(self.user_employee)
            .get_my_presence()
        )

    def test_agents_cannot_set_themselves_busy(self):
        Agent = self.env["contact_center.agent"].with_user(self.user_agent)
        with self.assertRaisesRegex(UserError, "only set yourself"):
            Agent.set_my_presence("busy")
        self.assertEqual(self.agent.presence, "offline")

    def test_unknown_presence_is_refused(self):
        with self.assertRaisesRegex(UserError, "Unknown presence"):
            self.agent._set_presence("sleeping")

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_agent_cannot_change_another_agents_presence(self):
        with self.assertRaises(AccessError):
            self.agent2.with_user(self.user_agent).action_set_available()
        self.assertEqual(self.agent2.presence, "offline")

    def test_supervisor_sets_presence_of_own_team_only(self):
        self.agent.with_user(self.user_supervisor).action_set_break()
        self.assertEqual(self.agent.presence, "break")
        self.assertEqual(self._log(self.agent)[-1].changed_by_id, self.user_supervisor)
        with self.assertRaises(AccessError):
            self.agent2.with_user(self.user_supervisor).action_set_available()

    def test_batch_change_costs_the_same_queries_for_few_or_many_agents(self):
        users = [
            new_test_user(
                self.env,
                f"cc_batch_{i}",
                groups="contact_center.group_contact_center_agent",
            )
            for i in range(6)
        ]
        agents = self.env["contact_center.agent"].create(
            [{"user_id": u.id} for u in users]
        )

        def queries(batch):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            batch._set_presence("available")
            return self.env.cr.sql_log_count - before

        self.assertEqual(queries(agents[:2]), queries(agents[2:]))
        open_periods = self.env["contact_center.agent.presence"].search_count(
            [("agent_id", "in", agents.ids), ("end_at", "=", False)]
        )
        self.assertEqual(open_periods, 6)

    def test_change_by_supervisor_is_pushed_to_the_agents_browser(self):
        self.env["bus.bus"].search([]).unlink()
        self.agent.with_user(self.user_supervisor).action_set_break()
        self.env.cr.precommit.run()  # the bus writes its notifications on commit
        notifications = (
            self.env["bus.bus"]
            .search([])
            .filtered(lambda n: "contact_center.presence" in n.message)
        )
        self.assertEqual(len(notifications), 1)
        message = json.loads(notifications.message)
        self.assertEqual(message["payload"]["presence"], "break")
        self.assertEqual(message["payload"]["agent_id"], self.agent.id)
        channel = json.loads(notifications.channel)
        self.assertIn(self.user_agent.partner_id.id, channel)
