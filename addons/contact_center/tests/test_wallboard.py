"""The wallboard's figures on a small data set worked out by hand, its
access rules, its query count and its bus ping.

Team Care works in Brussels (UTC+1 in March). It is Monday 2 March 2026,
10:00 UTC (11:00 in Brussels): "today" began at 1 March 23:00 UTC.
"""

import json
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ContactCenterCase

NOW = datetime(2026, 3, 2, 10, 0, 0)


def utc(day, clock):
    hours, minutes, seconds = (int(part) for part in clock.split(":"))
    return datetime(2026, 3, day, hours, minutes, seconds)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestWallboard(ContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.tz = "Europe/Brussels"
        cls.team.service_level_seconds = 20
        cls.team.short_abandon_seconds = 5
        cls.team.service_level_percent = 80.0
        cls.ann = cls.agent  # cc_agent
        cls.sue = cls.agent_supervisor  # cc_supervisor, also an agent of Care
        cls.ann.user_id.name = "Ann Agent"
        cls.sue.user_id.name = "Sue Senior"
        # agents were created at 10:00 (frozen): their presence started then;
        # back-date the start of the current state as the board reads it
        cls.ann._set_presence("available")
        cls.sue._set_presence("busy")
        cls.ann.presence_since = utc(2, "09:00:00")
        cls.sue.presence_since = utc(2, "09:55:10")

        def call(agent, queued, answered, ended, wrap_ended, **vals):
            values = {
                "team_id": cls.team.id,
                "agent_id": agent.id if agent else False,
                "queued_at": queued,
                "answered_at": answered,
                "ended_at": ended,
                "wrap_up_ended_at": wrap_ended,
                "state": "done",
            }
            values.update(vals)
            return cls._interaction(**values)

        # yesterday in Brussels (ends 23:40 local on the 1st): not today
        call(cls.ann, utc(1, "22:30:00"), utc(1, "22:30:10"), utc(1, "22:40:10"),
             utc(1, "22:41:10"))  # fmt: skip
        # b: Ann, 00:30 local: waits 10 s (within 20 s), 300 s + 60 s wrap-up
        call(cls.ann, utc(1, "23:30:00"), utc(1, "23:30:10"), utc(1, "23:35:10"),
             utc(1, "23:36:10"))  # fmt: skip
        # c: Ann waits 30 s (late), 600 s + 60 s wrap-up
        call(cls.ann, utc(2, "08:00:00"), utc(2, "08:00:30"), utc(2, "08:10:30"),
             utc(2, "08:11:30"))  # fmt: skip
        # d: Sue waits 5 s, 120 s + 30 s wrap-up
        call(cls.sue, utc(2, "09:00:00"), utc(2, "09:00:05"), utc(2, "09:02:05"),
             utc(2, "09:02:35"))  # fmt: skip
        # e: the caller hangs up after 40 s in the queue
        call(None, utc(2, "09:30:00"), False, utc(2, "09:30:40"), False,
             state="abandoned")  # fmt: skip
        # Sue is on a call since 09:55:10
        cls.live = call(cls.sue, utc(2, "09:55:00"), utc(2, "09:55:10"), False,
                        False, state="in_progress")  # fmt: skip
        # waiting: a call for 2 min, a chat for 1 min; a queued email is no call
        cls.waiting_call = call(None, utc(2, "09:58:00"), False, False, False,
                                state="queued")  # fmt: skip
        call(None, utc(2, "09:59:00"), False, False, False, state="queued",
             channel="chat")  # fmt: skip
        call(None, utc(2, "08:00:00"), False, False, False, state="queued",
             channel="email")  # fmt: skip
        # Sales: Carl's call today is not Care's
        call(cls.agent2, utc(2, "09:00:00"), utc(2, "09:00:01"), utc(2, "09:30:01"),
             utc(2, "09:31:01"), team_id=cls.other_team.id)  # fmt: skip

        Ticket = cls.env["contact_center.ticket"].with_context(cc_skip_routing=True)
        cls.t_wait_old, cls.t_wait_new, cls.t_ann, cls.t_risk, cls.t_late = (
            Ticket.create(
                [
                    {"name": "Waiting since 9:00", "team_id": cls.team.id},
                    {"name": "Waiting since 9:40", "team_id": cls.team.id},
                    {"name": "Ann's", "team_id": cls.team.id, "agent_id": cls.ann.id},
                    {"name": "At risk", "team_id": cls.team.id, "agent_id": cls.ann.id},
                    {"name": "Late", "team_id": cls.team.id, "agent_id": cls.ann.id},
                ]
            )
        )
        # the database stamps create_date with its own clock, not freezegun's
        Ticket.flush_model()
        cls.env.cr.execute(
            "UPDATE contact_center_ticket SET create_date = %s WHERE id = %s",
            (utc(2, "09:00:00"), cls.t_wait_old.id),
        )
        cls.env.cr.execute(
            "UPDATE contact_center_ticket SET create_date = %s WHERE id = %s",
            (utc(2, "09:40:00"), cls.t_wait_new.id),
        )
        Ticket.invalidate_model(["create_date"])
        policy = cls.env["contact_center.sla.policy"].create({"name": "Wallboard"})
        Sla = cls.env["contact_center.ticket.sla"]
        Sla.create(
            [
                {
                    "ticket_id": ticket.id,
                    "policy_id": policy.id,
                    "kind": "first_response",
                    "target_seconds": 3600,
                    "start_at": utc(2, "08:00:00"),
                    "deadline": deadline,
                    "status": status,
                }
                for ticket, status, deadline in (
                    (cls.t_risk, "at_risk", utc(2, "10:30:00")),
                    (cls.t_late, "breached", utc(2, "09:30:00")),
                )
            ]
        )
        cls.Wallboard = cls.env["contact_center.wallboard"]

    def _data(self, user, team_ids=None):
        return self.Wallboard.with_user(user).get_wallboard_data(team_ids)

    def test_figures_of_today_in_the_team_time_zone(self):
        data = self._data(self.user_supervisor, [self.team.id])
        self.assertEqual(data["day_start"], "2026-03-01 23:00:00")
        kpis = {kpi["code"]: kpi for kpi in data["kpis"]}
        # offered b, c, d, e; handled b, c, d
        self.assertEqual(data["offered"], 4)
        self.assertEqual(data["handled"], 3)
        # within 20 s: b and d of b, c, d, e -> 50%, below 80% by more than 10%
        self.assertEqual(kpis["service_level"]["value"], 50.0)
        self.assertEqual(kpis["service_level"]["target"], 80.0)
        self.assertEqual(kpis["service_level"]["status"], "danger")
        # e abandoned of 4 offered
        self.assertEqual(kpis["abandon_rate"]["value"], 25.0)
        # (360 + 660 + 150) / 3
        self.assertEqual(kpis["aht"]["value"], 390.0)
        self.assertIsNone(kpis["csat"]["value"])
        # a call for 2 min and a chat; the email is no call
        self.assertEqual(data["calls_waiting"], 2)
        self.assertEqual(data["calls_longest_wait"], 120)
        self.assertEqual(data["tickets_waiting"], 2)
        self.assertEqual(data["tickets_longest_wait"], 3600)
        self.assertEqual(data["tickets_at_risk"], 1)
        self.assertEqual(data["tickets_breached"], 1)
        self.assertEqual(
            [(t["id"], t["status"]) for t in data["urgent_tickets"]],
            [(self.t_late.id, "breached"), (self.t_risk.id, "at_risk")],
        )
        agents = {agent["name"]: agent for agent in data["agents"]}
        self.assertEqual(set(agents), {"Ann Agent", "Sue Senior"})
        self.assertEqual(agents["Ann Agent"]["presence"], "available")
        self.assertEqual(agents["Ann Agent"]["seconds_in_state"], 3600)
        # no call: her ticket due first (the breached one)
        self.assertEqual(agents["Ann Agent"]["current"]["kind"], "ticket")
        self.assertEqual(agents["Ann Agent"]["current"]["label"], self.t_late.reference)
        self.assertEqual(agents["Sue Senior"]["presence"], "busy")
        self.assertEqual(agents["Sue Senior"]["seconds_in_state"], 290)
        self.assertEqual(agents["Sue Senior"]["current"]["kind"], "contact")
        self.assertEqual(
            agents["Sue Senior"]["current"]["since"], "2026-03-02 09:55:10"
        )
        self.assertEqual(data["presence_counts"]["available"], 1)
        self.assertEqual(data["presence_counts"]["busy"], 1)
        # Ann 2 contacts (360 + 660) / 2; Sue 1 of 150 s
        self.assertEqual(
            [(r["name"], r["handled"], r["aht"]) for r in data["leaderboard"]],
            [("Ann Agent", 2, 510.0), ("Sue Senior", 1, 150.0)],
        )

    def test_targets_colour_the_figures(self):
        Target = self.env["contact_center.kpi.target"]
        Target.create(
            [
                {"kpi": "aht", "team_id": self.team.id, "value": 400.0},
                {"kpi": "abandon_rate", "team_id": self.team.id, "value": 23.0},
            ]
        )
        kpis = {k["code"]: k for k in self._data(self.user_supervisor)["kpis"]}
        # 390 s against 400 s: met
        self.assertEqual(kpis["aht"]["status"], "success")
        # 25% against 23%: 2 points over, within 10% of 23 (2.3): a warning
        self.assertEqual(kpis["abandon_rate"]["status"], "warning")
        self.assertIsNone(kpis["csat"]["status"])

    @freeze_time("2026-03-04 10:00:00")
    def test_a_day_without_contacts_shows_no_figure(self):
        data = self._data(self.user_supervisor, [self.team.id])
        self.assertEqual(data["handled"], 0)
        self.assertEqual(data["offered"], 0)
        for kpi in data["kpis"]:
            self.assertIsNone(kpi["value"], kpi["code"])
            self.assertIsNone(kpi["status"], kpi["code"])
        self.assertEqual(data["leaderboard"], [])

    def test_an_empty_team_shows_dashes_not_errors(self):
        empty = self.env["contact_center.team"].create({"name": "Empty"})
        data = self._data(self.user_manager, [empty.id])
        self.assertEqual(data["agents"], [])
        self.assertEqual(data["calls_waiting"], 0)
        self.assertIsNone(data["calls_longest_wait"])
        self.assertIsNone(data["tickets_longest_wait"])
        self.assertEqual(data["urgent_tickets"], [])
        self.assertTrue(all(kpi["value"] is None for kpi in data["kpis"]))

    def test_an_agent_reads_the_wallboard_of_their_own_teams_only(self):
        data = self._data(self.user_agent)
        self.assertEqual(data["team_ids"], [self.team.id])
        self.assertEqual([t["id"] for t in data["teams"]], [self.team.id])
        with self.assertRaises(AccessError):
            self._data(self.user_agent, [self.other_team.id])
        with self.assertRaises(AccessError):
            self._data(self.user_agent, [self.team.id, self.other_team.id])

    def test_a_supervisor_reads_their_teams_only(self):
        self.assertEqual(self._data(self.user_supervisor)["team_ids"], [self.team.id])
        with self.assertRaises(AccessError):
            self._data(self.user_supervisor, [self.other_team.id])

    def test_a_manager_reads_any_team_of_their_companies(self):
        data = self._data(self.user_manager, [self.other_team.id])
        self.assertEqual(data["handled"], 1)
        other_company = self.env["res.company"].create({"name": "Elsewhere"})
        foreign = self.env["contact_center.team"].create(
            {
                "name": "Foreign",
                "company_id": other_company.id,
                "resource_calendar_id": False,
            }
        )
        with self.assertRaises(AccessError):
            self._data(self.user_manager, [foreign.id])

    def test_users_outside_the_contact_center_cannot_read_it(self):
        with self.assertRaises(AccessError):
            self._data(self.user_employee)

    def _query_count(self):
        self.env.invalidate_all()
        self.env.flush_all()
        before = self.cr.sql_log_count
        self.Wallboard.with_user(self.user_supervisor).get_wallboard_data(
            [self.team.id]
        )
        return self.cr.sql_log_count - before

    def test_query_count_does_not_grow_with_the_agents(self):
        self._query_count()  # warm the caches of the ORM
        few = self._query_count()
        users = [
            new_test_user(
                self.env,
                f"cc_wb_{n}",
                groups="contact_center.group_contact_center_agent",
            )
            for n in range(15)
        ]
        agents = self.env["contact_center.agent"].create(
            [{"user_id": user.id} for user in users]
        )
        self.team.member_ids = [Command.link(agent.id) for agent in agents]
        agents._set_presence("busy")
        for agent in agents:
            self._interaction(
                agent_id=agent.id,
                queued_at=utc(2, "09:10:00"),
                answered_at=utc(2, "09:10:05"),
                ended_at=utc(2, "09:15:05"),
                state="wrap_up",
            )
        self._query_count()  # new groups: warm the caches again
        many = self._query_count()
        self.assertEqual(len(self._data(self.user_supervisor)["agents"]), 17)
        self.assertEqual(few, many)
        self.assertLessEqual(many, 20)

    def _pings(self):
        self.env.cr.precommit.run()
        return (
            self.env["bus.bus"]
            .sudo()
            .search([("message", "like", "contact_center.wallboard/refresh")])
        )

    def test_one_ping_per_transaction_without_figures(self):
        self._pings().unlink()
        # in one transaction: a call ends, a call is answered, presence moves
        self.live.action_end(at=utc(2, "10:00:00"))
        self.waiting_call.write(
            {"state": "in_progress", "agent_id": self.ann.id,
             "answered_at": utc(2, "10:00:00")}
        )  # fmt: skip
        self.ann._set_presence("busy")
        pings = self._pings()
        self.assertEqual(len(pings), 1)
        message = json.loads(pings.message)
        self.assertEqual(message["type"], "contact_center.wallboard/refresh")
        self.assertEqual(message["payload"], {"team_ids": [self.team.id]})
        self.assertEqual(
            json.loads(pings.channel),
            [self.env.cr.dbname, "res.company", self.company.id,
             "contact_center.wallboard"],
        )  # fmt: skip
        # nothing new, nothing sent
        self.assertEqual(len(self._pings()), 1)

    def test_a_write_without_a_state_change_sends_nothing(self):
        self._pings().unlink()
        self.live.note = "Customer asks about an invoice"
        self.assertFalse(self._pings())
