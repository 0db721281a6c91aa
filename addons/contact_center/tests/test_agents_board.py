from datetime import timedelta

from lxml import etree

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .common import T0, ContactCenterCase

DURATION_FIELDS = (
    "wait_seconds",
    "talk_seconds",
    "hold_seconds",
    "after_call_work_seconds",
    "handle_seconds",
)


class TestDurations(ContactCenterCase):
    """Durations read as m:ss / h:mm:ss, and supervisors get their averages."""

    def _arch(self, model, view_type):
        arch = self.env[model].get_views([(False, view_type)])["views"][view_type]
        return etree.fromstring(arch["arch"])

    def test_supervisors_get_average_durations(self):
        for talk in (60, 180):
            self._interaction(
                state="done",
                answered_at=T0,
                ended_at=T0 + timedelta(seconds=talk),
            )
        Interaction = self.env["contact_center.interaction"].with_user(
            self.user_supervisor
        )
        # what a pivot or a grouped list asks: each field's own aggregate
        group = Interaction.read_group(
            [("team_id", "=", self.team.id)], list(DURATION_FIELDS), ["team_id"]
        )[0]
        self.assertEqual(group["talk_seconds"], 120)
        self.assertEqual(group["wait_seconds"], 0)
        for fname in DURATION_FIELDS:
            with self.subTest(fname):
                self.assertEqual(Interaction._fields[fname].aggregator, "avg")

    def test_duration_labels_are_words_not_units(self):
        fields_info = self.env["contact_center.interaction"].fields_get(
            list(DURATION_FIELDS), ["string"]
        )
        self.assertEqual(fields_info["talk_seconds"]["string"], "Talk Time")
        for fname, info in fields_info.items():
            with self.subTest(fname):
                self.assertNotIn("Seconds", info["string"])
                self.assertNotIn("(s)", info["string"])

    def test_views_show_durations_as_clock_times(self):
        cases = [
            ("contact_center.interaction", "list", DURATION_FIELDS),
            ("contact_center.interaction", "pivot", ("talk_seconds", "wait_seconds")),
            ("contact_center.agent.presence", "list", ("duration_seconds",)),
            ("contact_center.agent.presence", "pivot", ("duration_seconds",)),
        ]
        for model, view_type, names in cases:
            arch = self._arch(model, view_type)
            for name in names:
                with self.subTest(model=model, view=view_type, field=name):
                    node = arch.xpath(f"//field[@name='{name}']")
                    self.assertTrue(node, "the duration is not in the view")
                    self.assertEqual(node[0].get("widget"), "cc_duration")
        interaction_list = self._arch("contact_center.interaction", "list")
        for name in ("wait_seconds", "talk_seconds"):
            node = interaction_list.xpath(f"//field[@name='{name}']")[0]
            self.assertTrue(node.get("avg"), f"{name}: the footer is not an average")


@tagged("is_query_count")
class TestAgentsBoard(ContactCenterCase):
    """The supervisors' board: current work of each agent and queue depth."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Ticket = cls.env["contact_center.ticket"].with_context(cc_skip_routing=True)
        cls.waiting = Ticket.create(
            [
                {"name": f"Waiting {n}", "team_id": cls.team.id, "agent_id": False}
                for n in range(3)
            ]
        )
        Ticket.create({"name": "Sales waits", "team_id": cls.other_team.id})
        cls.worked = Ticket.create(
            {
                "name": "Being worked",
                "team_id": cls.team.id,
                "agent_id": cls.agent.id,
                "partner_id": cls.customer.id,
            }
        )
        # two calls wait in the Care queue, one in Sales'
        for team in (cls.team, cls.team, cls.other_team):
            cls._interaction(team_id=team.id, agent_id=False, state="queued")
        cls.call = cls._interaction(
            name="Billing question",
            state="in_progress",
            answered_at=fields.Datetime.now(),
            queued_at=fields.Datetime.now(),
        )

    def _board(self, user, agents):
        return agents.with_user(user).read(
            [
                "current_interaction_id",
                "current_ticket_id",
                "queue_ticket_count",
                "queue_call_count",
                "queue_summary",
            ]
        )

    def test_board_shows_current_call_and_ticket(self):
        agent, agent2, _sup = self._board(
            self.user_supervisor, self.agent | self.agent2 | self.agent_supervisor
        )
        self.assertEqual(agent["current_interaction_id"][0], self.call.id)
        # the call's label says with whom and on which channel
        self.assertIn("Ada Customer", agent["current_interaction_id"][1])
        self.assertIn("Phone", agent["current_interaction_id"][1])
        self.assertEqual(agent["current_ticket_id"][0], self.worked.id)
        self.assertFalse(agent2["current_interaction_id"])
        self.assertFalse(agent2["current_ticket_id"])

    def test_board_shows_queue_depth_of_the_agents_teams(self):
        agent, agent2, _sup = self._board(
            self.user_supervisor, self.agent | self.agent2 | self.agent_supervisor
        )
        # Care: three tickets without agent, two queued calls
        self.assertEqual(
            (agent["queue_ticket_count"], agent["queue_call_count"]), (3, 2)
        )
        self.assertIn("Care", agent["queue_summary"])
        # the supervisor reads only their teams' tickets: Sales' are not counted
        self.assertEqual(agent2["queue_ticket_count"], 0)
        self.assertEqual(agent2["queue_call_count"], 1)
        manager = self._board(self.user_manager, self.agent2)[0]
        self.assertEqual(
            (manager["queue_ticket_count"], manager["queue_call_count"]), (1, 1)
        )

    def test_board_queries_do_not_grow_with_agents(self):
        users = [
            new_test_user(
                self.env,
                f"cc_board_{n}",
                groups="contact_center.group_contact_center_agent",
            )
            for n in range(6)
        ]
        many = self.env["contact_center.agent"].create(
            [
                {"user_id": user.id, "team_ids": [Command.set(self.team.ids)]}
                for user in users
            ]
        )
        for agent in many:
            self._interaction(
                agent_id=agent.id,
                state="ringing",
                queued_at=fields.Datetime.now(),
            )

        def board_queries(agents):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self._board(self.user_manager, agents)
            return self.cr.sql_log_count - before

        board_queries(self.agent)  # warm caches
        one = board_queries(self.agent)
        seven = board_queries(self.agent | many)
        self.assertEqual(one, seven, "the board reads more per agent")
        with self.assertQueryCount(one):
            self.env.invalidate_all()
            self._board(self.user_manager, self.agent | many)
