"""Out-of-range values are refused with a message naming the field."""

from odoo.exceptions import ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import ContactCenterCase


@tagged("post_install", "-at_install")
class TestValidationMessages(ContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.env["contact_center.sla.policy"].create(
            {"name": "Gold", "first_response_hours": 1.0}
        )

    def _assert_refused(self, records, vals, *fragments):
        """Writing ``vals`` raises a ValidationError containing ``fragments``."""
        with self.assertRaises(ValidationError) as caught:
            records.write(vals)
            records.flush_recordset()
        for fragment in fragments:
            self.assertIn(fragment, str(caught.exception))

    # -- SLA policies ----------------------------------------------------------
    def test_each_negative_sla_target_is_named(self):
        policy = self.policy.with_user(self.user_manager)
        for field, label in [
            ("first_response_hours", "First Response (h)"),
            ("next_response_hours", "Next Response (h)"),
            ("resolution_hours", "Resolution (h)"),
        ]:
            with self.subTest(field=field):
                self._assert_refused(
                    policy, {field: -1}, f"{label} cannot be negative", "Gold"
                )

    def test_negative_target_is_refused_on_create_too(self):
        with self.assertRaises(ValidationError) as caught:
            self.env["contact_center.sla.policy"].with_user(self.user_manager).create(
                {"name": "Silver", "resolution_hours": -4}
            )
        self.assertIn("Resolution (h) cannot be negative", str(caught.exception))

    def test_at_risk_threshold_is_a_named_percentage(self):
        for value in (0, 120):
            with self.subTest(value=value):
                self._assert_refused(
                    self.policy,
                    {"at_risk_percent": value},
                    "At Risk at (%) is a percentage",
                )

    def test_escalation_threshold_is_named(self):
        level = self.policy.escalation_ids[:1]
        self._assert_refused(
            level,
            {"threshold_percent": 0},
            "When (% of target used) must be more than 0",
        )

    def test_sla_form_warns_before_save(self):
        with Form(self.policy.with_user(self.user_manager)) as form:
            # the onchange answers with a warning naming the field; Form logs it
            with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs:
                form.next_response_hours = -2
            self.assertIn("Next Response (h) cannot be negative", logs.output[0])
            form.next_response_hours = 2

    # -- teams -----------------------------------------------------------------
    def test_team_fields_are_named(self):
        team = self.team.with_user(self.user_manager)
        for vals, fragment in [
            (
                {"service_level_percent": 101},
                "Service Level Target (%) is a percentage",
            ),
            ({"service_level_percent": -1}, "Service Level Target (%) is a percentage"),
            (
                {"service_level_seconds": -5},
                "Service Level Threshold (s) cannot be negative",
            ),
            ({"max_queue_size": -1}, "Queue Capacity cannot be negative"),
            (
                {"presence_timeout_minutes": -1},
                "Offline After (min) cannot be negative",
            ),
            ({"wrap_up_seconds": -1}, "Wrap-up Limit (s) cannot be negative"),
        ]:
            with self.subTest(vals=vals):
                self._assert_refused(team, vals, fragment, "Care")

    def test_every_wrong_team_field_is_listed_at_once(self):
        with self.assertRaises(ValidationError) as caught:
            self.team.write({"max_queue_size": -1, "service_level_seconds": -1})
        self.assertIn("Queue Capacity", str(caught.exception))
        self.assertIn("Service Level Threshold (s)", str(caught.exception))

    # -- agents ----------------------------------------------------------------
    def test_each_negative_agent_capacity_is_named(self):
        agent = self.agent.with_user(self.user_supervisor)
        for field, label in [
            ("capacity_phone", "Phone Capacity"),
            ("capacity_email", "Email Capacity"),
            ("capacity_chat", "Chat Capacity"),
            ("capacity_sms", "SMS Capacity"),
            ("capacity_social", "Social Capacity"),
        ]:
            with self.subTest(field=field):
                self._assert_refused(
                    agent, {field: -1}, f"{label} cannot be negative", agent.name
                )


@tagged("post_install", "-at_install")
class TestTeamTimeZone(ContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the company's calendar as created at install: UTC
        cls.company.resource_calendar_id.tz = "UTC"
        cls.company.partner_id.tz = "Europe/Brussels"

    def _new_team(self, user):
        return self.env["contact_center.team"].with_user(user).create({"name": "New"})

    def test_new_team_takes_the_user_time_zone(self):
        user = new_test_user(
            self.env,
            "cc_tz_manager",
            groups="contact_center.group_contact_center_manager",
            tz="America/New_York",
        )
        self.assertEqual(self._new_team(user).tz, "America/New_York")

    def test_new_team_takes_the_company_time_zone_when_the_user_has_none(self):
        user = new_test_user(
            self.env,
            "cc_tz_manager",
            groups="contact_center.group_contact_center_manager",
            tz=False,
        )
        self.assertEqual(self._new_team(user).tz, "Europe/Brussels")

    def test_new_team_falls_back_to_utc(self):
        self.company.partner_id.tz = False
        user = new_test_user(
            self.env,
            "cc_tz_manager",
            groups="contact_center.group_contact_center_manager",
            tz=False,
        )
        self.assertEqual(self._new_team(user).tz, "UTC")

    def test_team_form_defaults_to_the_user_time_zone(self):
        user = new_test_user(
            self.env,
            "cc_tz_manager",
            groups="contact_center.group_contact_center_manager",
            tz="Asia/Tokyo",
        )
        form = Form(self.env["contact_center.team"].with_user(user))
        self.assertEqual(form.tz, "Asia/Tokyo")

    def test_business_hours_chosen_for_the_team_bring_their_time_zone(self):
        calendar = self._brussels_calendar()
        team = self.env["contact_center.team"].create(
            {"name": "Brussels", "resource_calendar_id": calendar.id}
        )
        self.assertEqual(team.tz, "Europe/Brussels")
        team.resource_calendar_id = self.company.resource_calendar_id
        self.assertEqual(team.tz, "UTC")
