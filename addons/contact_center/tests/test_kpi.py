"""Every KPI on a small data set computed by hand.

Team Care (service level 80% in 20 s, short abandons under 5 s, first
contact window 7 days): Ann and Bob. Team Sales: Carl. Monday 2 March 2026
is the day under test (UTC, users in UTC). Expected figures are worked out
in the comments, not by the code under test.
"""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ContactCenterCase

DAY = datetime(2026, 3, 2)
NEXT_DAY = datetime(2026, 3, 3)


def at(day, clock):
    hours, minutes, seconds = (int(part) for part in clock.split(":"))
    return day + timedelta(hours=hours, minutes=minutes, seconds=seconds)


@tagged("post_install", "-at_install")
@freeze_time("2026-03-10 12:00:00")
class TestKpi(ContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.tz = "UTC"
        for user in (cls.user_agent, cls.user_supervisor, cls.user_manager):
            user.tz = "UTC"
        cls.user_bob = new_test_user(
            cls.env,
            "cc_kpi_bob",
            groups="contact_center.group_contact_center_agent",
            tz="UTC",
        )
        cls.ann = cls.agent
        cls.bob = cls.env["contact_center.agent"].create({"user_id": cls.user_bob.id})
        cls.carl = cls.agent2
        calendar = cls.env["resource.calendar"].create(
            {
                "name": "9-17 UTC",
                "tz": "UTC",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 9,
                            "hour_to": 17,
                            "day_period": "morning",
                        }
                    )
                    for day in range(5)
                ],
            }
        )
        cls.ann.resource_calendar_id = calendar
        cls.bob.resource_calendar_id = calendar
        cls.team.write(
            {
                "member_ids": [Command.set([cls.ann.id, cls.bob.id])],
                "service_level_seconds": 20,
                "short_abandon_seconds": 5,
                "fcr_window_days": 7,
            }
        )
        Partner = cls.env["res.partner"]
        cls.p1, cls.p2, cls.p3 = Partner.create(
            [{"name": "P One"}, {"name": "P Two"}, {"name": "P Three"}]
        )
        Reason = cls.env["contact_center.contact.reason"]
        cls.r1, cls.r2 = Reason.create([{"name": "Billing"}, {"name": "Delivery"}])
        call = cls._call
        # i1 Ann: waits 10 s, talks 5 min with 1 min on hold, 1 min wrap-up:
        # handle 360 s; resolved, but P1 calls again on the 5th (same reason)
        cls.i1 = call(
            cls.ann, "09:00:00", "09:00:10", "09:05:10", "09:06:10",
            hold_seconds=60, partner_id=cls.p1.id, reason_id=cls.r1.id,
            is_resolved=True,
        )  # fmt: skip
        # i2 Ann: waits 30 s (late), 10 min, 1 min wrap-up: handle 660 s,
        # transferred to Bob; i3 is Bob's leg: handle 300 + 30 = 330 s
        cls.i2 = call(
            cls.ann, "10:00:00", "10:00:30", "10:10:30", "10:11:30",
            partner_id=cls.p2.id, is_transferred=True,
        )  # fmt: skip
        cls.i3 = call(
            cls.bob, "10:10:30", "10:10:30", "10:15:30", "10:16:00",
            partner_id=cls.p2.id, reason_id=cls.r1.id, is_resolved=True,
            is_transfer_leg=True,
        )  # fmt: skip
        # i4: hangs up after 40 s in the queue; i5 after 3 s (short abandon);
        # i6 after 12 s (abandoned, but within the threshold)
        cls.i4 = call(None, "11:00:00", None, "11:00:40", state="abandoned")
        cls.i5 = call(None, "11:30:00", None, "11:30:03", state="abandoned")
        cls.i6 = call(None, "12:00:00", None, "12:00:12", state="abandoned")
        # i7 Bob calls out: 2 min + 1 min wrap-up = 180 s, never offered
        cls.i7 = call(
            cls.bob, "13:00:00", "13:00:20", "13:02:20", "13:03:20",
            direction="outbound",
        )  # fmt: skip
        # i8 Ann answers an email (handled, no handle time); i9 an email in
        cls.i8 = call(
            cls.ann, "14:00:00", "14:00:00", "14:00:00", None,
            channel="email", direction="outbound", state="done",
        )  # fmt: skip
        cls.i9 = call(
            None, "14:30:00", "14:30:00", "14:30:00", None,
            channel="email", state="done",
        )  # fmt: skip
        # i10 Ann: starts before midnight, ends after: belongs to the 3rd
        cls.i10 = call(
            cls.ann, "23:58:00", "23:58:05", "24:03:05", "24:04:05",
            partner_id=cls.p3.id,
        )  # fmt: skip
        # i11 Bob: starts on the 1st, ends on the 2nd: belongs to the 2nd;
        # waits 15 s, 2 min + 1 min wrap-up = 180 s; resolved, P3 calls
        # again on the 20th only (after the 7-day window)
        cls.i11 = call(
            cls.bob, "-00:01:00", "-00:00:45", "00:01:15", "00:02:15",
            partner_id=cls.p3.id, reason_id=cls.r2.id, is_resolved=True,
        )  # fmt: skip
        cls.i12 = call(
            cls.ann, "72:00:00", "72:00:05", "72:03:05", None,
            partner_id=cls.p1.id, reason_id=cls.r1.id, state="wrap_up",
        )  # fmt: skip
        cls.i13 = call(
            cls.bob, "432:00:00", "432:00:05", "432:03:05", None,
            partner_id=cls.p3.id, reason_id=cls.r2.id, state="wrap_up",
        )  # fmt: skip
        # Sales: one call of Carl's, 10 min
        cls.i14 = call(
            cls.carl, "09:00:00", "09:00:05", "09:10:05", "09:11:05",
            team_id=cls.other_team.id,
        )  # fmt: skip
        # Ann's presence around the 2nd
        Presence = cls.env["contact_center.agent.presence"]
        spans = [
            ("available", "-02:00:00", "01:00:00"),  # crosses midnight: 1 h
            ("break", "01:00:00", "02:00:00"),  # 1 h
            ("offline", "02:00:00", "09:30:00"),
            ("available", "09:30:00", "12:00:00"),  # 2.5 h
            ("busy", "12:00:00", "13:00:00"),  # 1 h
            ("wrap_up", "13:00:00", "13:30:00"),  # 0.5 h
            ("available", "13:30:00", "23:00:00"),  # 9.5 h
            ("busy", "23:00:00", "25:00:00"),  # crosses the end: 1 h
            ("offline", "25:00:00", "200:00:00"),
        ]
        Presence.create(
            [
                {
                    "agent_id": cls.ann.id,
                    "state": state,
                    "start_at": at(DAY, start),
                    "end_at": at(DAY, end),
                }
                for state, start, end in spans
            ]
        )

    @classmethod
    def _call(cls, agent, queued, answered, ended, wrapped=None, state=None, **values):
        def moment(clock):
            if clock is None:
                return False
            sign = -1 if clock.startswith("-") else 1
            hours, minutes, seconds = (int(p) for p in clock.lstrip("-").split(":"))
            return DAY + sign * timedelta(hours=hours, minutes=minutes, seconds=seconds)

        return cls._interaction(
            agent_id=agent.id if agent else False,
            queued_at=moment(queued),
            answered_at=moment(answered),
            ended_at=moment(ended),
            wrap_up_ended_at=moment(wrapped),
            state=state or ("done" if wrapped else "wrap_up"),
            **values,
        )

    def _kpis(self, start=DAY, end=NEXT_DAY, **kwargs):
        kwargs.setdefault("team_ids", self.team.ids)
        return self.env["contact_center.kpi"]._compute(start, end, **kwargs)

    def test_team_day(self):
        (row,) = self._kpis()
        # offered: i1, i2, i11 answered + i4, i6 abandoned (not i3, a
        # transfer leg; not i5, a short abandon; not i7, outbound)
        self.assertEqual(row["offered"], 5)
        self.assertEqual(row["answered"], 3)
        self.assertEqual(row["abandoned"], 2)
        self.assertEqual(row["short_abandoned"], 1)
        # handled: i1, i2, i3, i7, i11 (calls) + i8 (email sent)
        self.assertEqual(row["handled"], 6)
        # AHT over calls: (360 + 660 + 330 + 180 + 180) / 5
        self.assertAlmostEqual(row["aht"], 342.0)
        # ACW: (60 + 60 + 30 + 60 + 60) / 5
        self.assertAlmostEqual(row["acw"], 54.0)
        # ASA: (10 + 30 + 15) / 3
        self.assertAlmostEqual(row["asa"], 55 / 3, places=4)
        # service level: i1, i11 within 20 s; i2 late; i4 abandoned after
        # 20 s; i6 abandoned within 20 s is left out: 2 / 4
        self.assertAlmostEqual(row["service_level"], 50.0)
        # abandon rate: i4, i6 of 5 offered
        self.assertAlmostEqual(row["abandon_rate"], 40.0)
        # transfer rate: i2 of 5 calls handled
        self.assertAlmostEqual(row["transfer_rate"], 20.0)
        # FCR: i3 and i11 resolved for good, i1 followed by i12: 2 / 3
        self.assertAlmostEqual(row["fcr"], 200 / 3, places=4)

    def test_transferred_call_counts_each_leg_for_its_agent(self):
        rows = {r["key"]: r for r in self._kpis(groupby="agent_id")}
        ann, bob = rows[self.ann.id], rows[self.bob.id]
        # Ann: i1, i2 and the email i8; Bob: his leg i3, i7, i11
        self.assertEqual(ann["handled"], 3)
        self.assertEqual(bob["handled"], 3)
        self.assertAlmostEqual(ann["aht"], (360 + 660) / 2)
        self.assertAlmostEqual(bob["aht"], (330 + 180 + 180) / 3)
        self.assertAlmostEqual(ann["transfer_rate"], 50.0)
        self.assertAlmostEqual(bob["transfer_rate"], 0.0)
        # the call is offered once, on Ann's leg
        self.assertEqual(ann["offered"], 2)
        self.assertEqual(bob["offered"], 1)  # i11

    def test_contact_crossing_midnight_counts_on_the_day_it_ends(self):
        (row,) = self._kpis(NEXT_DAY, NEXT_DAY + timedelta(days=1))
        # only i10 ended on the 3rd: 5 s wait, 300 s + 60 s
        self.assertEqual(row["offered"], 1)
        self.assertEqual(row["handled"], 1)
        self.assertAlmostEqual(row["aht"], 360.0)
        self.assertAlmostEqual(row["service_level"], 100.0)

    def test_presence_kpis_clip_spans_to_the_period(self):
        rows = {r["key"]: r for r in self._kpis(groupby="agent_id")}
        ann = rows[self.ann.id]
        # available 1 + 2.5 + 9.5 = 13 h, busy 1 + 1 h (clipped at both
        # ends), wrap-up 0.5 h, break 1 h
        # occupancy = 2.5 / (13 + 2.5)
        self.assertAlmostEqual(ann["occupancy"], 2.5 / 15.5 * 100, places=4)
        # utilization = 2.5 / (13 + 2.5 + 1)
        self.assertAlmostEqual(ann["utilization"], 2.5 / 16.5 * 100, places=4)
        # scheduled 9:00-17:00 = 8 h; working inside: 9:30-17:00 = 7.5 h
        self.assertAlmostEqual(ann["adherence"], 7.5 / 8 * 100, places=4)
        # contacts per hour: 3 handled / 16.5 h logged in
        self.assertAlmostEqual(ann["contacts_per_hour"], 3 / 16.5, places=4)
        # Bob was never logged in: no figure, not 0; his schedule still
        # counts, so his adherence is 0
        bob = rows[self.bob.id]
        self.assertIsNone(bob["occupancy"])
        self.assertIsNone(bob["contacts_per_hour"])
        self.assertAlmostEqual(bob["adherence"], 0.0)

    def test_presence_span_crossing_the_end_of_the_period(self):
        (row,) = self._kpis(
            NEXT_DAY, NEXT_DAY + timedelta(days=1), agent_ids=self.ann.ids
        )
        # on the 3rd Ann was busy 0:00-1:00 then offline
        self.assertAlmostEqual(row["occupancy"], 100.0)
        # scheduled 9-17, offline all along
        self.assertAlmostEqual(row["adherence"], 0.0)

    def test_period_without_contacts(self):
        saturday = datetime(2026, 3, 7)
        (row,) = self._kpis(saturday, saturday + timedelta(days=1))
        for code in ("offered", "handled", "abandoned", "short_abandoned"):
            self.assertEqual(row[code], 0, code)
        for code in (
            "aht",
            "acw",
            "asa",
            "service_level",
            "abandon_rate",
            "transfer_rate",
            "fcr",
            "occupancy",
            "utilization",
            "contacts_per_hour",
            # nobody was scheduled on a Saturday
            "adherence",
            "csat",
        ):
            self.assertIsNone(row[code], code)

    def test_team_filter_and_groups(self):
        rows = {
            r["key"]: r
            for r in self._kpis(
                team_ids=(self.team | self.other_team).ids, groupby="team_id"
            )
        }
        self.assertEqual(rows[self.team.id]["handled"], 6)
        self.assertEqual(rows[self.other_team.id]["handled"], 1)
        self.assertAlmostEqual(rows[self.other_team.id]["aht"], 660.0)
        channels = {r["key"]: r for r in self._kpis(groupby="channel")}
        self.assertEqual(channels["email"]["handled"], 1)
        self.assertIsNone(channels["email"]["aht"])
        self.assertEqual(channels["phone"]["handled"], 5)

    def test_repeat_contact_found_when_its_reason_is_set_at_wrap_up(self):
        # P3 calls again on the 4th, reason not known yet: i11 still counts
        again = self._call(
            self.bob, "48:00:00", "48:00:05", "48:02:05", None,
            partner_id=self.p3.id,
        )  # fmt: skip
        self.assertFalse(self.i11.has_repeat_contact)
        (row,) = self._kpis()
        self.assertAlmostEqual(row["fcr"], 200 / 3, places=4)
        # the agent wraps up: same reason as i11 (Delivery)
        again.reason_id = self.r2
        self.assertTrue(self.i11.has_repeat_contact)
        (row,) = self._kpis()
        self.assertAlmostEqual(row["fcr"], 100 / 3, places=4)
        # a wrong reason corrected: i11 is a first-contact resolution again
        again.reason_id = self.r1
        self.assertFalse(self.i11.has_repeat_contact)

    def test_report_drill_down_rows_match_the_figure(self):
        Report = self.env["contact_center.report.interaction"]
        domain = [
            ("date", ">=", DAY),
            ("date", "<", NEXT_DAY),
            ("team_id", "=", self.team.id),
        ]
        offered = Report.search(domain + [("offered_count", "=", 1)])
        self.assertEqual(
            offered.interaction_id, self.i1 | self.i2 | self.i4 | self.i6 | self.i11
        )
        action = (
            self.env["contact_center.kpi"]
            .with_user(self.user_supervisor)
            .action_drill_down("abandoned", "2026-03-02", "2026-03-02", self.team.ids)
        )
        self.assertEqual(action["res_model"], "contact_center.interaction")
        shown = self.env["contact_center.interaction"].search(action["domain"])
        self.assertEqual(shown, self.i4 | self.i6)
        # occupancy: the presence periods behind it, offline ones left out
        action = (
            self.env["contact_center.kpi"]
            .with_user(self.user_supervisor)
            .action_drill_down(
                "occupancy", "2026-03-02", "2026-03-02", self.team.ids, self.ann.id
            )
        )
        periods = self.env[action["res_model"]].search(action["domain"])
        self.assertEqual(
            sorted(periods.mapped("state")),
            ["available", "available", "available", "break", "busy", "busy", "wrap_up"],
        )


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 18:00:00")
class TestKpiAccess(ContactCenterCase):
    """Who sees which figures: agents their own and their teams' totals,
    supervisors their teams', administrators all."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.user_agent, cls.user_supervisor, cls.user_manager):
            user.tz = "UTC"
        cls.mine = cls._interaction(
            queued_at=datetime(2026, 3, 2, 9, 0),
            answered_at=datetime(2026, 3, 2, 9, 0, 10),
            ended_at=datetime(2026, 3, 2, 9, 5, 10),
            state="wrap_up",
        )
        cls.colleague = cls._interaction(
            agent_id=cls.agent_supervisor.id,
            queued_at=datetime(2026, 3, 2, 10, 0),
            answered_at=datetime(2026, 3, 2, 10, 0, 10),
            ended_at=datetime(2026, 3, 2, 10, 15, 10),
            state="wrap_up",
        )
        cls.sales = cls._interaction(
            agent_id=cls.agent2.id,
            team_id=cls.other_team.id,
            queued_at=datetime(2026, 3, 2, 11, 0),
            answered_at=datetime(2026, 3, 2, 11, 0, 10),
            ended_at=datetime(2026, 3, 2, 11, 1, 10),
            state="wrap_up",
        )
        cls.env["contact_center.kpi.target"].create(
            [
                {"team_id": cls.team.id, "kpi": "aht", "value": 400},
                {"agent_id": cls.agent.id, "kpi": "handled", "value": 4},
            ]
        )

    def _rows(self, user):
        Report = self.env["contact_center.report.interaction"].with_user(user)
        return Report.search([]).interaction_id

    def test_agent_reads_only_their_own_rows(self):
        self.assertEqual(self._rows(self.user_agent), self.mine)

    def test_supervisor_reads_their_teams_rows(self):
        self.assertEqual(self._rows(self.user_supervisor), self.mine | self.colleague)

    def test_manager_reads_all_rows(self):
        rows = self._rows(self.user_manager)
        self.assertLessEqual(self.mine | self.colleague | self.sales, rows)

    def test_agent_gets_own_figures_and_team_average_only(self):
        Kpi = self.env["contact_center.kpi"].with_user(self.user_agent)
        data = Kpi.get_my_performance()
        today = data["periods"][0]
        self.assertEqual(today["key"], "today")
        self.assertEqual(today["values"]["handled"], 1)
        self.assertEqual(today["values"]["aht"], 300)
        # the target of their own, and the team's for the rest
        self.assertEqual(today["targets"]["handled"], 4)
        self.assertEqual(today["status"]["handled"], "danger")
        self.assertEqual(today["targets"]["aht"], 400)
        self.assertEqual(today["status"]["aht"], "success")
        # the team's figures: 2 calls by 2 members, AHT (300 + 900) / 2
        self.assertEqual(today["team_average"]["handled"], 1)
        self.assertEqual(today["team_average"]["aht"], 600)
        with self.assertRaises(AccessError):
            Kpi.get_supervisor_dashboard("2026-03-02", "2026-03-02")
        with self.assertRaises(AccessError):
            Kpi.action_drill_down("handled", "2026-03-02", "2026-03-02")

    def test_supervisor_dashboard_covers_their_teams_only(self):
        Kpi = self.env["contact_center.kpi"].with_user(self.user_supervisor)
        data = Kpi.get_supervisor_dashboard("2026-03-02", "2026-03-02")
        self.assertEqual(data["team_ids"], self.team.ids)
        self.assertEqual(data["total"]["values"]["handled"], 2)
        self.assertEqual(data["total"]["values"]["aht"], 600)
        # AHT 600 against 400: missed by far more than 10%
        self.assertEqual(data["total"]["status"]["aht"], "danger")
        agents = {row["id"]: row for row in data["agents_rows"]}
        self.assertEqual(set(agents), {self.agent.id, self.agent_supervisor.id})
        self.assertEqual(agents[self.agent.id]["values"]["handled"], 1)
        with self.assertRaises(AccessError):
            Kpi.get_supervisor_dashboard(
                "2026-03-02", "2026-03-02", self.other_team.ids
            )
        # each column says how it is computed (shown on hover)
        columns = {column["code"]: column for column in data["columns"]}
        self.assertIn("threshold", columns["service_level"]["help"])
        self.assertIn("scheduled hours", columns["adherence"]["help"])
        # a target of 4 contacts handled a day is 8 over two days
        data = Kpi.get_supervisor_dashboard("2026-03-01", "2026-03-02")
        agents = {row["id"]: row for row in data["agents_rows"]}
        self.assertEqual(agents[self.agent.id]["targets"]["handled"], 8)
        self.assertEqual(agents[self.agent.id]["targets"]["aht"], 400)

    def test_manager_dashboard_all_teams(self):
        Kpi = self.env["contact_center.kpi"].with_user(self.user_manager)
        data = Kpi.get_supervisor_dashboard(
            "2026-03-02", "2026-03-02", (self.team | self.other_team).ids
        )
        self.assertEqual(data["total"]["values"]["handled"], 3)
        teams = {row["id"]: row["values"]["handled"] for row in data["teams_rows"]}
        self.assertEqual(teams, {self.team.id: 2, self.other_team.id: 1})
