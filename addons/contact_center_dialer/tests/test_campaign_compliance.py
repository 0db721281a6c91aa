"""A campaign's results and its compliance report, from hand-built calls."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

# Monday 2 March 2026, 15:00 UTC: 10:00 in New York (EST, UTC-5)
NOW = datetime(2026, 3, 2, 15, 0)
NEW_YORK = "+12125550100"


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestCampaignCompliance(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_sup = new_test_user(
            cls.env,
            "compliance_sup",
            groups="contact_center.group_contact_center_supervisor",
        )
        cls.user_agent = new_test_user(
            cls.env,
            "compliance_agent",
            groups="contact_center.group_contact_center_agent",
        )
        cls.agent = cls.env["contact_center.agent"].create(
            {"user_id": cls.user_agent.id}
        )
        cls.team = cls.env["contact_center.team"].create(
            {
                "name": "Outbound",
                "member_ids": [Command.set(cls.agent.ids)],
                "supervisor_ids": [Command.link(cls.user_sup.id)],
            }
        )
        # windows: Monday to Friday, 9:00-20:00 in the contact's time zone
        cls.campaign = cls.env["contact_center.campaign"].create(
            {
                "name": "Renewals",
                "team_id": cls.team.id,
                "abandon_ceiling_percent": 3.0,
                "abandon_window_hours": "720",
                "attempts_per_number_day": 3,
                "attempts_per_number": 6,
                "identification_message": "This is Acme calling. Call 555-0100 "
                "to stop our calls.",
            }
        )
        cls.contact = cls.env["contact_center.campaign.contact"].create(
            {
                "campaign_id": cls.campaign.id,
                "name": "Nora",
                "tz": "America/New_York",
                "number_ids": [Command.create({"phone_e164": NEW_YORK})],
            }
        )
        cls.number = cls.contact.number_ids

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _calls(self, count, at, contact=None, number=None, **values):
        """``count`` dial attempts started at ``at``, as the dialer logs them."""
        contact = contact or self.contact
        number = number or contact.number_ids[:1]
        answered = values.get("dialer_answered_by")
        base = {
            "name": "Renewals",
            "channel": "phone",
            "direction": "outbound",
            "state": "done" if answered else "missed",
            "team_id": self.team.id,
            "phone": number.phone_e164,
            "campaign_id": self.campaign.id,
            "campaign_contact_id": contact.id,
            "campaign_number_id": number.id,
            "is_dialer_call": True,
            "queued_at": at,
            "answered_at": at + timedelta(seconds=8) if answered else False,
            "ended_at": at + timedelta(seconds=60),
        }
        return self.env["contact_center.interaction"].create(
            [dict(base, **values) for _i in range(count)]
        )

    def _live(self, count, at, abandoned=0):
        """``count`` calls a person answered, ``abandoned`` of them with no
        agent within 2 seconds."""
        calls = self._calls(count - abandoned, at, dialer_answered_by="human")
        return calls + self._calls(
            abandoned, at, dialer_answered_by="human", is_dialer_abandoned=True
        )

    def _report(self, campaign=None):
        """The report lines by rule, as the supervisor opens them."""
        campaign = (campaign or self.campaign).with_user(self.user_sup)
        action = campaign.action_open_compliance()
        lines = self.env[action["res_model"]].with_user(self.user_sup)
        return {line.rule: line for line in lines.search(action["domain"])}

    def _records(self, line):
        action = line.action_open_records()
        return self.env[action["res_model"]].search(action["domain"])

    # ------------------------------------------------------------------
    # abandon rate
    # ------------------------------------------------------------------
    def test_one_abandoned_of_forty_live_answers_meets_a_3_percent_ceiling(self):
        self._live(40, NOW - timedelta(days=2), abandoned=1)
        line = self._report()["abandon_rate"]
        self.assertEqual(
            (line.status, line.value, line.limit), ("met", "2.50 %", "3.00 %")
        )
        campaign = self.campaign.with_user(self.user_sup)
        self.assertEqual(
            (
                campaign.abandon_rate_window,
                campaign.abandoned_count,
                campaign.live_answered_count,
            ),
            (2.5, 1, 40),
        )

    def test_two_abandoned_of_forty_live_answers_breach_a_3_percent_ceiling(self):
        abandoned = self._live(40, NOW - timedelta(days=2), abandoned=2)[-2:]
        line = self._report()["abandon_rate"]
        self.assertEqual((line.status, line.value), ("breached", "5.00 %"))
        self.assertEqual(
            line.detail,
            "2 abandoned of 40 answered by a person, over 30 days (US, FCC).",
        )
        self.assertEqual(self._records(line), abandoned)

    def test_24_hours_and_30_days_count_different_calls(self):
        # today: 1 of 10 abandoned; 10 days ago: 1 of 30; 40 days ago: 5 of 5
        self._live(10, NOW - timedelta(hours=2), abandoned=1)
        self._live(30, NOW - timedelta(days=10), abandoned=1)
        self._live(5, NOW - timedelta(days=40), abandoned=5)
        campaign = self.campaign.with_user(self.user_sup)
        self.assertEqual(campaign.abandon_rate_24h, 10.0)  # 1 / 10
        self.assertEqual(campaign.abandon_rate_30d, 5.0)  # 2 / 40
        self.campaign.abandon_window_hours = "24"
        line = self._report()["abandon_rate"]
        self.assertEqual((line.status, line.value), ("breached", "10.00 %"))
        self.assertEqual(
            line.detail,
            "1 abandoned of 10 answered by a person, over 24 hours (UK, Ofcom).",
        )

    def test_calls_answered_by_a_machine_are_not_live_answers(self):
        self._live(40, NOW - timedelta(days=1), abandoned=1)
        self._calls(10, NOW - timedelta(days=1), dialer_answered_by="machine")
        campaign = self.campaign.with_user(self.user_sup)
        self.assertEqual(
            (campaign.live_answered_count, campaign.abandon_rate_30d), (40, 2.5)
        )
        self.assertEqual(self._report()["abandon_rate"].value, "2.50 %")

    def test_no_live_answer_leaves_the_rate_empty(self):
        self._calls(3, NOW - timedelta(days=1))  # nobody answered
        line = self._report()["abandon_rate"]
        self.assertEqual((line.status, line.value), ("met", False))  # shown empty
        self.assertEqual(
            line.detail, "No call answered by a person over 30 days (US, FCC)."
        )
        self.assertEqual(self.campaign.live_answered_30d_count, 0)

    def test_identification_message_is_shown_with_the_abandoned_calls(self):
        self._live(3, NOW - timedelta(days=1), abandoned=2)
        self._live(2, NOW - timedelta(days=60), abandoned=1)
        line = self._report()["identification"]
        self.assertEqual((line.status, line.value), ("met", "3"))
        self.assertEqual(
            line.detail, "This is Acme calling. Call 555-0100 to stop our calls."
        )
        self.assertEqual(line.record_count, 3)

    # ------------------------------------------------------------------
    # ring time, attempts per number
    # ------------------------------------------------------------------
    def test_no_answer_call_hung_up_after_12_seconds_breaches_the_ring_rule(self):
        start = NOW - timedelta(hours=3)
        short = self._calls(1, start, ended_at=start + timedelta(seconds=12))
        self._calls(1, start, ended_at=start + timedelta(seconds=20))
        line = self._report()["ring_time"]
        self.assertEqual((line.status, line.value, line.limit), ("breached", "1", "0"))
        self.assertIn("Shortest ring: 12 s", line.detail)
        self.assertEqual(self._records(line), short)

    def test_calls_ringing_15_seconds_or_more_meet_the_ring_rule(self):
        start = NOW - timedelta(hours=3)
        self._calls(1, start, ended_at=start + timedelta(seconds=15))
        line = self._report()["ring_time"]
        self.assertEqual((line.status, line.value), ("met", "0"))
        self.assertIn("Shortest ring: 15 s", line.detail)

    def test_number_called_4_times_in_a_day_breaches_a_daily_limit_of_3(self):
        other = self.env["contact_center.campaign.contact"].create(
            {
                "campaign_id": self.campaign.id,
                "name": "Omar",
                "tz": "America/New_York",
                "number_ids": [Command.create({"phone_e164": "+12125550111"})],
            }
        )
        day = datetime(2026, 2, 27, 15, 0)
        four = self._calls(4, day)
        self._calls(3, day, contact=other)  # at the limit: fine
        line = self._report()["number_limits"]
        self.assertEqual((line.status, line.value, line.limit), ("breached", "1", "0"))
        self.assertIn("Most calls to one of them: 4 in a day", line.detail)
        self.assertEqual(self._records(line), four)

    # ------------------------------------------------------------------
    # calling window, do-not-call list, hard stops
    # ------------------------------------------------------------------
    def test_call_at_22_in_new_york_breaches_the_window_and_10_does_not(self):
        # Friday 27 February 2026: 22:00 EST is 03:00 UTC on Saturday
        late = self._calls(1, datetime(2026, 2, 28, 3, 0))
        self._calls(1, datetime(2026, 2, 27, 15, 0))  # 10:00 EST
        line = self._report()["calling_window"]
        self.assertEqual((line.status, line.value, line.limit), ("breached", "1", "0"))
        self.assertEqual(self._records(line), late)

    def test_call_after_the_number_was_blacklisted_breaches_dnc(self):
        entry = self.env["phone.blacklist"].create({"number": NEW_YORK})
        self.env["phone.blacklist"].flush_model()
        listed_at = datetime(2026, 2, 20, 12, 0)
        self.env.cr.execute(
            "UPDATE phone_blacklist SET create_date = %s, write_date = %s"
            " WHERE id = %s",
            (listed_at, listed_at, entry.id),
        )
        self._calls(1, listed_at - timedelta(days=1))
        after = self._calls(1, listed_at + timedelta(days=1))
        self.env["contact_center.campaign.block"].create(
            {
                "campaign_id": self.campaign.id,
                "contact_id": self.contact.id,
                "number_id": self.number.id,
                "reason": "dnc",
                "blocked_at": listed_at + timedelta(days=2),
            }
        )
        report = self._report()
        line = report["dnc"]
        self.assertEqual((line.status, line.value, line.limit), ("breached", "1", "0"))
        self.assertEqual(self._records(line), after)
        self.assertEqual(
            (report["dnc_blocks"].status, report["dnc_blocks"].value), ("info", "1")
        )

    def test_hard_stops_are_listed_as_information(self):
        stops = self._calls(
            2, NOW - timedelta(hours=1), dialer_hang_up_reason="no_agent"
        )
        line = self._report()["hard_stops"]
        self.assertEqual((line.status, line.value), ("info", "2"))
        self.assertEqual(self._records(line), stops)

    def test_a_clean_campaign_meets_every_rule(self):
        # 42 people called once each at 9:30 in New York: 40 answered (one
        # abandoned), 2 did not answer and rang 60 s
        contacts = self.env["contact_center.campaign.contact"].create(
            [
                {
                    "campaign_id": self.campaign.id,
                    "name": f"Person {index}",
                    "tz": "America/New_York",
                    "number_ids": [
                        Command.create({"phone_e164": f"+1212555{1000 + index}"})
                    ],
                }
                for index in range(42)
            ]
        )
        at = NOW - timedelta(minutes=30)
        for index, contact in enumerate(contacts):
            self._calls(
                1,
                at,
                contact=contact,
                dialer_answered_by="human" if index < 40 else False,
                is_dialer_abandoned=index == 0,
            )
        report = self._report()
        self.assertEqual(
            {rule: line.status for rule, line in report.items()},
            {
                "abandon_rate": "met",
                "identification": "met",
                "ring_time": "met",
                "number_limits": "met",
                "calling_window": "met",
                "window_blocks": "info",
                "dnc": "met",
                "dnc_blocks": "info",
                "hard_stops": "info",
            },
        )

    # ------------------------------------------------------------------
    # access, cost
    # ------------------------------------------------------------------
    def test_agents_cannot_open_the_report(self):
        with self.assertRaises(AccessError):
            self.campaign.with_user(self.user_agent).action_open_compliance()
        with self.assertRaises(AccessError):
            self.env["contact_center.campaign.compliance"].with_user(
                self.user_agent
            ).search([])

    def test_measuring_costs_the_same_queries_for_one_or_many_campaigns(self):
        Compliance = self.env["contact_center.campaign.compliance"]
        self._live(4, NOW - timedelta(hours=5), abandoned=1)
        others = self.campaign.copy() | self.campaign.copy()
        campaigns = self.campaign | others
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        Compliance._measure(self.campaign)
        one = self.env.cr.sql_log_count - before
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        lines = Compliance._measure(campaigns)
        self.assertEqual(self.env.cr.sql_log_count - before, one)
        self.assertEqual(len(lines), 27)
