"""The screen pop: the caller's card content, its delivery and its buttons."""

import json

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import T0, ContactCenterCase


@tagged("post_install", "-at_install")
class TestScreenPop(ContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.vip_tier = env.ref("contact_center.customer_tier_vip")
        cls.acme = env["res.partner"].create({"name": "Acme Corp", "is_company": True})
        cls.customer.write(
            {
                "phone": "+32470123456",
                "parent_id": cls.acme.id,
                "cc_tier_id": cls.vip_tier.id,
            }
        )
        cls.ticket = env["contact_center.ticket"].create(
            {
                "name": "Invoice twice charged",
                "partner_id": cls.customer.id,
                "team_id": cls.team.id,
            }
        )
        cls.past = cls._interaction(
            state="done",
            ended_at=T0,
            wrap_up_ended_at=T0,
            answered_at=T0,
            reason_id=env.ref("contact_center.contact_reason_billing").id,
            disposition_id=env.ref("contact_center.disposition_info").id,
        )
        cls.call = cls._interaction(
            state="ringing", phone="+32470123456", provider="pbx", external_id="c1"
        )
        cls.disposition = env.ref("contact_center.disposition_resolved")
        cls.reason = env.ref("contact_center.contact_reason_billing_invoice")

    def _unknown_call(self):
        return self._interaction(
            state="ringing",
            partner_id=False,
            phone="+32470999888",
            provider="pbx",
            external_id="c-unknown",
        )

    def test_payload_describes_known_vip_customer(self):
        data = self.call._cc_screen_pop_payload()
        self.assertEqual(data["interaction_id"], self.call.id)
        self.assertEqual(data["number"], "+32470123456")
        self.assertEqual(data["team"], {"id": self.team.id, "name": self.team.name})
        customer = data["customer"]
        self.assertEqual(customer["id"], self.customer.id)
        self.assertEqual(customer["name"], "Ada Customer")
        self.assertEqual(customer["tier"], self.vip_tier.name)
        self.assertTrue(customer["vip"])
        self.assertEqual(customer["company"], "Acme Corp")
        self.assertEqual([t["id"] for t in data["tickets"]], [self.ticket.id])
        self.assertEqual(data["tickets"][0]["subject"], "Invoice twice charged")
        self.assertEqual(data["counts"]["open_tickets"], 1)
        self.assertEqual([i["id"] for i in data["last_interactions"]], [self.past.id])
        last = data["last_interactions"][0]
        self.assertEqual(last["agent"], self.agent.name)
        self.assertEqual(last["summary"], self.past.disposition_id.name)
        self.assertIn("satisfaction", data)
        self.assertIn(self.disposition.id, [d["id"] for d in data["dispositions"]])

    def test_payload_of_unknown_caller_has_no_customer(self):
        data = self._unknown_call()._cc_screen_pop_payload()
        self.assertIsNone(data["customer"])
        self.assertEqual(data["number"], "+32470999888")
        self.assertEqual(data["tickets"], [])
        self.assertEqual(data["last_interactions"], [])

    def test_payload_lists_at_most_five_tickets(self):
        self.env["contact_center.ticket"].create(
            [{"name": f"Issue {n}", "partner_id": self.customer.id} for n in range(6)]
        )
        data = self.call._cc_screen_pop_payload()
        self.assertEqual(len(data["tickets"]), 5)
        self.assertEqual(data["counts"]["open_tickets"], 7)

    def test_screen_pop_notifies_the_agents_partner_channel(self):
        # the wallboard's pings of the set-up are sent first
        self.env.cr.precommit.run()
        self.env["bus.bus"].search([]).unlink()
        self.call._cc_screen_pop()
        self.env.cr.precommit.run()  # the bus writes its notifications on commit
        notifications = self.env["bus.bus"].search([])
        self.assertEqual(len(notifications), 1)
        channel = json.loads(notifications.channel)
        self.assertEqual(channel[1:], ["res.partner", self.user_agent.partner_id.id])
        message = json.loads(notifications.message)
        self.assertEqual(message["type"], "contact_center.screen_pop")
        self.assertEqual(message["payload"]["interaction_id"], self.call.id)
        self.assertEqual(message["payload"]["customer"]["name"], "Ada Customer")

    def test_agent_creates_contact_for_unknown_caller(self):
        call = self._unknown_call()
        result = call.with_user(self.user_agent).action_cc_create_partner(" Bea New ")
        partner = self.env["res.partner"].browse(result["partner_id"])
        self.assertEqual(call.partner_id, partner)
        self.assertEqual(partner.name, "Bea New")
        self.assertEqual(partner.phone, "+32470999888")
        self.assertEqual(result["payload"]["customer"]["name"], "Bea New")

    def test_create_contact_needs_a_name(self):
        call = self._unknown_call()
        with self.assertRaises(UserError):
            call.with_user(self.user_agent).action_cc_create_partner("  ")
        self.assertFalse(call.partner_id)

    def test_agent_links_existing_contact(self):
        call = self._unknown_call()
        call.with_user(self.user_agent).action_cc_link_partner(self.acme.id)
        self.assertEqual(call.partner_id, self.acme)

    def test_agent_creates_lead_for_caller(self):
        call = self._unknown_call()
        result = call.with_user(self.user_agent).action_cc_create_lead()
        lead = self.env["crm.lead"].browse(result["lead_id"])
        self.assertEqual(lead.phone, "+32470999888")
        self.assertEqual(lead.user_id, self.user_agent)
        self.assertEqual((call.res_model, call.res_id), ("crm.lead", lead.id))

    def test_new_ticket_action_is_prefilled(self):
        action = self.call.with_user(self.user_agent).action_cc_new_ticket()
        self.assertEqual(action["res_model"], "contact_center.ticket")
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)
        self.assertEqual(action["context"]["default_team_id"], self.team.id)

    def test_wrap_up_writes_values_and_frees_the_agent(self):
        self.agent._set_presence("wrap_up")
        self.call.write({"state": "in_progress", "answered_at": T0})
        self.call.write({"state": "wrap_up", "ended_at": T0})
        self.call.with_user(self.user_agent).action_cc_wrap_up(
            self.disposition.id, self.reason.id, "Refund sent", True
        )
        self.assertEqual(self.call.state, "done")
        self.assertEqual(self.call.disposition_id, self.disposition)
        self.assertEqual(self.call.reason_id, self.reason)
        self.assertEqual(self.call.note, "Refund sent")
        self.assertTrue(self.call.is_resolved)
        self.assertTrue(self.call.wrap_up_ended_at)
        self.assertEqual(self.agent.presence, "available")

    def test_wrap_up_is_refused_while_the_call_rings(self):
        with self.assertRaisesRegex(UserError, "still ringing"):
            self.call.with_user(self.user_agent).action_cc_wrap_up(
                self.disposition.id, self.reason.id, "too early", True
            )
        self.assertFalse(self.call.disposition_id)
        self.assertFalse(self.call.note)
        self.assertEqual(self.call.state, "ringing")

    def test_wrap_up_is_refused_while_the_call_is_in_progress(self):
        self.call.write({"state": "in_progress", "answered_at": T0})
        with self.assertRaisesRegex(UserError, "in progress"):
            self.call.with_user(self.user_agent).action_cc_wrap_up(self.disposition.id)
        self.assertFalse(self.call.disposition_id)

    def test_card_shows_the_stored_wrap_up(self):
        self.call.write(
            {
                "state": "in_progress",
                "answered_at": T0,
                "disposition_id": self.disposition.id,
                "reason_id": self.reason.id,
                "note": "Picked before the end",
                "is_resolved": True,
            }
        )
        self.call.write({"state": "wrap_up", "ended_at": T0})
        data = self.call.with_user(self.user_agent).cc_screen_pop_data()
        self.assertEqual(
            data["wrap_up"],
            {
                "disposition_id": self.disposition.id,
                "reason_id": self.reason.id,
                "note": "Picked before the end",
                "resolved": True,
            },
        )

    def test_card_shows_state_direction_and_times(self):
        data = self.call._cc_screen_pop_payload()
        self.assertEqual(data["state"], "ringing")
        self.assertEqual(data["state_label"], "Ringing")
        self.assertEqual(data["direction_label"], "Inbound")
        self.assertEqual(data["queued_at"], "2026-03-02 09:00:00")
        self.assertFalse(data["answered_at"])
        self.assertFalse(data["softphone"])

    def test_card_formats_the_number_for_display(self):
        data = self.call._cc_screen_pop_payload()
        self.assertEqual(data["number"], "+32470123456")
        self.assertEqual(data["number_display"], "+32 470 12 34 56")

    def test_state_change_tells_the_agents_card(self):
        # the wallboard's pings of the set-up are sent first
        self.env.cr.precommit.run()
        self.env["bus.bus"].search([]).unlink()
        self.call.write({"state": "in_progress", "answered_at": T0})
        self.env.cr.precommit.run()
        messages = [json.loads(n.message) for n in self.env["bus.bus"].search([])]
        updates = [
            m for m in messages if m["type"] == "contact_center.screen_pop_update"
        ]
        self.assertEqual(
            updates[0]["payload"],
            {"interaction_id": self.call.id, "state": "in_progress"},
        )

    def test_wrap_up_needs_a_disposition(self):
        with self.assertRaises(UserError):
            self.call.with_user(self.user_agent).action_cc_wrap_up(False, False, "x")
        self.assertFalse(self.call.note)

    def test_other_agent_cannot_wrap_up_someone_elses_call(self):
        with self.assertRaises(AccessError):
            self.call.with_user(self.user_agent2).action_cc_wrap_up(
                self.disposition.id, False, "not mine", False
            )
        self.assertFalse(self.call.disposition_id)
        with self.assertRaises(AccessError):
            self.call.with_user(self.user_agent2).cc_screen_pop_data()

    def test_team_supervisor_may_act_on_the_card(self):
        data = self.call.with_user(self.user_supervisor).cc_screen_pop_data()
        self.assertEqual(data["customer"]["id"], self.customer.id)

    def test_payload_query_count_does_not_grow_with_history(self):
        self._interaction(
            state="done", ended_at=T0, wrap_up_ended_at=T0, answered_at=T0
        )
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=24):
            first = self.call._cc_screen_pop_payload()
        for _n in range(4):
            self._interaction(
                state="done", ended_at=T0, wrap_up_ended_at=T0, answered_at=T0
            )
        self.env["contact_center.ticket"].create(
            [{"name": f"More {n}", "partner_id": self.customer.id} for n in range(4)]
        )
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=24):
            second = self.call._cc_screen_pop_payload()
        self.assertEqual(len(first["last_interactions"]), 2)
        self.assertEqual(len(second["last_interactions"]), 5)

    def test_reload_restores_the_agents_open_call_only(self):
        Interaction = self.env["contact_center.interaction"]
        data = Interaction.with_user(self.user_agent).cc_my_ringing_call()
        self.assertEqual(data["interaction_id"], self.call.id)
        self.assertFalse(Interaction.with_user(self.user_agent2).cc_my_ringing_call())
        self.assertFalse(Interaction.with_user(self.user_employee).cc_my_ringing_call())


