"""Automatic dialing: the dialer places calls through the PBX, connects the
people who answer to ready agents, abandons (with the identification
message) when none is free, and stops the moment no agent is logged in.

The PBX is a local HTTP server that records what Odoo asks (a test double
of the peer, not of our code); its events are fed through the same
ingestion as the signed events API."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.contact_center.tests.test_telephony_connectors import PbxDouble

# Monday 2 March 2026, 15:00 UTC: 16:00 in Brussels, inside the window
NOW = datetime(2026, 3, 2, 15, 0)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestDialerAuto(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.user_ann = new_test_user(
            cls.env, "auto_ann", groups="contact_center.group_contact_center_agent"
        )
        cls.user_bob = new_test_user(
            cls.env, "auto_bob", groups="contact_center.group_contact_center_agent"
        )
        Agent = cls.env["contact_center.agent"]
        cls.ann, cls.bob = Agent.create(
            [
                {"user_id": cls.user_ann.id, "extension": "201"},
                {"user_id": cls.user_bob.id, "extension": "202"},
            ]
        )
        cls.team = cls.env["contact_center.team"].create(
            {"name": "Outbound", "member_ids": [Command.set((cls.ann | cls.bob).ids)]}
        )

    def setUp(self):
        super().setUp()
        self.pbx = PbxDouble()
        self.addCleanup(self.pbx.close)
        self.provider = self.env["contact_center.telephony.provider"].create(
            {
                "name": "Test PBX",
                "code": "autopbx",
                "connector": "generic",
                "connector_url": self.pbx.url,
            }
        )
        self.campaign = self.env["contact_center.campaign"].create(
            {
                "name": "Renewals",
                "team_id": self.team.id,
                "dialer_mode": "power",
                "power_ratio": 2.0,
                "provider_id": self.provider.id,
                "default_tz": "Europe/Brussels",
                "identification_message": "This is Acme calling.",
            }
        )
        self.contacts = self.env["contact_center.campaign.contact"].create(
            [
                {
                    "campaign_id": self.campaign.id,
                    "name": f"Person {n}",
                    "tz": "Europe/Brussels",
                    "number_ids": [Command.create({"phone_e164": f"+3225550{n:03d}"})],
                }
                for n in range(1, 9)
            ]
        )
        self.campaign.action_start()
        self.seq = 0

    # helpers ------------------------------------------------------------
    def panel(self, user):
        return self.env["contact_center.dialer.panel"].with_user(user)

    def actions(self, action):
        return [r["json"] for r in self.pbx.requests if r["json"]["action"] == action]

    def calls(self):
        return self.env["contact_center.interaction"].search(
            [("campaign_id", "=", self.campaign.id)], order="id"
        )

    def event(self, call, kind, seconds=0, **extra):
        self.seq += 1
        at = NOW + timedelta(seconds=seconds)
        return self.provider._ingest_events(
            {
                "events": [
                    {
                        "id": f"e{self.seq}",
                        "call_id": call.external_id,
                        "type": kind,
                        "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "direction": "outbound",
                        "called": call.phone,
                        **extra,
                    }
                ]
            }
        )

    # tests ---------------------------------------------------------------
    def test_nothing_is_dialed_before_an_agent_joins(self):
        self.assertFalse(self.actions("dial"))
        self.assertFalse(self.calls())

    def test_power_dials_its_ratio_of_lines_per_ready_agent(self):
        self.panel(self.user_ann).join(self.campaign.id)
        self.assertEqual(self.ann.presence, "available")
        dials = self.actions("dial")
        self.assertEqual(len(dials), 2, "2 lines per ready agent, 1 agent")
        calls = self.calls()
        self.assertEqual(
            sorted(d["call_id"] for d in dials), sorted(calls.mapped("external_id"))
        )
        self.assertEqual(set(calls.mapped("is_dialer_call")), {True})
        self.assertEqual(
            set(calls.campaign_contact_id.mapped("state")), {"in_progress"}
        )
        self.assertFalse(
            calls.campaign_contact_id.agent_id, "no agent before an answer"
        )
        self.panel(self.user_bob).join(self.campaign.id)
        self.assertEqual(len(self.actions("dial")), 4)

    def test_person_who_answers_is_bridged_to_the_ready_agent(self):
        self.panel(self.user_ann).join(self.campaign.id)
        call = self.calls()[0]
        self.event(call, "ringing")
        self.event(call, "answered", 6, answered_by="human")
        bridges = self.actions("bridge")
        self.assertEqual(len(bridges), 1)
        self.assertEqual(bridges[0]["call_id"], call.external_id)
        self.assertIn("201", str(bridges[0]))
        self.assertEqual(call.campaign_contact_id.agent_id, self.ann)
        # the PBX reports the agent on the line one second later
        self.event(call, "answered", 7, agent="201")
        self.assertEqual(call.dialer_connected_at, NOW + timedelta(seconds=7))
        self.assertFalse(call.is_dialer_abandoned)
        self.assertEqual(call.agent_id, self.ann)
        state = self.panel(self.user_ann).get_state(self.campaign.id)
        self.assertEqual(state["contact"]["id"], call.campaign_contact_id.id)
        self.assertTrue(state["contact"]["call"]["connected"])
        # the agent records the sale on the same interaction
        self.panel(self.user_ann).record_outcome(call.campaign_contact_id.id, "sale")
        self.assertEqual(call.disposition_id.code, "sale")
        self.assertEqual(call.campaign_contact_id.state, "done")
        self.assertEqual(
            self.env["contact_center.interaction"].search_count(
                [("campaign_contact_id", "=", call.campaign_contact_id.id)]
            ),
            1,
            "one interaction per attempt",
        )

    def test_answer_with_no_free_agent_plays_the_message_and_counts_abandoned(self):
        self.panel(self.user_ann).join(self.campaign.id)
        first, second = self.calls()[:2]
        self.event(first, "answered", 5, answered_by="human")
        self.event(second, "answered", 6, answered_by="human")
        messages = self.actions("play_message")
        self.assertEqual(len(messages), 1)
        self.assertEqual(messages[0]["call_id"], second.external_id)
        self.assertEqual(messages[0]["message"], "This is Acme calling.")
        self.assertTrue(second.is_dialer_abandoned)
        contact = second.campaign_contact_id
        self.assertEqual(contact.state, "retry")
        self.assertEqual(contact.last_outcome, "abandoned")
        self.assertEqual(contact.next_attempt_at, NOW + timedelta(hours=72))
        later = NOW + timedelta(minutes=1)
        self.assertEqual(self.campaign._abandon_stats(later)[self.campaign.id], (1, 2))

    def test_agent_connected_after_more_than_two_seconds_counts_abandoned(self):
        self.panel(self.user_ann).join(self.campaign.id)
        call = self.calls()[0]
        self.event(call, "answered", 5, answered_by="human")
        self.event(call, "answered", 8, agent="201")
        self.assertTrue(call.is_dialer_abandoned)

    def test_unanswered_call_is_retried_and_the_line_refilled(self):
        self.panel(self.user_ann).join(self.campaign.id)
        call = self.calls()[0]
        self.event(call, "ringing")
        self.event(call, "ended", 20, cause="no_answer")
        contact = call.campaign_contact_id
        self.assertEqual(call.state, "missed")
        self.assertEqual(contact.state, "retry")
        self.assertEqual(contact.attempts, 1)
        self.assertEqual(contact.next_attempt_at, NOW + timedelta(minutes=120))
        self.assertEqual(len(self.actions("dial")), 3, "the free line is dialed again")

    def test_busy_is_retried_after_the_busy_delay(self):
        self.panel(self.user_ann).join(self.campaign.id)
        call = self.calls()[0]
        self.event(call, "ended", 2, cause="busy")
        self.assertEqual(call.campaign_contact_id.state, "retry")
        self.assertEqual(
            call.campaign_contact_id.next_attempt_at, NOW + timedelta(minutes=15)
        )

    def test_answering_machine_gets_the_voicemail_then_counts_voicemail(self):
        self.campaign.write(
            {"drop_voicemail": True, "voicemail_message": "Acme here, call us back."}
        )
        self.panel(self.user_ann).join(self.campaign.id)
        call = self.calls()[0]
        self.event(call, "answered", 5, answered_by="machine")
        messages = self.actions("play_message")
        self.assertEqual([m["message"] for m in messages], ["Acme here, call us back."])
        self.assertFalse(self.actions("bridge"), "no agent for a machine")
        self.event(call, "ended", 25)
        contact = call.campaign_contact_id
        self.assertEqual(contact.last_outcome, "voicemail")
        self.assertEqual(contact.state, "retry")
        self.assertEqual(self.campaign._abandon_stats()[self.campaign.id], (0, 0))

    def test_machine_without_voicemail_drop_is_hung_up(self):
        self.panel(self.user_ann).join(self.campaign.id)
        call = self.calls()[0]
        self.event(call, "answered", 5, answered_by="machine")
        self.assertEqual(
            [h["call_id"] for h in self.actions("hangup")], [call.external_id]
        )

    def test_last_agent_logging_out_hangs_up_the_calls_in_flight(self):
        self.panel(self.user_ann).join(self.campaign.id)
        ringing = self.calls()
        self.assertEqual(len(ringing), 2)
        self.ann.with_user(self.user_ann).set_my_presence("offline")
        self.assertEqual(
            sorted(h["call_id"] for h in self.actions("hangup")),
            sorted(ringing.mapped("external_id")),
        )
        self.assertEqual(set(ringing.mapped("dialer_hang_up_reason")), {"no_agent"})
        contacts = ringing.campaign_contact_id
        self.assertEqual(set(contacts.mapped("state")), {"pending"})
        self.assertEqual(set(contacts.mapped("attempts")), {0}, "no attempt counted")
        blocks = self.env["contact_center.campaign.block"].search(
            [("campaign_id", "=", self.campaign.id), ("reason", "=", "no_agent")]
        )
        self.assertEqual(blocks.contact_id, contacts)
        self.assertFalse(self.ann.dialer_campaign_id)
        # the PBX's late events change nothing and nothing more is dialed
        self.event(ringing[0], "ended", 3)
        self.campaign._dialer_tick()
        self.assertEqual(len(self.actions("dial")), 2)

    def test_one_agent_leaving_keeps_dialing_for_the_other(self):
        self.panel(self.user_ann).join(self.campaign.id)
        self.panel(self.user_bob).join(self.campaign.id)
        self.panel(self.user_bob).leave()
        self.assertFalse(self.actions("hangup"))
        self.assertEqual(self.ann.dialer_campaign_id, self.campaign)

    def test_pausing_the_campaign_hangs_up_ringing_calls(self):
        self.panel(self.user_ann).join(self.campaign.id)
        self.campaign.action_pause()
        self.assertEqual(len(self.actions("hangup")), 2)
        self.assertEqual(
            set(self.calls().mapped("dialer_hang_up_reason")), {"campaign_stopped"}
        )

    def test_blended_agent_gets_no_outbound_call_while_inbound_waits(self):
        self.ann.is_blended = True
        inbound = self.env["contact_center.interaction"].create(
            {
                "channel": "phone",
                "direction": "inbound",
                "state": "queued",
                "team_id": self.team.id,
                "queued_at": NOW,
            }
        )
        self.panel(self.user_ann).join(self.campaign.id)
        self.assertFalse(self.actions("dial"))
        inbound.write({"state": "abandoned", "ended_at": NOW})
        self.campaign._dialer_tick()
        self.assertEqual(len(self.actions("dial")), 2)

    def test_predictive_falls_back_to_one_line_per_agent_over_the_ceiling(self):
        self.campaign.dialer_mode = "predictive"
        Interaction = self.env["contact_center.interaction"]
        # history: 40 calls in the last half hour, 8 answered by a person
        # (20%), handled in about 2 minutes each
        history = []
        for n in range(40):
            start = NOW - timedelta(minutes=28) + timedelta(seconds=n * 30)
            answered = n % 5 == 0
            history.append(
                {
                    "channel": "phone",
                    "direction": "outbound",
                    "state": "done" if answered else "missed",
                    "team_id": self.team.id,
                    "campaign_id": self.campaign.id,
                    "is_dialer_call": True,
                    "queued_at": start,
                    "answered_at": start + timedelta(seconds=8) if answered else False,
                    "dialer_answered_by": "human" if answered else False,
                    "dialer_connected_at": start + timedelta(seconds=9)
                    if answered
                    else False,
                    "ended_at": start + timedelta(seconds=129 if answered else 20),
                }
            )
        history = Interaction.create(history)
        self.env["contact_center.agent"].browse((self.ann | self.bob).ids).sudo().write(
            {"dialer_campaign_id": self.campaign.id, "presence": "available"}
        )
        self.campaign._dialer_tick()
        predicted = len(self.actions("dial"))
        self.assertGreater(predicted, 2, "predictive dials ahead of 2 ready agents")
        # hang up what was dialed, then put the abandon rate over 3%
        self.calls().filtered(lambda c: not c.ended_at).write(
            {"ended_at": NOW, "state": "failed"}
        )
        history.filtered("answered_at")[:1].write({"is_dialer_abandoned": True})
        self.pbx.requests.clear()
        self.campaign._dialer_tick()
        self.assertEqual(len(self.actions("dial")), 2, "progressive: one per agent")

    def test_take_next_needs_an_available_agent(self):
        self.campaign.dialer_mode = "preview"
        self.ann.sudo().presence = "break"
        with self.assertRaises(UserError):
            self.panel(self.user_ann).take_next(self.campaign.id)

    def test_skipped_callback_stays_a_callback(self):
        self.campaign.dialer_mode = "preview"
        contact = self.contacts[0]
        contact.write(
            {
                "state": "callback",
                "last_outcome": "callback",
                "priority": 9,
                "callback_agent_id": self.ann.id,
            }
        )
        self.ann.with_user(self.user_ann).set_my_presence("available")
        state = self.panel(self.user_ann).take_next(self.campaign.id)
        self.assertEqual(state["contact"]["id"], contact.id)
        self.panel(self.user_ann).skip(contact.id)
        self.assertEqual(contact.state, "callback")
        self.assertEqual(contact.callback_agent_id, self.ann)

    def test_progressive_call_rings_the_agent_first_after_the_preview(self):
        self.campaign.dialer_mode = "progressive"
        self.ann.with_user(self.user_ann).set_my_presence("available")
        panel = self.panel(self.user_ann)
        state = panel.take_next(self.campaign.id)
        self.assertFalse(self.actions("originate"), "nothing before the countdown")
        state = panel.dial_now(state["contact"]["id"])
        originate = self.actions("originate")
        self.assertEqual(len(originate), 1)
        self.assertEqual(originate[0]["agent"]["extension"], "201")
        call = self.calls()
        self.event(call, "answered", 10, agent="201")
        self.assertEqual(call.dialer_answered_by, "human")
        self.assertFalse(call.is_dialer_abandoned)
        with self.assertRaises(UserError):
            panel.skip(state["contact"]["id"])

    def test_agent_cannot_record_an_outcome_the_campaign_hides(self):
        self.campaign.dialer_mode = "preview"
        self.campaign.outcome_ids.filtered(lambda o: o.outcome == "sale").active = False
        self.ann.with_user(self.user_ann).set_my_presence("available")
        panel = self.panel(self.user_ann)
        contact_id = panel.take_next(self.campaign.id)["contact"]["id"]
        with self.assertRaises(UserError):
            panel.record_outcome(contact_id, "sale")
        panel.record_outcome(contact_id, "interested")
        self.assertEqual(self.contacts.browse(contact_id).last_outcome, "interested")

    def test_agent_reaching_a_voicemail_leaves_the_campaign_message(self):
        self.campaign.write(
            {
                "dialer_mode": "progressive",
                "drop_voicemail": True,
                "voicemail_message": "Acme here, call us back.",
            }
        )
        self.ann.with_user(self.user_ann).set_my_presence("available")
        panel = self.panel(self.user_ann)
        contact_id = panel.take_next(self.campaign.id)["contact"]["id"]
        panel.dial_now(contact_id)
        call = self.calls()
        self.event(call, "answered", 10, agent="201")
        panel.record_outcome(contact_id, "voicemail")
        messages = self.actions("play_message")
        self.assertEqual(
            [(m["call_id"], m["message"]) for m in messages],
            [(call.external_id, "Acme here, call us back.")],
        )
        self.assertFalse(self.actions("hangup"), "the message ends the call")
        self.assertEqual(call.disposition_id.code, "voicemail")


@tagged("post_install", "-at_install")
class TestDialerAgentFields(TransactionCase):
    """Who sets an agent's blended mode and campaign."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_ann = new_test_user(
            cls.env, "blend_ann", groups="contact_center.group_contact_center_agent"
        )
        cls.user_sup = new_test_user(
            cls.env,
            "blend_sup",
            groups="contact_center.group_contact_center_supervisor",
        )
        cls.ann = cls.env["contact_center.agent"].create({"user_id": cls.user_ann.id})
        cls.team = cls.env["contact_center.team"].create(
            {
                "name": "Blend",
                "member_ids": [Command.link(cls.ann.id)],
                "supervisor_ids": [Command.link(cls.user_sup.id)],
            }
        )
        cls.campaign = cls.env["contact_center.campaign"].create(
            {"name": "Blend", "team_id": cls.team.id}
        )

    def test_supervisor_sets_blended_mode_of_their_agents(self):
        self.ann.with_user(self.user_sup).write({"is_blended": True})
        self.assertTrue(self.ann.is_blended)

    def test_agent_cannot_set_their_own_blended_mode(self):
        with self.assertRaises(AccessError):
            self.ann.with_user(self.user_ann).write({"is_blended": True})
        self.assertFalse(self.ann.is_blended)

    def test_campaign_login_is_only_set_by_the_panel(self):
        for user in (self.user_ann, self.user_sup):
            with self.assertRaises(AccessError):
                self.ann.with_user(user).write({"dialer_campaign_id": self.campaign.id})
        self.assertFalse(self.ann.dialer_campaign_id)


