"""Busiest times and the staffing forecast on interactions built by hand.

Team Care works in Brussels (UTC+1, UTC+2 from Sunday 29 March 2026 at
03:00 local). "Now" is Wednesday 8 April 2026 12:00 UTC: the current local
week starts on Monday 6 April, the 4 history weeks are 9 March - 5 April
(week 1 = 30 March - 5 April, the most recent) and the forecast week starts
on Monday 13 April.
"""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ContactCenterCase

NOW = "2026-04-08 12:00:00"
MON_0900, MON_0930, MON_1000 = 18, 19, 20
TUE_1000 = 20


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestBusiestTimes(ContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.write({"tz": "Europe/Brussels", "forecast_weeks": 4})
        cls.other_team.tz = "Europe/Brussels"

    def _call(self, queued, wait=10, **values):
        """An inbound call queued at ``queued`` (naive UTC), answered after
        ``wait`` seconds and talked 2 minutes, or abandoned after ``wait``."""
        values.setdefault("state", "done")
        answered = queued + timedelta(seconds=wait)
        if values["state"] == "abandoned":
            values.update(answered_at=False, agent_id=False, ended_at=answered)
        else:
            ended = answered + timedelta(seconds=120)
            values.update(answered_at=answered, ended_at=ended, wrap_up_ended_at=ended)
        return self._interaction(queued_at=queued, **values)

    def _heatmap(self, user=None, **kwargs):
        Staffing = self.env["contact_center.staffing"]
        if user:
            Staffing = Staffing.with_user(user)
        return Staffing.get_busiest_times(**kwargs)

    def test_contacts_counted_in_local_half_hours_across_dst(self):
        # Mon 30 Mar 07:05 UTC = 09:05 summer time; Mon 23 Mar 08:05 UTC =
        # 09:05 winter time: both in Monday 09:00-09:30
        self._call(datetime(2026, 3, 30, 7, 5))
        self._call(datetime(2026, 3, 23, 8, 5))
        # Sun 29 Mar 00:40 UTC = 01:40 (winter); 01:10 UTC = 03:10 (summer)
        self._call(datetime(2026, 3, 29, 0, 40))
        self._call(datetime(2026, 3, 29, 1, 10))
        # Sun 22 Mar 23:40 UTC is Monday 23 Mar 00:40 in Brussels
        self._call(datetime(2026, 3, 22, 23, 40))
        # abandoned after 30 s on Tue 31 Mar 12:00 UTC = 14:00: offered
        self._call(datetime(2026, 3, 31, 12, 0), wait=30, state="abandoned")
        # not offered: a short abandon (3 s), an outbound call, the second
        # leg of a transfer, an email (not a call or chat), the current week,
        # before the 4 weeks, another team
        self._call(datetime(2026, 3, 30, 7, 10), wait=3, state="abandoned")
        self._call(datetime(2026, 3, 30, 7, 12), direction="outbound")
        self._call(datetime(2026, 3, 30, 7, 14), is_transfer_leg=True)
        self._call(datetime(2026, 3, 30, 7, 16), channel="email")
        self._call(datetime(2026, 4, 7, 8, 0))
        self._call(datetime(2026, 3, 8, 12, 0))
        self._call(datetime(2026, 3, 30, 7, 18), team_id=self.other_team.id)

        data = self._heatmap(user=self.user_supervisor, team_ids=self.team.ids)
        rows = data["rows"]
        self.assertEqual(data["weeks"], 4)
        self.assertEqual(len(rows), 48)
        self.assertEqual(rows[MON_0900]["label"], "09:00")
        # per week over 4 weeks: 2 contacts -> 0.5, 1 contact -> 0.25
        self.assertEqual(rows[MON_0900]["values"], [0.5, 0, 0, 0, 0, 0, 0])
        self.assertEqual(rows[1]["values"][0], 0.25)  # Monday 00:30
        self.assertEqual(rows[3]["values"][6], 0.25)  # Sunday 01:30
        self.assertEqual(rows[6]["values"][6], 0.25)  # Sunday 03:00
        self.assertEqual(rows[28]["values"][1], 0.25)  # Tuesday 14:00
        self.assertEqual(data["max"], 0.5)
        self.assertEqual(data["total"], 1.5)

    def test_channel_and_weeks_filters(self):
        self._call(datetime(2026, 3, 30, 7, 16), channel="email")
        self._call(datetime(2026, 3, 30, 7, 20), channel="chat")
        self._call(datetime(2026, 3, 2, 8, 20))  # 5 weeks back: 09:20
        emails = self._heatmap(team_ids=self.team.ids, channel="email")
        self.assertEqual(emails["rows"][MON_0900]["values"][0], 0.25)
        self.assertEqual(emails["total"], 0.25)
        both = self._heatmap(team_ids=self.team.ids)
        self.assertEqual(both["rows"][MON_0900]["values"][0], 0.25)
        # over 5 weeks: the chat and the call of 2 March, 2 / 5
        five = self._heatmap(team_ids=self.team.ids, weeks=5)
        self.assertEqual(five["weeks"], 5)
        self.assertEqual(five["rows"][MON_0900]["values"][0], 0.4)

    def test_supervisor_sees_own_teams_only(self):
        self._call(datetime(2026, 3, 30, 7, 5))
        self._call(datetime(2026, 3, 30, 7, 5), team_id=self.other_team.id)
        mine = self._heatmap(user=self.user_supervisor)
        self.assertEqual(mine["team_ids"], self.team.ids)
        self.assertEqual(mine["total"], 0.25)
        with self.assertRaises(AccessError):
            self._heatmap(user=self.user_supervisor, team_ids=self.other_team.ids)
        with self.assertRaises(AccessError):
            self._heatmap(user=self.user_agent, team_ids=self.team.ids)
        # two teams read the longest history of theirs: Sales keeps the
        # default 8 weeks, so 2 contacts / 8 weeks
        everything = self._heatmap(
            user=self.user_manager, team_ids=(self.team | self.other_team).ids
        )
        self.assertEqual(everything["weeks"], 8)
        self.assertEqual(everything["total"], 0.25)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestStaffingForecast(ContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.write(
            {
                "tz": "Europe/Brussels",
                "forecast_weeks": 4,
                "service_level_percent": 80.0,
                "service_level_seconds": 20,
                "shrinkage_percent": 30.0,
            }
        )
        # Monday 09:00-09:30 local, weeks 4 (oldest) to 1: 70, 85, 100, 115
        # calls; weights 1 to 4: (70 + 170 + 300 + 460) / 10 = 100 calls.
        # Each waits 10 s and is handled in 180 s (no wrap-up): AHT 180 s,
        # traffic 100 x 180 / 1800 = 10 Erlangs: the REFERENCE case, 14
        # agents required, 14 / (1 - 0.3) = 20 to schedule.
        # Mondays 9:00 local: 9 and 16 March 08:00 UTC (winter), 23 March
        # 08:00 UTC (winter, DST starts on the 29th), 30 March 07:00 UTC.
        mondays = [
            (datetime(2026, 3, 9, 8, 0), 70),
            (datetime(2026, 3, 16, 8, 0), 85),
            (datetime(2026, 3, 23, 8, 0), 100),
            (datetime(2026, 3, 30, 7, 0), 115),
        ]
        values = []
        for start, count in mondays:
            for n in range(count):
                queued = start + timedelta(seconds=15 * n)
                answered = queued + timedelta(seconds=10)
                ended = answered + timedelta(seconds=180)
                values.append(
                    cls._values(
                        queued_at=queued,
                        answered_at=answered,
                        ended_at=ended,
                        wrap_up_ended_at=ended,
                        state="done",
                    )
                )
        # Tuesday 31 March 10:00 local (08:00 UTC): 10 callers hang up after
        # 60 s. Forecast (week 1, weight 4): 10 x 4 / 10 = 4 contacts.
        # Patience: waiting time of all (370 x 10 + 10 x 60 = 4300 s) over
        # the 10 abandons = 430 s
        for n in range(10):
            queued = datetime(2026, 3, 31, 8, 0) + timedelta(seconds=60 * n)
            values.append(
                cls._values(
                    queued_at=queued,
                    ended_at=queued + timedelta(seconds=60),
                    state="abandoned",
                    agent_id=False,
                )
            )
        cls.env["contact_center.interaction"].create(values)
        # scheduled agents, week of 13 April (summer time, UTC+2):
        # Ann 9:00-18:00 Brussels, Monday to Friday, public holiday on
        # Tuesday 14 April; the senior 9:00-9:45 on Mondays; Dora on the
        # company calendar: 8:00-16:00 UTC = 10:00-18:00 local
        brussels = cls._brussels_calendar()
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": brussels.id,
                "date_from": datetime(2026, 4, 13, 22, 0),
                "date_to": datetime(2026, 4, 14, 22, 0),
            }
        )
        short = cls._calendar("Monday 9-9:45", "Europe/Brussels", {0: (9, 9.75)})
        company_hours = cls._calendar(
            "UTC 8-16", "UTC", dict.fromkeys(range(5), (8, 16))
        )
        cls.company.resource_calendar_id = company_hours
        dora_user = new_test_user(
            cls.env, "cc_dora", groups="contact_center.group_contact_center_agent"
        )
        gone_user = new_test_user(
            cls.env, "cc_gone", groups="contact_center.group_contact_center_agent"
        )
        Agent = cls.env["contact_center.agent"]
        cls.dora = Agent.create({"user_id": dora_user.id})
        gone = Agent.create(
            {"user_id": gone_user.id, "resource_calendar_id": brussels.id}
        )
        cls.agent.resource_calendar_id = brussels
        cls.agent_supervisor.resource_calendar_id = short
        cls.team.member_ids = [Command.link(cls.dora.id), Command.link(gone.id)]
        gone.active = False
        # another team's agent on Ann's hours is not counted
        cls.agent2.resource_calendar_id = brussels

    @classmethod
    def _values(cls, **values):
        result = {
            "channel": "phone",
            "direction": "inbound",
            "team_id": cls.team.id,
            "agent_id": cls.agent.id,
        }
        result.update(values)
        return result

    @classmethod
    def _calendar(cls, name, tz, hours):
        return cls.env["resource.calendar"].create(
            {
                "name": name,
                "tz": tz,
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"{name} {day}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": stop,
                            "day_period": "morning",
                        }
                    )
                    for day, (start, stop) in hours.items()
                ],
            }
        )

    def _forecast(self, user=None, **kwargs):
        Staffing = self.env["contact_center.staffing"]
        if user:
            Staffing = Staffing.with_user(user)
        return Staffing.get_forecast(self.team.id, **kwargs)

    def test_forecast_of_the_weekly_pattern(self):
        data = self._forecast(user=self.user_supervisor)
        self.assertEqual(data["week_start"], "2026-04-13")
        self.assertEqual(data["history_from"], "2026-03-09")
        self.assertEqual(data["history_to"], "2026-04-05")
        self.assertEqual(
            data["method"],
            "Weighted moving average of the same half hour over the last 4 weeks",
        )
        self.assertEqual(data["aht"], 180.0)
        monday = data["days"][0]
        self.assertEqual(monday["date"], "2026-04-13")
        nine = monday["slots"][MON_0900]
        self.assertEqual(nine["label"], "09:00")
        self.assertEqual(nine["forecast"], 100.0)
        self.assertEqual(nine["traffic"], 10.0)
        self.assertEqual(nine["required"], 14)
        self.assertEqual(nine["to_schedule"], 20)
        self.assertEqual(monday["slots"][MON_0930]["forecast"], 0.0)
        self.assertEqual(monday["slots"][MON_0930]["required"], 0)
        tuesday = data["days"][1]["slots"][TUE_1000]
        self.assertEqual(tuesday["forecast"], 4.0)
        # 104 contacts forecast in the week, 100 on Monday
        self.assertEqual(monday["forecast"], 100.0)
        self.assertEqual(sum(day["forecast"] for day in data["days"]), 104.0)

    def test_scheduled_agents_from_working_calendars(self):
        data = self._forecast(user=self.user_supervisor)
        monday = data["days"][0]["slots"]
        # 09:00 Ann + the senior; 09:30 Ann + half of the senior's half hour;
        # 10:00 Ann + Dora; 17:30 Ann + Dora; 18:00 nobody
        self.assertEqual(monday[MON_0900]["scheduled"], 2.0)
        self.assertEqual(monday[MON_0930]["scheduled"], 1.5)
        self.assertEqual(monday[MON_1000]["scheduled"], 2.0)
        self.assertEqual(monday[35]["scheduled"], 2.0)
        self.assertEqual(monday[36]["scheduled"], 0.0)
        self.assertEqual(monday[16]["scheduled"], 0.0)
        # Tuesday is a public holiday on Ann's calendar: Dora alone
        self.assertEqual(data["days"][1]["slots"][TUE_1000]["scheduled"], 1.0)
        # weekend: nobody
        self.assertEqual(data["days"][5]["slots"][MON_1000]["scheduled"], 0.0)

    def test_gap_under_and_over_staffing(self):
        monday = self._forecast()["days"][0]["slots"]
        # 2 scheduled for 20 to schedule: 18 short
        self.assertEqual(monday[MON_0900]["gap"], -18.0)
        self.assertEqual(monday[MON_0900]["status"], "under")
        # 10:00, nobody needed, 2 scheduled: over by much
        self.assertEqual(monday[MON_1000]["gap"], 2.0)
        self.assertEqual(monday[MON_1000]["status"], "over")
        # 09:30: nobody needed, 1.5 agents: within tolerance
        self.assertEqual(monday[MON_0930]["status"], "ok")

    def test_erlang_a_uses_the_measured_patience(self):
        erlang_c = self._forecast(model="erlang_c")
        erlang_a = self._forecast(model="erlang_a")
        self.assertEqual(erlang_a["model"], "erlang_a")
        self.assertEqual(erlang_a["patience"], 430.0)
        required_c = erlang_c["days"][0]["slots"][MON_0900]["required"]
        required_a = erlang_a["days"][0]["slots"][MON_0900]["required"]
        # callers who hang up free the agents: fewer needed than Erlang C's
        self.assertEqual(required_c, 14)
        self.assertLess(required_a, 14)
        self.assertGreater(required_a, 10)

    def test_forecast_of_a_chosen_week(self):
        # a week in the past reads the 4 weeks before it: 23 March -> history
        # 23 Feb - 22 March: weeks 2 to 1 hold 70 and 85 calls (weights 3, 4
        # after two empty weeks): (70 x 3 + 85 x 4) / 10 = 55
        data = self._forecast(week_start="2026-03-25")
        self.assertEqual(data["week_start"], "2026-03-23")
        self.assertEqual(data["days"][0]["slots"][MON_0900]["forecast"], 55.0)

    def test_access(self):
        with self.assertRaises(AccessError):
            self._forecast(user=self.user_agent)
        other_supervisor = new_test_user(
            self.env,
            "cc_other_supervisor",
            groups="contact_center.group_contact_center_supervisor",
        )
        self.other_team.supervisor_ids = [Command.link(other_supervisor.id)]
        with self.assertRaises(AccessError):
            self._forecast(user=other_supervisor)
        data = self._forecast(user=self.user_manager)
        self.assertEqual(data["team"]["id"], self.team.id)

    def test_no_history_shows_no_requirement(self):
        data = (
            self.env["contact_center.staffing"]
            .with_user(self.user_manager)
            .get_forecast(self.other_team.id)
        )
        self.assertIsNone(data["aht"])
        slot = data["days"][0]["slots"][MON_0900]
        self.assertEqual(slot["forecast"], 0.0)
        self.assertIsNone(slot["required"])
        self.assertFalse(slot["status"])
