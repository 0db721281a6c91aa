"""Break reasons: chosen by the agent or a supervisor, kept in the presence log."""

import json
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from .common import ContactCenterCase


class TestBreakReasons(ContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lunch = cls.env.ref("contact_center.break_reason_lunch")
        cls.training = cls.env.ref("contact_center.break_reason_training")
        cls.other_company = cls.env["res.company"].create({"name": "Other Co"})
        cls.other_reason = cls.env["contact_center.break.reason"].create(
            {
                "name": "Other Co siesta",
                "code": "siesta",
                "company_id": cls.other_company.id,
            }
        )
        cls.Agent = cls.env["contact_center.agent"]

    def _open_period(self, agent):
        return self.env["contact_center.agent.presence"].search(
            [("agent_id", "=", agent.id), ("end_at", "=", False)]
        )

    def test_shipped_reasons(self):
        codes = (
            self.env["contact_center.break.reason"]
            .search([("company_id", "=", False)])
            .mapped("code")
        )
        for code in ("lunch", "short_break", "training", "coaching", "meeting"):
            self.assertIn(code, codes)

    def test_agent_goes_to_lunch_and_the_log_says_so(self):
        Agent = self.Agent.with_user(self.user_agent)
        result = Agent.set_my_presence("break", break_reason_id=self.lunch.id)
        self.assertEqual(result["presence"], "break")
        self.assertEqual(result["break_reason"], {"id": self.lunch.id, "name": "Lunch"})
        offered = {r["id"] for r in result["break_reasons"]}
        self.assertIn(self.lunch.id, offered)
        self.assertNotIn(self.other_reason.id, offered)
        period = self._open_period(self.agent)
        self.assertEqual(period.state, "break")
        self.assertEqual(period.break_reason_id, self.lunch)
        self.assertEqual(period.changed_by_id, self.user_agent)
        # the agent reads their own log line with its reason
        self.assertEqual(
            period.with_user(self.user_agent).break_reason_id.name, "Lunch"
        )

    def test_a_break_without_reason_still_works(self):
        self.Agent.with_user(self.user_agent).set_my_presence("break")
        period = self._open_period(self.agent)
        self.assertEqual(period.state, "break")
        self.assertFalse(period.break_reason_id)

    def test_changing_the_reason_of_a_break_opens_a_new_period(self):
        Agent = self.Agent.with_user(self.user_agent)
        Agent.set_my_presence("break", break_reason_id=self.lunch.id)
        Agent.set_my_presence("break", break_reason_id=self.training.id)
        log = self.agent.presence_ids.sorted("id")
        self.assertEqual(log[-2:].mapped("break_reason_id"), self.lunch | self.training)
        self.assertTrue(log[-2].end_at)
        self.assertFalse(log[-1].end_at)

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_agent_cannot_pass_another_companys_reason(self):
        Agent = self.Agent.with_user(self.user_agent)
        with self.assertRaises(AccessError):
            Agent.set_my_presence("break", break_reason_id=self.other_reason.id)
        self.assertEqual(self.agent.presence, "offline")
        self.assertFalse(
            self.env["contact_center.agent.presence"].search(
                [("break_reason_id", "=", self.other_reason.id)]
            )
        )

    def test_a_reason_goes_with_a_break_only(self):
        with self.assertRaises(UserError):
            self.Agent.with_user(self.user_agent).set_my_presence(
                "available", break_reason_id=self.lunch.id
            )
        with self.assertRaises(UserError):
            self.agent._set_presence("offline", break_reason_id=self.lunch.id)

    def test_an_archived_reason_is_refused(self):
        self.lunch.active = False
        with self.assertRaises(UserError):
            self.Agent.with_user(self.user_agent).set_my_presence(
                "break", break_reason_id=self.lunch.id
            )

    def test_supervisor_puts_an_agent_on_a_coaching_break_from_the_board(self):
        coaching = self.env.ref("contact_center.break_reason_coaching")
        action = self.agent.with_user(self.user_supervisor).action_open_break_reasons()
        self.assertEqual(action["res_model"], "contact_center.agent.break")
        wizard = (
            self.env["contact_center.agent.break"]
            .with_user(self.user_supervisor)
            .with_context(**action["context"])
            .create({"break_reason_id": coaching.id})
        )
        self.assertEqual(wizard.agent_ids, self.agent)
        wizard.action_confirm()
        period = self._open_period(self.agent)
        self.assertEqual((period.state, period.break_reason_id), ("break", coaching))
        self.assertEqual(period.changed_by_id, self.user_supervisor)

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_supervisor_cannot_break_agents_of_other_teams(self):
        wizard = (
            self.env["contact_center.agent.break"]
            .with_user(self.user_supervisor)
            .create(
                {
                    "agent_ids": [(6, 0, self.agent2.ids)],
                    "break_reason_id": self.lunch.id,
                }
            )
        )
        with self.assertRaises(AccessError):
            wizard.action_confirm()
        self.assertEqual(self.agent2.presence, "offline")

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_agents_read_reasons_and_administrators_manage_them(self):
        Reason = self.env["contact_center.break.reason"]
        self.assertIn(self.lunch, Reason.with_user(self.user_agent).search([]))
        for user in (self.user_agent, self.user_supervisor):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Reason.with_user(user).create({"name": "Nap", "code": "nap"})
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.lunch.with_user(user).name = "Long lunch"
        nap = Reason.with_user(self.user_manager).create({"name": "Nap", "code": "nap"})
        self.assertTrue(nap)
        # another company's reason is invisible
        self.assertNotIn(
            self.other_reason, Reason.with_user(self.user_manager).search([])
        )

    def test_presence_log_groups_break_time_by_reason(self):
        """What the KPI reports read: break time per reason, in one grouped read."""
        with freeze_time("2027-03-02 12:00:00"):
            self.agent._set_presence("break", break_reason_id=self.lunch.id)
        with freeze_time("2027-03-02 12:45:00"):
            self.agent._set_presence("break", break_reason_id=self.training.id)
        with freeze_time("2027-03-02 13:15:00"):
            self.agent._set_presence("available")
        groups = self.env["contact_center.agent.presence"]._read_group(
            [("agent_id", "=", self.agent.id), ("state", "=", "break")],
            ["break_reason_id"],
            ["duration_seconds:sum"],
        )
        self.assertEqual(dict(groups), {self.lunch: 45 * 60, self.training: 30 * 60})
        self.assertEqual(
            self._open_period(self.agent).start_at, datetime(2027, 3, 2, 13, 15)
        )

    def test_the_bus_tells_the_widget_the_reason(self):
        self.env["bus.bus"].search([]).unlink()
        self.agent.with_user(self.user_supervisor)._set_presence(
            "break", break_reason_id=self.lunch.id
        )
        self.env.cr.precommit.run()
        message = (
            self.env["bus.bus"]
            .search([])
            .filtered(lambda n: "contact_center.presence" in n.message)
            .message
        )
        payload = json.loads(message)["payload"]
        self.assertEqual(
            payload["break_reason"], {"id": self.lunch.id, "name": "Lunch"}
        )


class TestBreakReasonNewAgent(ContactCenterCase):
    def test_agent_of_another_company_sees_its_own_and_shared_reasons(self):
        company = self.env["res.company"].create({"name": "Second Co"})
        user = new_test_user(
            self.env,
            "cc_second_agent",
            groups="contact_center.group_contact_center_agent",
            company_id=company.id,
            company_ids=[(6, 0, company.ids)],
        )
        self.env["contact_center.agent"].create(
            {"user_id": user.id, "company_id": company.id}
        )
        own = self.env["contact_center.break.reason"].create(
            {"name": "Team huddle", "code": "huddle", "company_id": company.id}
        )
        presence = self.env["contact_center.agent"].with_user(user).get_my_presence()
        offered = {r["id"] for r in presence["break_reasons"]}
        self.assertIn(own.id, offered)
        self.assertIn(self.env.ref("contact_center.break_reason_lunch").id, offered)
