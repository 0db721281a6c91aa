"""Click-to-dial without a PBX: the softphone dials, the agent says how it went."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import T0, ContactCenterCase

NUMBER = "+32470123456"


@tagged("post_install", "-at_install")
class TestSoftphoneCall(ContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.be")
        cls.agent.write({"extension": "201", "team_ids": [Command.link(cls.team.id)]})
        cls.customer.phone = NUMBER
        cls.Interaction = cls.env["contact_center.interaction"]

    def _dial(self, record=None, user=None):
        return (
            (record or self.customer)
            .with_user(user or self.user_agent)
            .action_cc_dial()
        )

    def _last_call(self):
        return self.Interaction.search(
            [("direction", "=", "outbound"), ("user_id", "=", self.user_agent.id)],
            order="id desc",
            limit=1,
        )

    def test_dial_without_connector_stays_in_odoo(self):
        action = self._dial()
        # an act_url "tel:..." is turned into "/tel:..." by the web client
        self.assertEqual(action["type"], "ir.actions.client")
        self.assertEqual(action["tag"], "contact_center_softphone_dial")
        self.assertEqual(action["params"]["uri"], "tel:" + NUMBER)
        call = self._last_call()
        self.assertEqual(action["params"]["card"]["interaction_id"], call.id)
        self.assertTrue(action["params"]["card"]["softphone"])
        self.assertEqual(call.state, "ringing")

    def test_a_national_number_is_dialled_in_the_customer_country(self):
        """A US customer's national number, under a Belgian company."""
        self.customer.write(
            {"phone": "(846)-523-2111", "country_id": self.env.ref("base.us").id}
        )
        action = self._dial()
        self.assertEqual(action["params"]["uri"], "tel:+18465232111")
        self.assertEqual(self._last_call().phone, "+18465232111")

    def test_leads_and_tickets_offer_dialling_only_for_usable_numbers(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "Lead",
                "phone": "call me maybe 123",
                "mobile": "(846)-523-2111",
                "country_id": self.env.ref("base.us").id,
            }
        )
        self.assertEqual((lead.cc_dial_phone_ok, lead.cc_dial_mobile_ok), (False, True))
        self.customer.mobile = "not a number"
        ticket = self.env["contact_center.ticket"].create(
            {"name": "Order", "partner_id": self.customer.id}
        )
        self.assertEqual(
            (ticket.cc_dial_phone_ok, ticket.cc_dial_mobile_ok), (True, False)
        )
        for model in ("crm.lead", "contact_center.ticket"):
            arch = self.env[model].get_view(view_type="form")["arch"]
            self.assertRegex(
                arch, r'name="action_cc_dial"[^>]*invisible="not cc_dial_phone_ok"'
            )
            self.assertRegex(
                arch, r'name="action_cc_dial"[^>]*invisible="not cc_dial_mobile_ok"'
            )

    def test_sip_extension_gives_a_sip_uri(self):
        self.agent.extension = "sip:ann@pbx.example.com"
        self.assertEqual(self._dial()["params"]["uri"], "sip:" + NUMBER)

    def test_no_answer_ends_the_call(self):
        self._dial()
        call = self._last_call()
        call.with_user(self.user_agent).action_cc_softphone_outcome("no_answer")
        self.assertEqual(call.state, "missed")
        self.assertTrue(call.ended_at)
        self.assertEqual(call.disposition_id.code, "no_answer")
        self.assertFalse(
            self.Interaction.with_user(self.user_agent).cc_my_ringing_call()
        )

    def test_busy_ends_the_call_as_missed(self):
        self._dial()
        call = self._last_call()
        call.with_user(self.user_agent).action_cc_softphone_outcome("busy")
        self.assertEqual(call.state, "missed")
        self.assertEqual(call.disposition_id.code, "busy")

    def test_wrong_number_ends_the_call_as_failed(self):
        self._dial()
        call = self._last_call()
        call.with_user(self.user_agent).action_cc_softphone_outcome("wrong_number")
        self.assertEqual(call.state, "failed")
        self.assertEqual(call.disposition_id.code, "wrong_number")
        self.assertFalse(
            self.Interaction.with_user(self.user_agent).cc_my_ringing_call()
        )

    def test_answered_call_is_ended_by_the_agent_then_wrapped_up(self):
        self.agent._set_presence("available")
        self._dial()
        call = self._last_call().with_user(self.user_agent)
        payload = call.action_cc_softphone_outcome("answered")
        self.assertEqual(call.state, "in_progress")
        self.assertEqual(payload["state"], "in_progress")
        self.assertEqual(self.agent.presence, "busy")
        call.action_cc_softphone_end()
        self.assertEqual(call.state, "wrap_up")
        self.assertTrue(call.ended_at)
        self.assertEqual(self.agent.presence, "wrap_up")
        call.action_cc_wrap_up(self.env.ref("contact_center.disposition_info").id)
        self.assertEqual(call.state, "done")
        self.assertEqual(self.agent.presence, "available")

    def test_unknown_outcome_is_refused(self):
        self._dial()
        with self.assertRaises(UserError):
            self._last_call().with_user(self.user_agent).action_cc_softphone_outcome(
                "maybe"
            )

    def test_other_agent_cannot_report_the_outcome(self):
        self._dial()
        call = self._last_call()
        with self.assertRaises(AccessError):
            call.with_user(self.user_agent2).action_cc_softphone_outcome("no_answer")
        self.assertEqual(call.state, "ringing")

    def test_pbx_call_outcome_comes_from_the_pbx(self):
        call = self._interaction(state="ringing", provider="pbx", external_id="p1")
        with self.assertRaisesRegex(UserError, "PBX"):
            call.with_user(self.user_agent).action_cc_softphone_outcome("no_answer")
        self.assertEqual(call.state, "ringing")

    def test_outcome_of_a_closed_call_is_refused(self):
        self._dial()
        call = self._last_call().with_user(self.user_agent)
        call.action_cc_softphone_outcome("no_answer")
        with self.assertRaises(UserError):
            call.action_cc_softphone_outcome("answered")
        self.assertEqual(call.state, "missed")


