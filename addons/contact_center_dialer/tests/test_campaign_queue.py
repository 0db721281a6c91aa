"""The campaign queue: one contact per agent, callable now, never twice."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command, api, sql_db
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

# Monday 2 March 2026, 15:00 UTC: 10:00 in New York, 16:00 in Brussels,
# midnight in Tokyo
NOW = datetime(2026, 3, 2, 15, 0)


def _make_campaign(env, team, agents, **values):
    return env["contact_center.campaign"].create(
        {
            "name": "Renewals",
            "team_id": team.id,
            "agent_ids": [Command.set(agents.ids)],
            **values,
        }
    )


def _contact(campaign, name, tz, *numbers, **values):
    return campaign.env["contact_center.campaign.contact"].create(
        {
            "campaign_id": campaign.id,
            "name": name,
            "tz": tz,
            "number_ids": [
                Command.create({"phone_e164": number, "sequence": index})
                for index, number in enumerate(numbers)
            ],
            **values,
        }
    )


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestCampaignQueue(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_ann = new_test_user(
            cls.env, "dial_ann", groups="contact_center.group_contact_center_agent"
        )
        cls.user_bob = new_test_user(
            cls.env, "dial_bob", groups="contact_center.group_contact_center_agent"
        )
        cls.user_sup = new_test_user(
            cls.env,
            "dial_sup",
            groups="contact_center.group_contact_center_supervisor",
        )
        Agent = cls.env["contact_center.agent"]
        cls.ann, cls.bob = Agent.create(
            [{"user_id": cls.user_ann.id}, {"user_id": cls.user_bob.id}]
        )
        cls.team = cls.env["contact_center.team"].create(
            {
                "name": "Outbound",
                "member_ids": [Command.set((cls.ann | cls.bob).ids)],
                "supervisor_ids": [Command.link(cls.user_sup.id)],
            }
        )
        cls.campaign = _make_campaign(cls.env, cls.team, cls.ann | cls.bob)
        cls.campaign.action_start()

    def test_hands_out_by_priority_and_leases_the_contact(self):
        low = _contact(self.campaign, "Low", "Europe/Brussels", "+3225551201")
        high = _contact(
            self.campaign, "High", "Europe/Brussels", "+3225551202", priority=5
        )
        taken = self.campaign._take_next_contact(self.ann)
        self.assertEqual(taken, high)
        self.assertEqual(taken.state, "in_progress")
        self.assertEqual(taken.agent_id, self.ann)
        self.assertEqual(taken.number_id.phone_e164, "+3225551202")
        self.assertEqual(taken.lease_until, NOW + timedelta(minutes=15))
        self.assertEqual(self.campaign._take_next_contact(self.bob), low)
        self.assertFalse(self.campaign._take_next_contact(self.ann))

    def test_contact_outside_their_window_waits_for_its_start(self):
        # windows 9:00-20:00 local on weekdays: Tokyo is at midnight
        tokyo = _contact(self.campaign, "Tokyo", "Asia/Tokyo", "+81312345678")
        new_york = _contact(
            self.campaign, "New York", "America/New_York", "+12125550100"
        )
        self.assertEqual(self.campaign._take_next_contact(self.ann), new_york)
        self.assertEqual(tokyo.state, "pending")
        # Tuesday 9:00 in Tokyo is Tuesday 0:00 UTC
        self.assertEqual(tokyo.next_attempt_at, datetime(2026, 3, 3, 0, 0))
        self.assertFalse(self.campaign._take_next_contact(self.bob))
        # the compliance record: held back once, at midnight Tokyo time
        block = self.env["contact_center.campaign.block"].search(
            [("campaign_id", "=", self.campaign.id)]
        )
        self.assertEqual(
            (block.contact_id, block.reason, block.local_time),
            (tokyo, "window", "Tue 00:00"),
        )
        self.assertEqual(self.campaign.blocked_window_count, 1)

    def test_number_put_on_the_dnc_list_after_import_is_never_dialled(self):
        contact = _contact(
            self.campaign, "Two numbers", "Europe/Brussels", "+32475123456",
            "+3225551299",
        )  # fmt: skip
        self.env["phone.blacklist"].sudo().add("+32475123456")
        taken = self.campaign._take_next_contact(self.ann)
        self.assertEqual(taken, contact)
        self.assertEqual(taken.number_id.phone_e164, "+3225551299")
        blocked = contact.with_context(active_test=False).number_ids.filtered(
            lambda n: n.phone_e164 == "+32475123456"
        )
        self.assertFalse(blocked.active)
        self.assertEqual(blocked.archive_reason, "On the do-not-call list")
        self.assertEqual(self.campaign.blocked_dnc_count, 1)
        action = self.campaign.action_open_blocks()
        shown = self.env[action["res_model"]].search(action["domain"])
        self.assertEqual(shown.number_id, blocked)

    def test_contact_whose_only_number_is_on_the_dnc_list_is_excluded(self):
        contact = _contact(self.campaign, "Blocked", "Europe/Brussels", "+3225551298")
        self.env["phone.blacklist"].sudo().add("+3225551298")
        self.assertFalse(self.campaign._take_next_contact(self.ann))
        self.assertEqual(contact.state, "excluded")

    def test_number_over_its_daily_limit_is_skipped_until_tomorrow(self):
        contact = _contact(self.campaign, "Called", "Europe/Brussels", "+3225551297")
        contact.number_ids.write(
            {"attempts": 3, "attempts_today": 3, "last_attempt_at": NOW}
        )
        self.assertFalse(self.campaign._take_next_contact(self.ann))
        self.assertEqual(contact.next_attempt_at, datetime(2026, 3, 3, 0, 0))

    def test_contact_out_of_attempts_fails(self):
        contact = _contact(
            self.campaign, "Tried", "Europe/Brussels", "+3225551296", attempts=5
        )
        self.assertFalse(self.campaign._take_next_contact(self.ann))
        self.assertEqual(contact.state, "failed")

    def test_callback_waits_for_its_time_and_its_agent(self):
        callback = _contact(
            self.campaign, "Call me back", "Europe/Brussels", "+3225551295",
            state="callback", callback_agent_id=self.bob.id,
            next_attempt_at=NOW + timedelta(hours=1),
        )  # fmt: skip
        self.assertFalse(self.campaign._take_next_contact(self.bob))
        with freeze_time(NOW + timedelta(hours=1)):
            self.assertFalse(self.campaign._take_next_contact(self.ann))
            self.assertEqual(self.campaign._take_next_contact(self.bob), callback)

    def test_paused_campaign_and_outsiders_get_nothing(self):
        _contact(self.campaign, "Waiting", "Europe/Brussels", "+3225551294")
        outsider = self.env["contact_center.agent"].create(
            {
                "user_id": new_test_user(
                    self.env,
                    "dial_out",
                    groups="contact_center.group_contact_center_agent",
                ).id
            }
        )
        self.assertFalse(self.campaign._take_next_contact(outsider))
        self.campaign.action_pause()
        self.assertFalse(self.campaign._take_next_contact(self.ann))

    def test_dialer_takes_for_itself_and_leaves_callbacks_to_their_agent(self):
        kept = _contact(
            self.campaign, "Kept for Bob", "Europe/Brussels", "+3225551281",
            state="callback", callback_agent_id=self.bob.id, priority=9,
        )  # fmt: skip
        anyone = _contact(self.campaign, "Anyone", "Europe/Brussels", "+3225551282")
        taken = self.campaign._take_next_contact(None)
        self.assertEqual(taken, anyone)
        self.assertEqual(taken.state, "in_progress")
        self.assertFalse(taken.agent_id)
        self.assertEqual(taken.number_id.phone_e164, "+3225551282")
        self.assertEqual(taken.lease_until, NOW + timedelta(minutes=15))
        self.assertFalse(self.campaign._take_next_contact(None))
        self.assertEqual(kept.state, "callback")
        self.assertEqual(self.campaign._take_next_contact(self.bob), kept)

    def test_a_take_costs_a_fixed_number_of_queries(self):
        for i in range(3):
            _contact(
                self.campaign, f"Q{i}", "Europe/Brussels", f"+322555127{i}",
                f"+322555126{i}",
            )  # fmt: skip
        self.env.flush_all()
        self.env.invalidate_all()
        # the windows are cached per process (cleared when one is written)
        self.campaign._windows()
        self.env.invalidate_all()
        # the campaign, whether the agent works on it, its team (time zone),
        # savepoint + lock (with the first number and the do-not-call list)
        # + release, the update
        with self.assertQueryCount(7):
            taken = self.campaign._take_next_contact(self.ann)
            self.env.flush_all()
        self.assertEqual(taken.state, "in_progress")

    def test_lease_gives_back_the_contact_of_a_lost_session(self):
        contact = _contact(self.campaign, "Held", "Europe/Brussels", "+3225551293")
        self.assertEqual(self.campaign._take_next_contact(self.ann), contact)
        self.campaign._cron_release_leases()
        self.assertEqual(contact.state, "in_progress", "the lease still runs")
        with freeze_time(NOW + timedelta(minutes=16)):
            self.campaign._cron_release_leases()
            self.assertEqual(contact.state, "pending")
            self.assertFalse(contact.agent_id)
            self.assertEqual(self.campaign._take_next_contact(self.bob), contact)

    def test_settings_are_checked(self):
        with self.assertRaisesRegex(ValidationError, "at least 15 seconds"):
            self.campaign.ring_seconds = 10
        with self.assertRaisesRegex(ValidationError, "not a time zone"):
            self.campaign.default_tz = "Mars/Olympus"
        empty = _make_campaign(self.env, self.team, self.ann, window_ids=False)
        with self.assertRaisesRegex(UserError, "no calling window"):
            empty.action_start()

    def test_only_supervisors_of_the_team_run_it(self):
        with self.assertRaises(AccessError):
            self.campaign.with_user(self.user_ann).action_pause()
        other = new_test_user(
            self.env,
            "dial_sup2",
            groups="contact_center.group_contact_center_supervisor",
        )
        with self.assertRaises(AccessError):
            self.campaign.with_user(other).action_pause()
        self.campaign.with_user(self.user_sup).action_pause()
        self.assertEqual(self.campaign.state, "paused")


@tagged("post_install", "-at_install")
class TestCampaignQueueConcurrency(TransactionCase):
    """Two agents in two transactions, on committed rows, at the same time."""

    def setUp(self):
        super().setUp()
        self.cursors = []
        setup = self._cursor()
        env = api.Environment(setup, api.SUPERUSER_ID, {})
        users = [
            new_test_user(
                env,
                f"dial_race_{i}",
                groups="contact_center.group_contact_center_agent",
            )
            for i in range(2)
        ]
        agents = env["contact_center.agent"].create([{"user_id": u.id} for u in users])
        team = env["contact_center.team"].create(
            {"name": "Race", "member_ids": [Command.set(agents.ids)]}
        )
        campaign = _make_campaign(
            env, team, agents, default_tz="UTC", window_ids=[Command.clear()]
        )
        campaign.write(
            {
                "window_ids": [
                    Command.create({"weekday": str(day), "hour_from": 0, "hour_to": 24})
                    for day in range(7)
                ]
            }
        )
        campaign.action_start()
        for i in range(5):
            _contact(campaign, f"Race {i}", "UTC", f"+322555130{i}")
        setup.commit()
        self.ids = {
            "campaign": campaign.id,
            "agents": agents.ids,
            "team": team.id,
            "users": [u.id for u in users],
        }
        self.addCleanup(self._cleanup)

    def _cursor(self):
        cursor = sql_db.db_connect(self.env.cr.dbname).cursor()
        self.cursors.append(cursor)
        return cursor

    def _cleanup(self):
        for cursor in self.cursors:
            cursor.rollback()
        cleanup = sql_db.db_connect(self.env.cr.dbname).cursor()
        env = api.Environment(cleanup, api.SUPERUSER_ID, {})
        env["contact_center.campaign"].browse(self.ids["campaign"]).unlink()
        env["contact_center.team"].browse(self.ids["team"]).unlink()
        env["contact_center.agent"].browse(self.ids["agents"]).unlink()
        users = env["res.users"].browse(self.ids["users"])
        partners = users.partner_id
        try:
            with cleanup.savepoint():
                users.unlink()
                partners.unlink()
        except Exception:  # noqa: BLE001 - left archived if Odoo keeps them
            users.write({"active": False})
        cleanup.commit()
        cleanup.close()
        for cursor in self.cursors:
            cursor.close()

    def test_two_agents_never_get_the_same_contact(self):
        first, second = self._cursor(), self._cursor()
        env1 = api.Environment(first, api.SUPERUSER_ID, {})
        env2 = api.Environment(second, api.SUPERUSER_ID, {})
        campaign1 = env1["contact_center.campaign"].browse(self.ids["campaign"])
        campaign2 = env2["contact_center.campaign"].browse(self.ids["campaign"])
        agent1, agent2 = self.ids["agents"]
        taken = []
        # both transactions stay open: the first one's locks are held while
        # the second takes; neither waits for the other
        for _i in range(2):
            taken.append(
                campaign1._take_next_contact(
                    env1["contact_center.agent"].browse(agent1)
                ).id
            )
            taken.append(
                campaign2._take_next_contact(
                    env2["contact_center.agent"].browse(agent2)
                ).id
            )
        self.assertEqual(len(set(taken)), 4, taken)
        self.assertNotIn(False, taken)
        # the fifth goes to whoever asks next; then nothing is left
        last = campaign2._take_next_contact(env2["contact_center.agent"].browse(agent2))
        self.assertTrue(last)
        self.assertNotIn(last.id, taken)
        self.assertFalse(
            campaign1._take_next_contact(env1["contact_center.agent"].browse(agent1))
        )

    def test_contact_taken_since_the_snapshot_is_passed_over(self):
        first, second = self._cursor(), self._cursor()
        env1 = api.Environment(first, api.SUPERUSER_ID, {})
        env2 = api.Environment(second, api.SUPERUSER_ID, {})
        agent1, agent2 = self.ids["agents"]
        campaign2 = env2["contact_center.campaign"].browse(self.ids["campaign"])
        # the second transaction reads (its snapshot starts) before the
        # first takes the head of the queue and commits
        self.assertEqual(campaign2.state, "running")
        head = (
            env1["contact_center.campaign"]
            .browse(self.ids["campaign"])
            ._take_next_contact(env1["contact_center.agent"].browse(agent1))
        )
        self.assertEqual(head.name, "Race 0")
        first.commit()
        # its snapshot still shows "Race 0" waiting: locking it fails, the
        # take goes on with the next contact instead of failing
        taken = campaign2._take_next_contact(
            env2["contact_center.agent"].browse(agent2)
        )
        self.assertEqual(taken.name, "Race 1")
        self.assertEqual(taken.agent_id.id, agent2)
        second.commit()


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestCampaignOutcomes(TransactionCase):
    """What each outcome of an attempt does next."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_ann = new_test_user(
            cls.env, "dial_o_ann", groups="contact_center.group_contact_center_agent"
        )
        cls.ann = cls.env["contact_center.agent"].create({"user_id": cls.user_ann.id})
        cls.team = cls.env["contact_center.team"].create(
            {"name": "Outcomes", "member_ids": [Command.set(cls.ann.ids)]}
        )
        cls.campaign = _make_campaign(cls.env, cls.team, cls.ann, max_attempts=3)
        cls.campaign.action_start()
        cls.partner = cls.env["res.partner"].create({"name": "Olga Outcome"})

    def _called(self, *numbers):
        contact = _contact(
            self.campaign,
            "Olga",
            "Europe/Brussels",
            *(numbers or ("+3225551401",)),
            partner_id=self.partner.id,
        )
        self.assertEqual(self.campaign._take_next_contact(self.ann), contact)
        return contact

    def _attempts(self, contact):
        return self.env["contact_center.interaction"].search(
            [("res_model", "=", contact._name), ("res_id", "=", contact.id)]
        )

    def test_answered_ends_the_contact_and_logs_the_call(self):
        contact = self._called()
        contact._record_outcome("sale", note="Two licences")
        self.assertEqual(contact.state, "done")
        self.assertEqual(contact.attempts, 1)
        self.assertFalse(contact.agent_id)
        (call,) = self._attempts(contact)
        self.assertEqual(
            (call.direction, call.channel, call.state, call.agent_id),
            ("outbound", "phone", "done", self.ann),
        )
        self.assertEqual(call.partner_id, self.partner)
        self.assertEqual(call.disposition_id.code, "sale")
        self.assertEqual(call.note, "Two licences")

    def test_no_answer_busy_voicemail_failed_retry_after_their_delay(self):
        delays = {"no_answer": 120, "busy": 15, "voicemail": 240, "failed": 60}
        for outcome, minutes in delays.items():
            with self.subTest(outcome=outcome):
                contact = self._called(f"+32255514{minutes:02d}"[:12])
                contact._record_outcome(outcome)
                self.assertEqual(contact.state, "retry")
                self.assertEqual(
                    contact.next_attempt_at, NOW + timedelta(minutes=minutes)
                )
                self.assertEqual(contact.number_ids.attempts, 1)
                self.assertEqual(contact.number_ids.attempts_today, 1)
                contact.state = "done"  # out of the way of the next one

    def test_retries_stop_at_the_maximum_attempts(self):
        self.campaign.retry_no_answer_minutes = 30
        contact = self._called()
        for attempt in range(3):
            if attempt:
                with freeze_time(NOW + timedelta(minutes=31 * attempt)):
                    self.assertEqual(
                        self.campaign._take_next_contact(self.ann), contact
                    )
                    contact._record_outcome("no_answer")
            else:
                contact._record_outcome("no_answer")
        self.assertEqual(contact.state, "failed")
        self.assertEqual(len(self._attempts(contact)), 3)

    def test_wrong_number_archives_it_and_moves_to_the_next(self):
        contact = self._called("+3225551402", "+32475123457")
        contact._record_outcome("wrong_number")
        self.assertEqual(contact.state, "pending")
        archived = contact.with_context(active_test=False).number_ids[0]
        self.assertFalse(archived.active)
        self.assertEqual(archived.archive_reason, "Wrong number")
        again = self.campaign._take_next_contact(self.ann)
        self.assertEqual(again.number_id.phone_e164, "+32475123457")
        again._record_outcome("wrong_number")
        self.assertEqual(contact.state, "excluded")

    def test_do_not_call_puts_the_number_on_the_list(self):
        contact = self._called("+3225551403")
        contact._record_outcome("do_not_call")
        self.assertEqual(contact.state, "excluded")
        self.assertTrue(
            self.env["phone.blacklist"].sudo().search([("number", "=", "+3225551403")])
        )
        # the same number in another campaign is not called either
        other = _make_campaign(self.env, self.team, self.ann, name="Other")
        other.action_start()
        again = _contact(other, "Olga again", "Europe/Brussels", "+3225551403")
        self.assertFalse(other._take_next_contact(self.ann))
        self.assertEqual(again.state, "excluded")

    def test_callback_comes_back_at_its_time_for_its_agent(self):
        contact = self._called()
        at = NOW + timedelta(days=1)
        contact._record_outcome("callback", callback_at=at, callback_agent=self.ann)
        self.assertEqual(
            (contact.state, contact.next_attempt_at, contact.callback_agent_id),
            ("callback", at, self.ann),
        )
        self.assertFalse(self.campaign._take_next_contact(self.ann))
        with freeze_time(at):
            self.assertEqual(self.campaign._take_next_contact(self.ann), contact)

    def test_campaign_results_count_reached_and_converted(self):
        first = self._called("+3225551406")
        first._record_outcome("sale")
        second = self._called("+3225551407")
        second._record_outcome("no_answer")
        with freeze_time(NOW + timedelta(minutes=121)):
            self.assertEqual(self.campaign._take_next_contact(self.ann), second)
            second._record_outcome("not_interested")
        self.campaign.invalidate_recordset()
        # two contacts called in three calls: both reached, one converted
        self.assertEqual(self.campaign.reached_count, 2)
        self.assertEqual(self.campaign.converted_count, 1)
        self.assertAlmostEqual(self.campaign.attempts_per_contact, 1.5)

    def test_an_outcome_needs_a_call_in_progress(self):
        contact = _contact(self.campaign, "Idle", "Europe/Brussels", "+3225551404")
        with self.assertRaisesRegex(UserError, "no attempt to close"):
            contact._record_outcome("sale")
        contact.state = "done"
        taken = self._called("+3225551405")
        with self.assertRaisesRegex(UserError, "when to call back"):
            taken._record_outcome("callback")


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestCampaignOutcomesInCrm(TransactionCase):
    """Answers become leads the CRM reports on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_ann = new_test_user(
            cls.env, "dial_crm_ann", groups="contact_center.group_contact_center_agent"
        )
        cls.ann = cls.env["contact_center.agent"].create({"user_id": cls.user_ann.id})
        team = cls.env["contact_center.team"].create(
            {"name": "Sales calls", "member_ids": [Command.set(cls.ann.ids)]}
        )
        cls.utm = cls.env["utm.campaign"].create({"name": "Spring 2026"})
        cls.campaign = _make_campaign(
            cls.env, team, cls.ann, utm_campaign_id=cls.utm.id
        )
        cls.campaign.action_start()
        cls.partner = cls.env["res.partner"].create({"name": "Lena Lead"})

    def _called(self, **values):
        contact = _contact(
            self.campaign, "Lena", "Europe/Brussels", "+3225551501",
            partner_id=self.partner.id, **values,
        )  # fmt: skip
        self.assertEqual(self.campaign._take_next_contact(self.ann), contact)
        return contact.with_user(self.user_ann)

    def test_interested_becomes_an_opportunity_with_a_follow_up(self):
        contact = self._called()
        contact._record_outcome("interested", note="Wants a demo")
        lead = contact.sudo().lead_id
        self.assertEqual(lead.partner_id, self.partner)
        self.assertEqual(lead.campaign_id, self.utm)
        self.assertEqual(lead.user_id, self.user_ann)
        self.assertEqual(lead.phone, "+3225551501")
        activity = lead.activity_ids
        self.assertEqual(activity.user_id, self.user_ann)
        self.assertEqual(activity.date_deadline, NOW.date() + timedelta(days=1))

    def test_sale_wins_the_lead_and_a_refusal_loses_it(self):
        contact = self._called()
        contact._record_outcome("sale")
        self.assertTrue(contact.sudo().lead_id.stage_id.is_won)
        lead = self.env["crm.lead"].create(
            {"name": "Old lead", "partner_id": self.partner.id}
        )
        contact.sudo().write({"state": "done"})
        again = _contact(
            self.campaign, "Lena again", "Europe/Brussels", "+3225551502",
            lead_id=lead.id,
        )  # fmt: skip
        self.assertEqual(self.campaign._take_next_contact(self.ann), again)
        again.with_user(self.user_ann)._record_outcome("not_interested")
        self.assertFalse(lead.active)
        self.assertEqual(lead.campaign_id, self.utm)
