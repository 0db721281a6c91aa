"""Contact-center goals of a monthly challenge, on a small data set whose
expected values are worked out by hand in the comments.

Ann (agent of Care, users in UTC) is the participant; Bob's contacts and
tickets, and Ann's outside March 2026, must not count.
"""

from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import TransactionCase, new_test_user, tagged

MARCH_START, MARCH_END = date(2026, 3, 1), date(2026, 3, 31)


@tagged("post_install", "-at_install")
@freeze_time("2026-03-31 23:00:00")
class TestGoals(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env.user.tz = "UTC"
        cls.user_ann = new_test_user(
            cls.env,
            "cc_goal_ann",
            groups="contact_center.group_contact_center_agent",
            tz="UTC",
        )
        cls.user_bob = new_test_user(
            cls.env,
            "cc_goal_bob",
            groups="contact_center.group_contact_center_agent",
            tz="UTC",
        )
        cls.user_nobody = new_test_user(
            cls.env, "cc_goal_nobody", groups="base.group_user", tz="UTC"
        )
        Agent = cls.env["contact_center.agent"]
        cls.ann = Agent.create({"user_id": cls.user_ann.id})
        cls.bob = Agent.create({"user_id": cls.user_bob.id})
        Team = cls.env["contact_center.team"]
        cls.team = Team.create(
            {
                "name": "Care",
                "member_ids": [Command.set([cls.ann.id, cls.bob.id])],
                "fcr_window_days": 7,
            }
        )
        cls.other_team = Team.create({"name": "Elsewhere"})
        Partner = cls.env["res.partner"]
        cls.p1, cls.p2, cls.p3 = Partner.create(
            [{"name": "P One"}, {"name": "P Two"}, {"name": "P Three"}]
        )
        Reason = cls.env["contact_center.contact.reason"]
        cls.billing, cls.delivery = Reason.create(
            [{"name": "Billing"}, {"name": "Delivery"}]
        )

        def call(agent, queued, answered, ended, wrapped, partner, reason, **vals):
            values = {
                "channel": "phone",
                "direction": "inbound",
                "team_id": cls.team.id,
                "agent_id": agent.id,
                "partner_id": partner.id,
                "reason_id": reason.id,
                "queued_at": queued,
                "answered_at": answered,
                "ended_at": ended,
                "wrap_up_ended_at": wrapped,
                "state": "done",
            }
            values.update(vals)
            return cls.env["contact_center.interaction"].create(values)

        d = datetime
        # Ann, March: handle time = (ended - answered) + (wrapped - ended)
        # c1: 240 s talk + 60 s wrap-up = 300 s; P1 on billing, resolved,
        #     but P1 calls again on billing 3 days later (c3): not FCR
        call(
            cls.ann, d(2026, 3, 2, 9, 0, 0), d(2026, 3, 2, 9, 0, 10),
            d(2026, 3, 2, 9, 4, 10), d(2026, 3, 2, 9, 5, 10),
            cls.p1, cls.billing, is_resolved=True,
        )  # fmt: skip
        # c2: 360 + 60 = 420 s; P2 on billing, resolved, no repeat: FCR
        call(
            cls.ann, d(2026, 3, 3, 10, 0, 0), d(2026, 3, 3, 10, 0, 5),
            d(2026, 3, 3, 10, 6, 5), d(2026, 3, 3, 10, 7, 5),
            cls.p2, cls.billing, is_resolved=True,
        )  # fmt: skip
        # c3: 120 + 60 = 180 s; P1 on billing again, resolved: FCR
        call(
            cls.ann, d(2026, 3, 5, 11, 0, 0), d(2026, 3, 5, 11, 0, 20),
            d(2026, 3, 5, 11, 2, 20), d(2026, 3, 5, 11, 3, 20),
            cls.p1, cls.billing, is_resolved=True,
        )  # fmt: skip
        # c4, on the last evening of the month: 300 + 300 = 600 s; not
        #     resolved, so not in FCR
        call(
            cls.ann, d(2026, 3, 31, 21, 50, 0), d(2026, 3, 31, 21, 50, 30),
            d(2026, 3, 31, 21, 55, 30), d(2026, 3, 31, 22, 0, 30),
            cls.p3, cls.delivery,
        )  # fmt: skip
        # an email Ann sent: handled, but no handle time
        cls.env["contact_center.interaction"].create(
            {
                "channel": "email",
                "direction": "outbound",
                "team_id": cls.team.id,
                "agent_id": cls.ann.id,
                "partner_id": cls.p2.id,
                "queued_at": d(2026, 3, 6, 8, 0),
                "ended_at": d(2026, 3, 6, 8, 0),
                "state": "done",
            }
        )
        # not counted: Ann in February (1000 s), Bob in March (600 s)
        call(
            cls.ann, d(2026, 2, 27, 9, 0, 0), d(2026, 2, 27, 9, 0, 0),
            d(2026, 2, 27, 9, 16, 40), d(2026, 2, 27, 9, 16, 40),
            cls.p3, cls.delivery, is_resolved=True,
        )  # fmt: skip
        call(
            cls.bob, d(2026, 3, 10, 9, 0, 0), d(2026, 3, 10, 9, 0, 0),
            d(2026, 3, 10, 9, 10, 0), d(2026, 3, 10, 9, 10, 0),
            cls.p3, cls.delivery, is_resolved=True,
        )  # fmt: skip

        # SLA targets of Ann's tickets: in March, 2 met and 1 breached
        policy = cls.env["contact_center.sla.policy"].create(
            {
                "name": "Elsewhere only",
                "team_ids": [Command.set(cls.other_team.ids)],
                "first_response_hours": 2,
                "escalation_ids": [Command.clear()],
            }
        )
        Ticket = cls.env["contact_center.ticket"]
        ann_ticket, bob_ticket = Ticket.create(
            [
                {
                    "name": "Invoice twice",
                    "partner_id": cls.p1.id,
                    "team_id": cls.team.id,
                    "agent_id": cls.ann.id,
                },
                {
                    "name": "Parcel lost",
                    "partner_id": cls.p3.id,
                    "team_id": cls.team.id,
                    "agent_id": cls.bob.id,
                },
            ]
        )

        def target(ticket, kind, status, at):
            return {
                "ticket_id": ticket.id,
                "policy_id": policy.id,
                "kind": kind,
                "target_seconds": 7200,
                "start_at": d(2026, 3, 1),
                "deadline": at,
                "reached_at": at if status == "met" else False,
                "status": status,
            }

        cls.env["contact_center.ticket.sla"].create(
            [
                target(ann_ticket, "first_response", "met", d(2026, 3, 10, 9, 0)),
                target(ann_ticket, "resolution", "met", d(2026, 3, 12, 9, 0)),
                target(ann_ticket, "next_response", "breached", d(2026, 3, 15, 9, 0)),
                # settled in April: another month
                target(ann_ticket, "next_response", "met", d(2026, 4, 2, 9, 0)),
                # still running: not settled, not counted
                target(ann_ticket, "next_response", "running", d(2026, 3, 31, 23, 30)),
                target(bob_ticket, "first_response", "breached", d(2026, 3, 10, 9, 0)),
            ]
        )

    def _goal(self, xmlid, user=None, target=0.0):
        definition = self.env.ref(f"contact_center_gamification.{xmlid}")
        goal = self.env["gamification.goal"].create(
            {
                "definition_id": definition.id,
                "user_id": (user or self.user_ann).id,
                "start_date": MARCH_START,
                "end_date": MARCH_END,
                "target_goal": target,
                "state": "inprogress",
            }
        )
        goal.update_goal()
        return goal

    def test_contacts_handled(self):
        # c1, c2, c3, c4 and the email; not February's call, not Bob's
        goal = self._goal("definition_contacts_handled", target=5)
        self.assertEqual(goal.current, 5)
        self.assertEqual(goal.state, "reached")
        self.assertEqual(
            self._goal("definition_contacts_handled", self.user_bob).current, 1
        )

    def test_average_handle_time(self):
        # (300 + 420 + 180 + 600) / 4 = 375 s, above a 360 s target
        goal = self._goal("definition_average_handle_time", target=360)
        self.assertEqual(goal.current, 375)
        self.assertEqual(goal.state, "inprogress")
        self.assertEqual(
            self._goal("definition_average_handle_time", target=400).state, "reached"
        )

    def test_first_contact_resolution(self):
        # resolved: c1 (P1 called again on billing: 0), c2 (100), c3 (100)
        goal = self._goal("definition_first_contact_resolution", target=80)
        self.assertEqual(goal.current, 66.67)
        self.assertEqual(goal.state, "inprogress")

    def test_sla_compliance(self):
        # settled in March on Ann's tickets: met, met, breached
        goal = self._goal("definition_sla_compliance", target=60)
        self.assertEqual(goal.current, 66.67)
        self.assertEqual(goal.state, "reached")
        bob = self._goal("definition_sla_compliance", self.user_bob, target=60)
        self.assertEqual(bob.current, 0)
        self.assertEqual(bob.state, "inprogress")

    def test_no_data_keeps_the_goal_as_it_was(self):
        # not an agent: no handle time to compare, the goal is not reached
        # by a "0 s" that means nothing
        goal = self._goal("definition_average_handle_time", self.user_nobody, 360)
        self.assertEqual(goal.current, 0)
        self.assertEqual(goal.state, "inprogress")
        # an agent with no contact in the period either
        Agent = self.env["contact_center.agent"]
        Agent.create({"user_id": self.user_nobody.id})
        goal = self._goal("definition_average_handle_time", self.user_nobody, 360)
        self.assertEqual(goal.state, "inprogress")

    def test_sample_challenge_is_a_draft_for_team_agents(self):
        challenge = self.env.ref(
            "contact_center_gamification.challenge_contact_center_monthly"
        )
        self.assertEqual(challenge.state, "draft")
        self.assertEqual(challenge.period, "monthly")
        self.assertEqual(
            challenge.line_ids.definition_id.mapped("name"),
            [
                "Contacts Handled",
                "Average Handle Time",
                "First-contact Resolution",
                "SLA Compliance",
            ],
        )
        challenge.user_domain = str(
            [("contact_center_agent_ids.team_ids", "in", self.team.ids)]
        )
        # the team's agents join (gamification adds, it never removes)
        self.assertLessEqual(self.user_ann | self.user_bob, challenge.user_ids)
        self.assertNotIn(self.user_nobody, challenge.user_ids)