@tagged("post_install", "-at_install")
class TestCampaignListAccess(TransactionCase):
    """Who reads the people to call, and who changes a campaign's lists."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_ann = new_test_user(
            cls.env, "list_ann", groups="contact_center.group_contact_center_agent"
        )
        cls.user_zoe = new_test_user(
            cls.env, "list_zoe", groups="contact_center.group_contact_center_agent"
        )
        cls.user_sup_b = new_test_user(
            cls.env,
            "list_sup_b",
            groups="contact_center.group_contact_center_supervisor",
        )
        Agent = cls.env["contact_center.agent"]
        cls.ann, cls.zoe = Agent.create(
            [{"user_id": cls.user_ann.id}, {"user_id": cls.user_zoe.id}]
        )
        Team = cls.env["contact_center.team"]
        cls.team_a = Team.create(
            {"name": "List A", "member_ids": [Command.link(cls.ann.id)]}
        )
        Team.create(
            {
                "name": "List B",
                "member_ids": [Command.link(cls.zoe.id)],
                "supervisor_ids": [Command.link(cls.user_sup_b.id)],
            }
        )
        cls.campaign = cls.env["contact_center.campaign"].create(
            {"name": "List A", "team_id": cls.team_a.id}
        )
        cls.contact = cls.env["contact_center.campaign.contact"].create(
            {
                "campaign_id": cls.campaign.id,
                "name": "Private Person",
                "number_ids": [Command.create({"phone_e164": "+3225559901"})],
            }
        )

    def test_agents_read_the_contacts_of_their_campaigns_only(self):
        Contact = self.env["contact_center.campaign.contact"]
        self.assertEqual(
            Contact.with_user(self.user_ann).search([("name", "=", "Private Person")]),
            self.contact,
        )
        self.assertFalse(
            Contact.with_user(self.user_zoe).search([("name", "=", "Private Person")])
        )
        self.assertFalse(
            self.env["contact_center.campaign.number"]
            .with_user(self.user_zoe)
            .search([("phone_e164", "=", "+3225559901")])
        )

    def test_supervisors_change_their_teams_campaign_lists_only(self):
        with self.assertRaises(AccessError):
            self.contact.with_user(self.user_sup_b).write({"priority": 5})
        with self.assertRaises(AccessError):
            self.campaign.window_ids[:1].with_user(self.user_sup_b).write(
                {"hour_to": 23.0}
            )
        with self.assertRaises(AccessError):
            self.campaign.outcome_ids[:1].with_user(self.user_sup_b).write(
                {"label": "Renamed"}
            )