@tagged("post_install", "-at_install")
class TestScreenPopAsAgent(ContactCenterCase):
    """The pushed card is built as the call's agent: it lists what they may open."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["ir.rule"]._cc_set_ticket_visibility("teams")
        cls.customer.phone = "+32470123456"
        Ticket = env["contact_center.ticket"]
        cls.own_ticket = Ticket.create(
            {
                "name": "Mine to see",
                "partner_id": cls.customer.id,
                "team_id": cls.team.id,
            }
        )
        cls.hidden_ticket = Ticket.create(
            {
                "name": "Sales only subject",
                "partner_id": cls.customer.id,
                "team_id": cls.other_team.id,
            }
        )
        cls.other_company = env["res.company"].create({"name": "Elsewhere Ltd"})
        cls.foreign_ticket = Ticket.create(
            {
                "name": "Foreign company secret",
                "partner_id": cls.customer.id,
                "company_id": cls.other_company.id,
            }
        )
        cls.call = cls._interaction(
            state="ringing", phone="+32470123456", provider="pbx", external_id="c1"
        )

    def _pushed_card(self, call=None):
        # the wallboard's pings of the set-up are sent first
        self.env.cr.precommit.run()
        self.env["bus.bus"].search([]).unlink()
        (call or self.call)._cc_screen_pop()
        self.env.cr.precommit.run()  # the bus writes its notifications on commit
        message = json.loads(self.env["bus.bus"].search([]).message)
        return message["payload"]

    def test_card_lists_only_tickets_the_agent_may_open_and_counts_all(self):
        self.assertFalse(
            self.hidden_ticket.with_user(self.user_agent).has_access("read")
        )
        card = self._pushed_card()
        self.assertEqual([t["id"] for t in card["tickets"]], [self.own_ticket.id])
        self.assertEqual(card["counts"]["open_tickets"], 2)
        self.assertNotIn("Sales only subject", json.dumps(card))

    def test_card_neither_lists_nor_counts_another_companys_ticket(self):
        card = self._pushed_card()
        listed = [t["id"] for t in card["tickets"]]
        self.assertNotIn(self.foreign_ticket.id, listed)
        self.assertEqual(card["counts"]["open_tickets"], 2)
        text = json.dumps(card)
        self.assertNotIn("Foreign company secret", text)
        self.assertNotIn(self.foreign_ticket.reference or "no-ref", text)

    def test_card_of_an_agent_in_both_companies_lists_the_other_companys_ticket(self):
        self.user_agent.company_ids |= self.other_company
        self.env["ir.rule"]._cc_set_ticket_visibility("all")
        card = self._pushed_card()
        listed = {t["id"] for t in card["tickets"]}
        self.assertEqual(
            listed, {self.own_ticket.id, self.hidden_ticket.id, self.foreign_ticket.id}
        )
        self.assertEqual(card["counts"]["open_tickets"], 3)

    def test_reopened_card_is_built_as_its_reader(self):
        data = self.call.with_user(self.user_agent).cc_screen_pop_data()
        self.assertEqual([t["id"] for t in data["tickets"]], [self.own_ticket.id])
        self.assertEqual(data["counts"]["open_tickets"], 2)

    def test_pushed_card_query_count_stays_low(self):
        self._pushed_card()  # warm the caches: rules, wrap-up choices
        # the wallboard's pings of the set-up are sent first
        self.env.cr.precommit.run()
        self.env["bus.bus"].search([]).unlink()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=16):
            self.call._cc_screen_pop()

    @mute_logger("odoo.addons.contact_center.models.contact_center_screen_pop_mixin")
    def test_agent_outside_the_calls_company_gets_no_card(self):
        user = new_test_user(
            self.env,
            "cc_elsewhere",
            groups="contact_center.group_contact_center_agent",
            company_id=self.other_company.id,
            company_ids=[Command.set(self.other_company.ids)],
        )
        agent = self.env["contact_center.agent"].create({"user_id": user.id})
        call = self._interaction(
            state="ringing", agent_id=agent.id, provider="pbx", external_id="c-out"
        )
        # the wallboard's pings of the set-up are sent first
        self.env.cr.precommit.run()
        self.env["bus.bus"].search([]).unlink()
        call._cc_screen_pop()
        self.env.cr.precommit.run()
        self.assertFalse(self.env["bus.bus"].search([]))
