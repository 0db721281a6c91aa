"""The agent's dialer panel: what it shows and what each button does."""

import json
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

# Monday 2 March 2026, 15:00 UTC: 10:00 in New York, 16:00 in Brussels
NOW = datetime(2026, 3, 2, 15, 0)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestDialerPanel(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.user_ann = new_test_user(
            cls.env,
            "panel_ann",
            name="Ann Agent",
            groups="contact_center.group_contact_center_agent",
        )
        cls.user_bob = new_test_user(
            cls.env, "panel_bob", groups="contact_center.group_contact_center_agent"
        )
        cls.user_eve = new_test_user(
            cls.env, "panel_eve", groups="contact_center.group_contact_center_agent"
        )
        Agent = cls.env["contact_center.agent"]
        cls.ann, cls.bob, cls.eve = Agent.create(
            [
                {"user_id": cls.user_ann.id},
                {"user_id": cls.user_bob.id},
                {"user_id": cls.user_eve.id},
            ]
        )
        # agents take contacts while available
        (cls.ann | cls.bob | cls.eve)._set_presence("available")
        cls.team = cls.env["contact_center.team"].create(
            {"name": "Outbound", "member_ids": [Command.set((cls.ann | cls.bob).ids)]}
        )
        cls.campaign = cls.env["contact_center.campaign"].create(
            {
                "name": "Renewals",
                "team_id": cls.team.id,
                "agent_ids": [Command.set((cls.ann | cls.bob).ids)],
                "script": "<p>Hello ${name}, is ${ phone } still your number? "
                "We write to ${email}. ${unknown}</p>",
            }
        )
        cls.campaign.action_start()
        cls.partner = cls.env["res.partner"].create(
            {"name": "Rosa <b>Parks</b>", "email": "rosa@example.com"}
        )
        Contact = cls.env["contact_center.campaign.contact"]
        cls.rosa = Contact.create(
            {
                "campaign_id": cls.campaign.id,
                "name": "Rosa <b>Parks</b>",
                "partner_id": cls.partner.id,
                "email": "rosa@example.com",
                "tz": "America/New_York",
                "priority": 5,
                "number_ids": [
                    Command.create(
                        {"phone_e164": "+12125550101", "kind": "mobile", "sequence": 1}
                    ),
                    Command.create(
                        {"phone_e164": "+12125550102", "kind": "work", "sequence": 2}
                    ),
                ],
            }
        )
        cls.karl = Contact.create(
            {
                "campaign_id": cls.campaign.id,
                "name": "Karl",
                "tz": "Europe/Brussels",
                "number_ids": [Command.create({"phone_e164": "+3225551201"})],
            }
        )
        cls.Panel = cls.env["contact_center.dialer.panel"]

    def _panel(self, user):
        return self.Panel.with_user(user)

    def _take_rosa(self):
        state = self._panel(self.user_ann).take_next(self.campaign.id)
        self.assertEqual(state["contact"]["id"], self.rosa.id)
        return state

    # ------------------------------------------------------------------
    # get_state
    # ------------------------------------------------------------------
    def test_state_lists_only_running_campaigns_of_the_agent(self):
        draft = self.env["contact_center.campaign"].create(
            {
                "name": "Draft",
                "team_id": self.team.id,
                "agent_ids": [Command.set(self.ann.ids)],
            }
        )
        state = self._panel(self.user_ann).get_state()
        self.assertEqual([c["name"] for c in state["campaigns"]], ["Renewals"])
        # the only campaign is chosen for the agent
        self.assertEqual(state["campaign"]["id"], self.campaign.id)
        self.assertEqual(state["campaign"]["mode"], "preview")
        self.assertIs(state["contact"], False)
        self.assertNotIn(draft.id, [c["id"] for c in state["campaigns"]])
        self.assertEqual(self._panel(self.user_eve).get_state()["campaigns"], [])

    def test_state_without_contact_says_false_in_plain_json(self):
        # the browser reads false, not an empty record, when nothing is held
        state = self._panel(self.user_eve).get_state()
        self.assertEqual(json.loads(json.dumps(state))["campaign"], False)
        self.assertIs(state["contact"], False)
        self._take_rosa()
        held = json.loads(json.dumps(self._panel(self.user_ann).get_state()))
        self.assertEqual(held["contact"]["name"], "Rosa <b>Parks</b>")

    def test_outcomes_carry_keys_one_to_nine_and_do_not_call_none(self):
        outcomes = self._panel(self.user_ann).get_state()["outcomes"]
        keys = {o["code"]: o["key"] for o in outcomes}
        self.assertEqual(keys["no_answer"], "1")
        self.assertEqual(keys["callback"], "9")
        self.assertEqual(keys["do_not_call"], "")
        self.assertEqual(
            sorted(k for k in keys.values() if k), [str(n) for n in range(1, 10)]
        )
        self.assertEqual(len(outcomes), 11)

    def test_state_shows_the_held_contact_with_numbers_and_script(self):
        self._take_rosa()
        contact = self._panel(self.user_ann).get_state()["contact"]
        self.assertEqual(contact["name"], "Rosa <b>Parks</b>")
        self.assertEqual(contact["tz"], "America/New_York")
        self.assertEqual(
            [(n["phone"], n["uri"], n["is_current"]) for n in contact["numbers"]],
            [
                ("+12125550101", "tel:+12125550101", True),
                ("+12125550102", "tel:+12125550102", False),
            ],
        )
        # fields escaped, the unknown placeholder left as written
        self.assertEqual(
            contact["script"],
            "<p>Hello Rosa &lt;b&gt;Parks&lt;/b&gt;, is +12125550101 still your "
            "number? We write to rosa@example.com. ${unknown}</p>",
        )

    def test_sip_extension_gets_sip_uris(self):
        self.ann.extension = "sip:ann@pbx.example.com"
        contact = self._take_rosa()["contact"]
        self.assertEqual(contact["numbers"][0]["uri"], "sip:+12125550101")

    def test_history_shows_the_last_five_interactions_newest_first(self):
        Interaction = self.env["contact_center.interaction"]
        for day in range(7):
            Interaction.create(
                {
                    "channel": "phone",
                    "direction": "inbound",
                    "partner_id": self.partner.id,
                    "queued_at": NOW - timedelta(days=day + 1),
                    "note": f"day {day + 1}",
                }
            )
        history = self._take_rosa()["contact"]["history"]
        self.assertEqual(
            [h["note"] for h in history], ["day 1", "day 2", "day 3", "day 4", "day 5"]
        )
        self.assertEqual(history[0]["at"], "2026-03-01 15:00:00")

    def test_asking_for_a_campaign_of_others_is_refused(self):
        with self.assertRaises(AccessError):
            self._panel(self.user_eve).get_state(self.campaign.id)

    # ------------------------------------------------------------------
    # take_next
    # ------------------------------------------------------------------
    def test_take_next_hands_out_then_keeps_the_held_contact(self):
        self._take_rosa()
        self.assertEqual(self.rosa.state, "in_progress")
        self.assertEqual(self.rosa.agent_id, self.ann)
        # a second press does not take Karl as well
        again = self._panel(self.user_ann).take_next(self.campaign.id)
        self.assertEqual(again["contact"]["id"], self.rosa.id)
        self.assertEqual(self.karl.state, "pending")

    def test_take_next_says_when_nobody_is_left(self):
        self.karl.state = "done"
        self._take_rosa()
        state = self._panel(self.user_bob).take_next(self.campaign.id)
        self.assertIs(state["contact"], False)
        self.assertTrue(state["nothing_to_call"])

    def test_take_next_is_refused_to_an_agent_outside_the_campaign(self):
        with self.assertRaises(AccessError):
            self._panel(self.user_eve).take_next(self.campaign.id)
        self.assertEqual(self.rosa.state, "pending")

    def test_take_next_is_refused_to_a_user_without_agent(self):
        employee = new_test_user(self.env, "panel_emp", groups="base.group_user")
        with self.assertRaises(AccessError):
            self._panel(employee).take_next(self.campaign.id)

    def test_take_next_on_a_paused_campaign_says_so(self):
        self.campaign.action_pause()
        with self.assertRaises(UserError):
            self._panel(self.user_ann).take_next(self.campaign.id)

    # ------------------------------------------------------------------
    # record_outcome
    # ------------------------------------------------------------------
    def test_no_answer_schedules_a_retry_and_logs_the_call(self):
        self._take_rosa()
        state = self._panel(self.user_ann).record_outcome(
            self.rosa.id, "no_answer", note="  rang out  "
        )
        self.assertIs(state["contact"], False)
        self.assertEqual(self.rosa.state, "retry")
        self.assertEqual(self.rosa.attempts, 1)
        # the campaign retries a no answer after 120 minutes
        self.assertEqual(self.rosa.next_attempt_at, datetime(2026, 3, 2, 17, 0))
        call = self.env["contact_center.interaction"].search(
            [("res_model", "=", self.rosa._name), ("res_id", "=", self.rosa.id)]
        )
        self.assertEqual(len(call), 1)
        self.assertEqual(call.direction, "outbound")
        self.assertEqual(call.agent_id, self.ann)
        self.assertEqual(call.phone, "+12125550101")
        self.assertEqual(call.note, "rang out")

    def test_callback_time_is_read_in_the_contact_time_zone(self):
        self._take_rosa()
        self._panel(self.user_ann).record_outcome(
            self.rosa.id, "callback", callback_at="2026-03-03T10:00"
        )
        self.assertEqual(self.rosa.state, "callback")
        # 10:00 in New York on 3 March (EST, UTC-5) is 15:00 UTC
        self.assertEqual(self.rosa.next_attempt_at, datetime(2026, 3, 3, 15, 0))
        self.assertEqual(self.rosa.callback_agent_id, self.ann)

    def test_callback_across_the_dst_change_uses_summer_time(self):
        self._take_rosa()
        # New York moves to EDT (UTC-4) on 8 March 2026
        self._panel(self.user_ann).record_outcome(
            self.rosa.id, "callback", callback_at="2026-03-09 10:00"
        )
        self.assertEqual(self.rosa.next_attempt_at, datetime(2026, 3, 9, 14, 0))

    def test_callback_for_the_team_is_kept_for_nobody(self):
        self._take_rosa()
        self._panel(self.user_ann).record_outcome(
            self.rosa.id,
            "callback",
            callback_at="2026-03-03 10:00",
            callback_for_me=False,
        )
        self.assertEqual(self.rosa.state, "callback")
        self.assertFalse(self.rosa.callback_agent_id)

    def test_callback_in_the_past_or_without_time_is_refused(self):
        self._take_rosa()
        panel = self._panel(self.user_ann)
        with self.assertRaises(UserError):
            # 9:00 in New York today is 14:00 UTC: an hour ago
            panel.record_outcome(
                self.rosa.id, "callback", callback_at="2026-03-02 09:00"
            )
        with self.assertRaises(UserError):
            panel.record_outcome(self.rosa.id, "callback")
        with self.assertRaises(UserError):
            panel.record_outcome(self.rosa.id, "callback", callback_at="tomorrow")
        with self.assertRaises(UserError):
            # 2:30 on 8 March does not exist in New York
            panel.record_outcome(
                self.rosa.id, "callback", callback_at="2026-03-08 02:30"
            )
        self.assertEqual(self.rosa.state, "in_progress")

    def test_outcome_on_a_contact_held_by_another_agent_is_refused(self):
        self._take_rosa()
        with self.assertRaises(AccessError):
            self._panel(self.user_bob).record_outcome(self.rosa.id, "sale")
        with self.assertRaises(AccessError):
            self._panel(self.user_eve).record_outcome(self.rosa.id, "sale")
        self.assertEqual(self.rosa.state, "in_progress")

    def test_outcome_on_a_contact_nobody_holds_is_refused(self):
        with self.assertRaises(AccessError):
            self._panel(self.user_ann).record_outcome(self.karl.id, "no_answer")
        self.assertEqual(self.karl.attempts, 0)

    def test_unknown_outcome_is_refused(self):
        self._take_rosa()
        with self.assertRaises(UserError):
            self._panel(self.user_ann).record_outcome(self.rosa.id, "maybe")

    # ------------------------------------------------------------------
    # skip
    # ------------------------------------------------------------------
    def test_skip_gives_the_contact_back_without_an_attempt(self):
        self._take_rosa()
        state = self._panel(self.user_ann).skip(self.rosa.id)
        self.assertIs(state["contact"], False)
        self.assertEqual(self.rosa.state, "pending")
        self.assertEqual(self.rosa.attempts, 0)
        self.assertFalse(self.rosa.agent_id)
        self.assertFalse(
            self.env["contact_center.interaction"].search_count(
                [("res_model", "=", self.rosa._name), ("res_id", "=", self.rosa.id)]
            )
        )
        # the next press gives Karl, not Rosa again
        nxt = self._panel(self.user_ann).take_next(self.campaign.id)
        self.assertEqual(nxt["contact"]["id"], self.karl.id)

    def test_skip_by_another_agent_is_refused(self):
        self._take_rosa()
        with self.assertRaises(AccessError):
            self._panel(self.user_bob).skip(self.rosa.id)
        self.assertEqual(self.rosa.agent_id, self.ann)

    def test_skip_is_refused_in_power_mode(self):
        self._take_rosa()
        self.campaign.dialer_mode = "power"
        with self.assertRaises(UserError):
            self._panel(self.user_ann).skip(self.rosa.id)
