from odoo.exceptions import AccessError

from .common import ContactCenterCase


class TestAccess(ContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_call = cls._interaction(name="own")
        cls.other_call = cls._interaction(
            name="other", agent_id=cls.agent2.id, team_id=cls.other_team.id
        )
        cls.team_call = cls._interaction(name="team", agent_id=cls.agent_supervisor.id)

    def test_agent_reads_every_interaction(self):
        calls = (
            self.env["contact_center.interaction"]
            .with_user(self.user_agent)
            .search([("id", "in", (self.own_call | self.other_call).ids)])
        )
        self.assertEqual(len(calls), 2)
        self.assertEqual(sorted(calls.mapped("name")), ["other", "own"])

    def test_agent_edits_own_interaction(self):
        self.own_call.with_user(self.user_agent).write({"note": "Called back"})
        self.assertEqual(self.own_call.note, "Called back")

    def test_agent_cannot_edit_another_agents_interaction(self):
        with self.assertRaises(AccessError):
            self.other_call.with_user(self.user_agent).write({"note": "not mine"})
        self.assertFalse(self.other_call.note)

    def test_agent_cannot_delete_interactions(self):
        with self.assertRaises(AccessError):
            self.own_call.with_user(self.user_agent).unlink()

    def test_agent_cannot_log_interaction_for_someone_else(self):
        Interaction = self.env["contact_center.interaction"].with_user(self.user_agent)
        Interaction.create({"channel": "phone", "agent_id": self.agent.id})
        with self.assertRaises(AccessError):
            Interaction.create({"channel": "phone", "agent_id": self.agent2.id})

    def test_supervisor_edits_own_teams_interactions_only(self):
        supervisor_env = self.env["contact_center.interaction"].with_user(
            self.user_supervisor
        )
        supervisor_env.browse(self.own_call.id).write({"note": "reviewed"})
        self.assertEqual(self.own_call.note, "reviewed")
        with self.assertRaises(AccessError):
            supervisor_env.browse(self.other_call.id).write({"note": "reviewed"})

    def test_manager_edits_everything(self):
        self.other_call.with_user(self.user_manager).write({"note": "audited"})
        self.assertEqual(self.other_call.note, "audited")

    def test_portal_user_reads_nothing(self):
        for model in (
            "contact_center.interaction",
            "contact_center.team",
            "contact_center.agent",
            "contact_center.agent.presence",
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.user_portal).search([])
        with self.assertRaises(AccessError):
            self.own_call.with_user(self.user_portal).read(["name"])
        with self.assertRaises(AccessError):
            self.env["contact_center.timeline"].with_user(self.user_portal).get_page(
                self.user_portal.partner_id.id
            )

    def test_employee_outside_contact_center_reads_no_interaction(self):
        with self.assertRaises(AccessError):
            self.own_call.with_user(self.user_employee).read(["name"])

    def test_employee_timeline_has_no_interactions(self):
        page = (
            self.env["contact_center.timeline"]
            .with_user(self.user_employee)
            .get_page(self.customer.id)
        )
        self.assertFalse([e for e in page["entries"] if e["source"] == "interaction"])

    def test_agent_cannot_reconfigure_teams(self):
        with self.assertRaises(AccessError):
            self.team.with_user(self.user_agent).write({"name": "Mine now"})
        with self.assertRaises(AccessError):
            self.env["contact_center.disposition"].with_user(self.user_agent).create(
                {"name": "Custom", "code": "custom"}
            )

    def test_agent_cannot_edit_any_agent_profile(self):
        with self.assertRaises(AccessError):
            self.agent.with_user(self.user_agent).write({"extension": "201"})
        with self.assertRaises(AccessError):
            self.agent2.with_user(self.user_agent).write({"extension": "202"})

    def test_multi_company_isolation(self):
        other_company = self.env["res.company"].create({"name": "Other Co"})
        foreign = self.env["contact_center.interaction"].create(
            {"channel": "email", "company_id": other_company.id, "name": "foreign"}
        )
        visible = (
            self.env["contact_center.interaction"]
            .with_user(self.user_agent)
            .search([("name", "=", "foreign")])
        )
        self.assertFalse(visible)
        self.assertTrue(foreign.exists())
