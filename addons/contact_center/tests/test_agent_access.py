"""Who may change what on an agent: least privilege per group, field by field.

Every field of the agent form is written through the ORM as each kind of
user (not only through the view): agents change nothing that routing or
access depends on, supervisors tune the agents of the teams they supervise,
administrators own team membership, extensions and the rest.
"""

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import T0, ContactCenterCase

# what supervisors may change on the agents of the teams they supervise
SUPERVISOR_FIELDS = {
    "tier",
    "language_ids",
    "capacity_phone",
    "capacity_email",
    "capacity_chat",
    "capacity_sms",
    "capacity_social",
    "skill_line_ids",
    # the hours they are scheduled (schedule adherence, staffing forecast)
    "resource_calendar_id",
}


@tagged("post_install", "-at_install")
class TestAgentAccess(ContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.skill_billing, cls.skill_french = env["contact_center.skill"].create(
            [{"name": "Access Test Billing"}, {"name": "Access Test French"}]
        )
        cls.lang = env.ref("base.lang_en")
        cls.new_user = new_test_user(
            env, "cc_newcomer", groups="contact_center.group_contact_center_agent"
        )
        cls.agent.extension = "201"
        cls.agent2.extension = "202"
        cls.third_team = env["contact_center.team"].create({"name": "Nobody's"})
        cls.skill_line = env["contact_center.agent.skill"].create(
            {"agent_id": cls.agent.id, "skill_id": cls.skill_billing.id}
        )
        cls.skill_line2 = env["contact_center.agent.skill"].create(
            {"agent_id": cls.agent2.id, "skill_id": cls.skill_billing.id}
        )
        cls.supervisor_skill_line = env["contact_center.agent.skill"].create(
            {"agent_id": cls.agent_supervisor.id, "skill_id": cls.skill_billing.id}
        )

    def _form_values(self):
        """A new value for every field of the agent form."""
        return {
            "user_id": self.new_user.id,
            "team_ids": [Command.link(self.third_team.id)],
            "tier": "expert",
            "language_ids": [Command.link(self.lang.id)],
            "extension": "299",
            "company_id": self.company.id,
            "capacity_phone": 4,
            "capacity_email": 9,
            "capacity_chat": 7,
            "capacity_sms": 8,
            "capacity_social": 6,
            "presence": "available",
            "presence_since": T0,
            "last_assigned_at": T0,
            "skill_line_ids": [
                Command.create({"skill_id": self.skill_french.id, "level": "5"})
            ],
            "active": False,
            "resource_calendar_id": self.env["resource.calendar"]
            .create({"name": "Night shift", "company_id": self.company.id})
            .id,
        }

    def _assert_fields(self, user, agent, allowed):
        """Write each form field of ``agent`` as ``user``: only ``allowed`` pass."""
        form_fields = set(
            self.env["contact_center.agent"].get_views([(False, "form")])["models"][
                "contact_center.agent"
            ]["fields"]
        )
        values = self._form_values()
        # every editable field of the form is tried (the rest are computed)
        model_fields = self.env["contact_center.agent"]._fields
        # (fields other addons add to the form are theirs to test)
        editable = {
            name
            for name in form_fields
            if not model_fields[name].automatic
            and (not model_fields[name].compute or model_fields[name].inverse)
            and model_fields[name]._module == "contact_center"
        }
        # name and image are the user's (related, read-only)
        self.assertLessEqual(editable - {"name", "image_128"}, set(values))
        Agent = self.env["contact_center.agent"].with_context(active_test=False)
        for name, value in values.items():
            with self.subTest(user=user.login, agent=agent.name, field=name):
                self.env.flush_all()
                savepoint = self.env.cr.savepoint(flush=False)
                before = Agent.browse(agent.id)[name]
                try:
                    if name in allowed:
                        agent.with_user(user).write({name: value})
                        self.env.flush_all()
                        agent.invalidate_recordset()
                        if name != "company_id":  # the only company there is
                            self.assertNotEqual(Agent.browse(agent.id)[name], before)
                    else:
                        with self.assertRaises(AccessError):
                            agent.with_user(user).write({name: value})
                        self.env.flush_all()
                        agent.invalidate_recordset()
                        self.assertEqual(Agent.browse(agent.id)[name], before)
                finally:
                    savepoint.close(rollback=True)
                    self.env.invalidate_all(flush=False)

    # ------------------------------------------------------------------
    # The agent form, field by field
    # ------------------------------------------------------------------
    def test_agent_cannot_write_any_field_of_their_own_profile(self):
        self._assert_fields(self.user_agent, self.agent, allowed=set())

    def test_agent_cannot_write_any_field_of_a_colleague(self):
        self._assert_fields(self.user_agent, self.agent2, allowed=set())

    def test_supervisor_tunes_agents_of_their_team_only(self):
        self._assert_fields(self.user_supervisor, self.agent, SUPERVISOR_FIELDS)

    def test_supervisor_cannot_touch_agents_of_other_teams(self):
        self._assert_fields(self.user_supervisor, self.agent2, allowed=set())

    def test_supervisor_cannot_promote_themselves(self):
        self._assert_fields(self.user_supervisor, self.agent_supervisor, set())

    def test_admin_writes_every_field(self):
        values = set(self._form_values())
        self._assert_fields(self.user_manager, self.agent2, values)

    def test_supervisor_cannot_add_anyone_to_a_team_they_do_not_supervise(self):
        for agent in (self.agent, self.agent_supervisor, self.agent2):
            with self.subTest(agent=agent.name), self.assertRaises(AccessError):
                agent.with_user(self.user_supervisor).write(
                    {"team_ids": [Command.link(self.other_team.id)]}
                )
        # nor from the team's side
        with self.assertRaises(AccessError):
            self.other_team.with_user(self.user_supervisor).write(
                {"member_ids": [Command.link(self.agent_supervisor.id)]}
            )
        self.assertEqual(self.other_team.member_ids, self.agent2)
        self.assertEqual(self.agent_supervisor.team_ids, self.team)

    def test_agent_cannot_join_a_team_from_either_side(self):
        with self.assertRaises(AccessError):
            self.agent2.with_user(self.user_agent2).write(
                {"team_ids": [Command.link(self.team.id)]}
            )
        with self.assertRaises(AccessError):
            self.team.with_user(self.user_agent2).write(
                {"member_ids": [Command.link(self.agent2.id)]}
            )
        self.assertNotIn(self.agent2, self.team.member_ids)

    def test_agent_cannot_copy_a_colleagues_extension(self):
        with self.assertRaises(AccessError):
            self.agent2.with_user(self.user_agent2).write({"extension": "201"})
        self.assertEqual(self.agent2.extension, "202")

    def test_nobody_but_admins_creates_or_deletes_agents(self):
        Agent = self.env["contact_center.agent"]
        for user in (self.user_agent, self.user_supervisor):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    Agent.with_user(user).create({"user_id": self.new_user.id})
                with self.assertRaises(AccessError):
                    self.agent2.with_user(user).unlink()
        created = Agent.with_user(self.user_manager).create(
            {"user_id": self.new_user.id, "extension": "250"}
        )
        self.assertEqual(created.extension, "250")

    # ------------------------------------------------------------------
    # Presence stays the agent's own
    # ------------------------------------------------------------------
    def test_agent_still_sets_their_own_presence(self):
        Agent = self.env["contact_center.agent"].with_user(self.user_agent)
        self.assertEqual(Agent.set_my_presence("available")["presence"], "available")
        self.agent.with_user(self.user_agent).action_set_break()
        self.assertEqual(self.agent.presence, "break")
        self.assertEqual(self.agent.presence_ids[:1].changed_by_id, self.user_agent)
        with self.assertRaises(AccessError):
            self.agent2.with_user(self.user_agent).action_set_available()

    def test_supervisor_sets_presence_of_their_team_only(self):
        self.agent.with_user(self.user_supervisor).action_set_available()
        self.assertEqual(self.agent.presence, "available")
        with self.assertRaises(AccessError):
            self.agent2.with_user(self.user_supervisor).action_set_available()
        self.assertEqual(self.agent2.presence, "offline")

    def test_presence_buttons_only_for_who_may_press_them(self):
        """The agent form offers presence buttons only where pressing works."""
        cases = [
            (self.user_agent, self.agent, True),  # their own
            (self.user_agent, self.agent2, False),  # a colleague
            (self.user_supervisor, self.agent, True),  # their team's agent
            (self.user_supervisor, self.agent2, False),  # another team's
            (self.user_manager, self.agent2, True),
        ]
        for user, agent, expected in cases:
            with self.subTest(user=user.login, agent=agent.name):
                self.assertEqual(agent.with_user(user).can_set_presence, expected)
        arch = self.env["contact_center.agent"].get_view(view_type="form")["arch"]
        for button in (
            "action_set_available",
            "action_set_break",
            "action_set_offline",
        ):
            self.assertRegex(
                arch, rf'name="{button}"[^>]*invisible="[^"]*not can_set_presence'
            )

    # ------------------------------------------------------------------
    # Skill lines
    # ------------------------------------------------------------------
    def test_agent_cannot_change_skill_lines(self):
        Skill = self.env["contact_center.agent.skill"].with_user(self.user_agent)
        with self.assertRaises(AccessError):
            Skill.create({"agent_id": self.agent.id, "skill_id": self.skill_french.id})
        with self.assertRaises(AccessError):
            self.skill_line.with_user(self.user_agent).write({"level": "5"})
        with self.assertRaises(AccessError):
            self.skill_line.with_user(self.user_agent).unlink()
        self.assertEqual(self.skill_line.level, "3")
        # reading skills stays open to agents (routing screens, wallboard)
        self.assertEqual(self.skill_line2.with_user(self.user_agent).level, "3")

    def test_supervisor_edits_skill_lines_of_their_team(self):
        Skill = self.env["contact_center.agent.skill"].with_user(self.user_supervisor)
        line = Skill.create(
            {"agent_id": self.agent.id, "skill_id": self.skill_french.id}
        )
        line.write({"level": "5"})
        self.assertEqual(line.level, "5")
        self.skill_line.with_user(self.user_supervisor).unlink()
        self.assertFalse(self.skill_line.exists())

    def test_supervisor_cannot_edit_skill_lines_outside_their_team_or_own(self):
        Skill = self.env["contact_center.agent.skill"].with_user(self.user_supervisor)
        for agent, line in (
            (self.agent2, self.skill_line2),
            (self.agent_supervisor, self.supervisor_skill_line),
        ):
            with self.subTest(agent=agent.name):
                with self.assertRaises(AccessError), mute_logger("odoo.models"):
                    Skill.create(
                        {"agent_id": agent.id, "skill_id": self.skill_french.id}
                    )
                with self.assertRaises(AccessError):
                    line.with_user(self.user_supervisor).write({"level": "5"})
                with self.assertRaises(AccessError):
                    line.with_user(self.user_supervisor).unlink()
                self.assertEqual(line.level, "3")

    def test_supervisor_cannot_move_a_skill_line_to_another_agent(self):
        with self.assertRaises(AccessError):
            self.skill_line.with_user(self.user_supervisor).write(
                {"agent_id": self.agent2.id}
            )
        self.assertEqual(self.skill_line.agent_id, self.agent)

    def test_admin_edits_every_skill_line(self):
        self.skill_line2.with_user(self.user_manager).write({"level": "1"})
        self.assertEqual(self.skill_line2.level, "1")

    # ------------------------------------------------------------------
    # The form follows the rights (the server enforces them)
    # ------------------------------------------------------------------
    def test_form_flags_follow_the_rights(self):
        cases = [
            (self.user_agent, self.agent, False, False),
            (self.user_supervisor, self.agent, True, False),
            (self.user_supervisor, self.agent2, False, False),
            (self.user_supervisor, self.agent_supervisor, False, False),
            (self.user_manager, self.agent2, True, True),
        ]
        for user, agent, can_tune, can_manage in cases:
            with self.subTest(user=user.login, agent=agent.name):
                record = agent.with_user(user)
                self.assertEqual(record.can_tune, can_tune)
                self.assertEqual(record.can_manage, can_manage)
        arch = (
            self.env["contact_center.agent"]
            .with_user(self.user_agent)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="team_ids" readonly="not can_manage"', arch)
        self.assertIn('name="tier" readonly="not can_tune"', arch)


@tagged("post_install", "-at_install")
class TestAgentExtension(ContactCenterCase):
    def test_dial_strings_and_sip_uris_are_accepted(self):
        for value in ("201", "*97", "#31#", "+3222001122", "sip:ann@pbx.example.com"):
            with self.subTest(value=value):
                self.agent.extension = value
                self.assertEqual(self.agent.extension, value)

    def test_bad_extension_is_refused_naming_the_field(self):
        for value in (
            "20 1",
            "201;rm",
            "abc",
            "201/../x",
            "sip:",
            "sip:ann@",
            "sips:ann@pbx",
            "http://pbx/x",
            "201?x=1",
        ):
            with self.subTest(value=value):
                with self.assertRaisesRegex(ValidationError, "Extension"):
                    self.agent.write({"extension": value})
        self.agent.extension = False  # no extension is fine
        self.assertFalse(self.agent.extension)

    def test_duplicate_extension_is_refused_in_the_same_company(self):
        self.agent.extension = "201"
        with self.assertRaisesRegex(ValidationError, "201.*already"):
            self.agent2.write({"extension": "201"})
        # the refused value never reaches the table (the request rolls back)
        self.agent2.invalidate_recordset(["extension"], flush=False)
        self.assertFalse(self.agent2.extension)
        # nor can two agents take the same new extension in one write
        with self.assertRaisesRegex(ValidationError, "205.*already"):
            (self.agent2 | self.agent_supervisor).write({"extension": "205"})

    def test_same_extension_is_allowed_in_another_company(self):
        self.agent.extension = "201"
        other = self.env["res.company"].create({"name": "Other PBX Co"})
        user = new_test_user(
            self.env,
            "cc_other_co",
            groups="contact_center.group_contact_center_agent",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        agent = self.env["contact_center.agent"].create(
            {"user_id": user.id, "company_id": other.id, "extension": "201"}
        )
        self.assertEqual(agent.extension, "201")

    def test_existing_and_demo_extensions_satisfy_the_rules(self):
        agents = self.env["contact_center.agent"].with_context(active_test=False)
        agents.search([("extension", "!=", False)])._check_extension()