@tagged("post_install", "-at_install")
class TestSoftphoneTimeout(ContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param(
            "contact_center.softphone_call_timeout_minutes", "10"
        )

    def _softphone_call(self, **vals):
        return self._interaction(
            direction="outbound",
            state="ringing",
            provider="click_to_dial",
            external_id=f"odoo-{len(vals)}-{vals.get('queued_at', T0)}",
            **vals,
        )

    def test_cron_closes_a_softphone_call_nobody_reported_on(self):
        stale = self._softphone_call()
        fresh = self._softphone_call(queued_at=T0 + timedelta(minutes=5))
        pbx = self._interaction(state="ringing", provider="pbx", external_id="p1")
        with freeze_time(T0 + timedelta(minutes=11)):
            closed = self.env[
                "contact_center.interaction"
            ]._cron_close_softphone_calls()
        self.assertEqual(closed, 1)
        self.assertEqual(stale.state, "missed")
        self.assertEqual(stale.ended_at, T0 + timedelta(minutes=10))
        self.assertIn("10", stale.note)
        self.assertEqual(fresh.state, "ringing")
        self.assertEqual(pbx.state, "ringing", "a PBX reports its own calls")

    def test_timeout_is_configurable(self):
        self.env["ir.config_parameter"].set_param(
            "contact_center.softphone_call_timeout_minutes", "30"
        )
        call = self._softphone_call()
        with freeze_time(T0 + timedelta(minutes=11)):
            self.env["contact_center.interaction"]._cron_close_softphone_calls()
        self.assertEqual(call.state, "ringing")
        with freeze_time(T0 + timedelta(minutes=31)):
            self.env["contact_center.interaction"]._cron_close_softphone_calls()
        self.assertEqual(call.state, "missed")

    def test_stale_call_card_does_not_come_back_on_reload(self):
        call = self._softphone_call()
        Interaction = self.env["contact_center.interaction"].with_user(self.user_agent)
        with freeze_time(T0 + timedelta(minutes=2)):
            self.assertEqual(
                Interaction.cc_my_ringing_call()["interaction_id"], call.id
            )
        with freeze_time(T0 + timedelta(minutes=11)):
            self.assertFalse(Interaction.cc_my_ringing_call())
        self.assertEqual(call.state, "missed")

    def test_the_cron_is_installed(self):
        cron = self.env.ref("contact_center.ir_cron_close_softphone_calls")
        self.assertIn("_cron_close_softphone_calls", cron.code)
