"""Presence follows the agent: no live web client, no work."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import BaseCase, new_test_user

from odoo.addons.contact_center.tools.presence import AgentConnection, plan

from .common import ContactCenterCase

T = datetime(2026, 3, 2, 9, 0)


def minutes(n):
    return T + timedelta(minutes=n)


class TestPresenceTimeoutEngine(BaseCase):
    def test_decisions(self):
        rows = [
            # (case, connection, now, expected {list: [agent ids]})
            (
                "live session keeps an available agent, however old its poll",
                AgentConnection(1, "available", T, bus_status="online"),
                minutes(600),
                {},
            ),
            (
                "an away (idle) but open web client is still live",
                AgentConnection(1, "available", T, bus_status="away"),
                minutes(600),
                {},
            ),
            (
                "session just found gone: the clock starts",
                AgentConnection(1, "available", T, bus_status="offline"),
                minutes(60),
                {"mark_lost": [1]},
            ),
            (
                "gone for less than the timeout",
                AgentConnection(
                    1,
                    "available",
                    T,
                    bus_status="offline",
                    session_lost_at=minutes(1),
                ),
                minutes(5),
                {},
            ),
            (
                "gone for the timeout: offline",
                AgentConnection(
                    1,
                    "available",
                    T,
                    bus_status="offline",
                    session_lost_at=minutes(1),
                ),
                minutes(6),
                {"disconnect": [1]},
            ),
            (
                "on break too",
                AgentConnection(
                    1, "break", T, bus_status="offline", session_lost_at=minutes(1)
                ),
                minutes(6),
                {"disconnect": [1]},
            ),
            (
                "no bus presence at all: counted from the presence's start",
                AgentConnection(1, "available", T),
                minutes(5),
                {"disconnect": [1]},
            ),
            (
                "no bus presence, available for less than the timeout",
                AgentConnection(1, "available", T),
                minutes(4),
                {},
            ),
            (
                "a presence set after the session was lost restarts the clock",
                AgentConnection(
                    1,
                    "available",
                    minutes(10),
                    bus_status="offline",
                    session_lost_at=minutes(1),
                ),
                minutes(12),
                {},
            ),
            (
                "a 15-minute team keeps an agent gone for 10 minutes",
                AgentConnection(
                    1,
                    "available",
                    T,
                    bus_status="offline",
                    session_lost_at=T,
                    timeout_minutes=15,
                ),
                minutes(10),
                {},
            ),
            (
                "timeout 0: never",
                AgentConnection(1, "available", T, timeout_minutes=0),
                minutes(6000),
                {},
            ),
            (
                "busy on a call: left alone",
                AgentConnection(1, "busy", T, session_lost_at=T),
                minutes(60),
                {},
            ),
            (
                "wrap-up: left alone",
                AgentConnection(1, "wrap_up", T),
                minutes(60),
                {},
            ),
            (
                "session back: the stamp is cleared",
                AgentConnection(
                    1, "available", T, bus_status="online", session_lost_at=T
                ),
                minutes(3),
                {"clear_lost": [1]},
            ),
            (
                "back after a disconnection, team brings them back",
                AgentConnection(
                    1,
                    "offline",
                    T,
                    presence_reason="disconnected",
                    bus_status="online",
                    auto_return=True,
                ),
                minutes(20),
                {"reconnect": [1]},
            ),
            (
                "back after a disconnection, agent chooses",
                AgentConnection(
                    1,
                    "offline",
                    T,
                    presence_reason="disconnected",
                    bus_status="online",
                ),
                minutes(20),
                {},
            ),
            (
                "offline by choice stays offline",
                AgentConnection(1, "offline", T, bus_status="online", auto_return=True),
                minutes(20),
                {},
            ),
            (
                "not back yet",
                AgentConnection(
                    1,
                    "offline",
                    T,
                    presence_reason="disconnected",
                    bus_status="offline",
                    auto_return=True,
                ),
                minutes(20),
                {},
            ),
        ]
        for case, connection, now, expected in rows:
            with self.subTest(case):
                result = plan([connection], now)
                got = {
                    name: ids
                    for name in ("disconnect", "reconnect", "mark_lost", "clear_lost")
                    if (ids := getattr(result, name))
                }
                self.assertEqual(got, expected)


class TestPresenceTimeout(ContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["contact_center.sla.policy"].search([]).active = False
        cls.env["contact_center.classification.rule"].search([]).active = False
        cls.desk = cls.env["contact_center.team"].create(
            {"name": "Desk", "resource_calendar_id": False}
        )
        Agent = cls.env["contact_center.agent"]
        with freeze_time(T - timedelta(days=1)):
            cls.ada, cls.bob = (
                Agent.create(
                    {
                        "user_id": new_test_user(
                            cls.env,
                            login,
                            groups="contact_center.group_contact_center_agent",
                        ).id,
                        "team_ids": [Command.link(cls.desk.id)],
                    }
                )
                for login in ("pt_ada", "pt_bob")
            )
        cls.Agent = Agent
        cls.Ticket = cls.env["contact_center.ticket"]

    def _ticket(self, name="Help"):
        return self.Ticket.create(
            {"name": name, "team_id": self.desk.id, "partner_id": self.customer.id}
        )

    def _bus(self, agent, status, last_poll=T):
        return (
            self.env["bus.presence"]
            .sudo()
            .create(
                {
                    "user_id": agent.user_id.id,
                    "status": status,
                    "last_poll": last_poll,
                    "last_presence": last_poll,
                }
            )
        )

    def _cron(self, at):
        with freeze_time(at):
            self.Agent._cron_presence_timeout()

    def _log(self, agent):
        return self.env["contact_center.agent.presence"].search(
            [("agent_id", "=", agent.id)], order="start_at, id"
        )

    def test_lost_session_sets_agent_offline_and_hands_work_to_colleague(self):
        with freeze_time(T):
            self.ada._set_presence("available")
            waiting, answered = self._ticket("Waiting"), self._ticket("Answered")
            self.bob._set_presence("available")
        answered.sudo().first_response_at = T
        self.assertEqual((waiting | answered).agent_id, self.ada)
        self._bus(self.ada, "offline")
        self._bus(self.bob, "online")
        self._cron(minutes(1))
        self.assertEqual(self.ada.presence, "available")
        self.assertEqual(self.ada.session_lost_at, minutes(1))
        self._cron(minutes(6))
        self.assertEqual(self.ada.presence, "offline")
        self.assertEqual(self.ada.presence_since, minutes(6))
        line = self._log(self.ada)[-1]
        self.assertEqual((line.state, line.reason), ("offline", "disconnected"))
        self.assertEqual(self._log(self.ada)[-2].end_at, minutes(6))
        self.assertEqual(waiting.agent_id, self.bob, "unanswered: to the colleague")
        self.assertEqual(answered.agent_id, self.ada, "answered: stays with Ada")
        self.assertEqual(self.bob.presence, "available")

    def test_without_free_colleague_unanswered_ticket_waits_in_queue(self):
        with freeze_time(T):
            self.ada._set_presence("available")
            ticket = self._ticket()
        self.assertEqual(ticket.agent_id, self.ada)
        # never connected: no bus.presence row, available since T
        self._cron(minutes(4))
        self.assertEqual(self.ada.presence, "available")
        self._cron(minutes(5))
        self.assertEqual(self.ada.presence, "offline")
        self.assertFalse(ticket.agent_id)
        self.assertEqual(ticket.team_id, self.desk)
        # the router sees it at once: a new ticket no longer goes to Ada
        self.assertFalse(self._ticket("Next").agent_id)

    def test_live_web_client_keeps_agent_available(self):
        with freeze_time(T):
            self.ada._set_presence("available")
        # Odoo refreshes last_poll only on connection: an old poll of an open
        # websocket is still a live session
        self._bus(self.ada, "online", last_poll=T - timedelta(hours=3))
        for at in (minutes(1), minutes(30), minutes(300)):
            self._cron(at)
        self.assertEqual(self.ada.presence, "available")
        self.assertEqual(len(self._log(self.ada)), 2)

    def test_agent_on_a_call_stays_busy(self):
        with freeze_time(T):
            self.ada._set_presence("busy")
        self._bus(self.ada, "offline")
        for at in (minutes(1), minutes(30)):
            self._cron(at)
        self.assertEqual(self.ada.presence, "busy")

    def test_team_timeout_of_15_minutes_keeps_agent_gone_for_10(self):
        self.desk.presence_timeout_minutes = 15
        with freeze_time(T):
            self.ada._set_presence("available")
        self._bus(self.ada, "offline")
        self._cron(T)
        self._cron(minutes(10))
        self.assertEqual(self.ada.presence, "available")
        self._cron(minutes(15))
        self.assertEqual(self.ada.presence, "offline")

    def test_shortest_timeout_of_the_agents_teams_applies(self):
        self.desk.presence_timeout_minutes = 15
        self.env["contact_center.team"].create(
            {
                "name": "Strict",
                "presence_timeout_minutes": 2,
                "member_ids": [Command.link(self.ada.id)],
            }
        )
        with freeze_time(T):
            self.ada._set_presence("available")
        self._cron(minutes(2))
        self.assertEqual(self.ada.presence, "offline")

    def test_team_timeout_zero_never_sets_offline(self):
        self.desk.presence_timeout_minutes = 0
        with freeze_time(T):
            self.ada._set_presence("available")
        self._cron(minutes(600))
        self.assertEqual(self.ada.presence, "available")

    def test_second_run_changes_nothing(self):
        with freeze_time(T):
            self.ada._set_presence("available")
        self._cron(minutes(5))
        self._cron(minutes(6))
        self.assertEqual(
            self._log(self.ada).mapped("state"), ["offline", "available", "offline"]
        )

    def _disconnect(self, agent):
        with freeze_time(T):
            agent._set_presence("available")
        self._cron(minutes(5))
        self.assertEqual(agent.presence, "offline")

    def test_back_with_auto_return_becomes_available_and_gets_waiting_work(self):
        self.desk.presence_auto_return = True
        self._disconnect(self.ada)
        with freeze_time(minutes(6)):
            ticket = self._ticket()
        self.assertFalse(ticket.agent_id)
        self._cron(minutes(8))
        self.assertEqual(self.ada.presence, "offline", "not back yet")
        self._bus(self.ada, "online", last_poll=minutes(9))
        self._cron(minutes(10))
        self.assertEqual(self.ada.presence, "available")
        self.assertEqual(self._log(self.ada)[-1].reason, "reconnected")
        self.assertEqual(ticket.agent_id, self.ada)

    def test_back_without_auto_return_stays_offline_until_they_choose(self):
        self._disconnect(self.ada)
        self._bus(self.ada, "online", last_poll=minutes(9))
        self._cron(minutes(10))
        self.assertEqual(self.ada.presence, "offline")
        Agent = self.Agent.with_user(self.ada.user_id)
        mine = Agent.get_my_presence()
        self.assertEqual(
            (mine["presence"], mine["reason"]), ("offline", "disconnected")
        )
        self.assertEqual(self.ada.presence, "offline")
        mine = Agent.set_my_presence("available")
        self.assertEqual((mine["presence"], mine["reason"]), ("available", False))

    def test_opening_the_web_client_brings_back_with_auto_return(self):
        self.desk.presence_auto_return = True
        self._disconnect(self.ada)
        mine = self.Agent.with_user(self.ada.user_id).get_my_presence()
        self.assertEqual(
            (mine["presence"], mine["reason"]), ("available", "reconnected")
        )
        self.assertEqual(self.ada.presence, "available")

    def test_offline_by_choice_does_not_come_back(self):
        self.desk.presence_auto_return = True
        self.ada.with_user(self.ada.user_id).action_set_offline()
        self._bus(self.ada, "online")
        self._cron(minutes(10))
        self.Agent.with_user(self.ada.user_id).get_my_presence()
        self.assertEqual(self.ada.presence, "offline")

    def test_agent_cannot_change_team_timeout(self):
        with self.assertRaises(AccessError):
            self.desk.with_user(self.ada.user_id).presence_timeout_minutes = 600

    def test_cron_works_in_batches(self):
        with freeze_time(T):
            (self.ada | self.bob)._set_presence("available")
        with freeze_time(minutes(5)):
            self.assertEqual(self.Agent._cron_presence_timeout(batch_size=1), 1)
            self.assertEqual(
                sorted((self.ada | self.bob).mapped("presence")),
                ["available", "offline"],
            )
            self.assertEqual(self.Agent._cron_presence_timeout(batch_size=1), 1)
            self.assertEqual(set((self.ada | self.bob).mapped("presence")), {"offline"})
            self.assertEqual(self.Agent._cron_presence_timeout(batch_size=1), 0)

    def test_connections_are_gathered_in_one_query(self):
        with freeze_time(T):
            (self.ada | self.bob)._set_presence("available")
        self._bus(self.ada, "offline")
        self.env.flush_all()
        with self.assertQueryCount(1):
            connections = self.Agent._presence_connections(minutes(1))
        mine = {c.agent_id: c for c in connections}
        self.assertEqual(mine[self.ada.id].bus_status, "offline")
        self.assertIsNone(mine[self.bob.id].bus_status)
        self.assertEqual(mine[self.bob.id].timeout_minutes, 5)
