"""Where the route endpoint sends calls: a table of situations and answers.

Every decision is asked over real HTTP, signed as a PBX signs it.

The phone desk works 9:00-18:00 Monday to Friday in Brussels and overflows
to a night desk open around the clock. Monday 2 March 2026, 10:00 in
Brussels is 09:00 UTC.
"""

import json
import time
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from ..tools import telephony
from .common import ContactCenterCase

OPEN = datetime(2026, 3, 2, 9, 0)  # Monday 10:00 in Brussels
EVENING = datetime(2026, 3, 2, 19, 0)  # Monday 20:00 in Brussels
DID = "+3222001100"


SECRET = "x" * 32


@tagged("post_install", "-at_install")
class TestTelephonyRouting(ContactCenterCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.calendar = cls._brussels_calendar()
        cls.night = env["contact_center.team"].create(
            {"name": "Night Desk", "resource_calendar_id": False}
        )
        cls.desk = env["contact_center.team"].create(
            {
                "name": "Phone Desk",
                "resource_calendar_id": cls.calendar.id,
                "tz": "Europe/Brussels",
                "overflow_team_id": cls.night.id,
            }
        )
        cls.billing = env["contact_center.skill"].create({"name": "Phone Billing"})
        french = env["res.lang"]._activate_lang("fr_FR")
        english = env.ref("base.lang_en")
        Agent = env["contact_center.agent"]
        specs = [
            ("ann", "201", "regular", english, None),
            ("bob", "202", "senior", french | english, None),
            ("carl", "203", "regular", english, 3),
        ]
        agents = []
        for login, ext, tier, lang, billing_level in specs:
            user = new_test_user(
                env,
                f"cc_route_{login}",
                groups="contact_center.group_contact_center_agent",
            )
            agents.append(
                Agent.create(
                    {
                        "user_id": user.id,
                        "extension": ext,
                        "tier": tier,
                        "language_ids": [Command.set(lang.ids)],
                        "team_ids": [Command.link(cls.desk.id)],
                        "skill_line_ids": (
                            [
                                Command.create(
                                    {
                                        "skill_id": cls.billing.id,
                                        "level": str(billing_level),
                                    }
                                )
                            ]
                            if billing_level
                            else []
                        ),
                    }
                )
            )
        cls.ann, cls.bob, cls.carl = agents
        cls.all_agents = cls.ann | cls.bob | cls.carl
        cls.provider = env["contact_center.telephony.provider"].create(
            {
                "name": "Routing PBX",
                "code": "route-pbx",
                "secret": SECRET,
                "voicemail_target": "vm:100",
                "did_ids": [Command.create({"number": DID, "team_id": cls.desk.id})],
                "ivr_option_ids": [
                    Command.create(
                        {"choice": "1", "skill_id": cls.billing.id, "skill_level": "2"}
                    ),
                    Command.create({"choice": "2", "lang": "fr_FR"}),
                    Command.create({"choice": "sales", "team_id": cls.night.id}),
                ],
            }
        )
        Partner = env["res.partner"]
        cls.vip = Partner.create(
            {
                "name": "Vera VIP",
                "phone": "+32470550001",
                "cc_tier_id": env.ref("contact_center.customer_tier_vip").id,
                "lang": "en_US",
            }
        )
        cls.loyal = Partner.create(
            {"name": "Luc Loyal", "phone": "+32470550002", "lang": "en_US"}
        )
        # Luc spoke with Carl last time
        env["contact_center.interaction"].create(
            {
                "channel": "phone",
                "partner_id": cls.loyal.id,
                "agent_id": cls.carl.id,
                "queued_at": datetime(2026, 2, 27, 9, 0),
                "state": "done",
                "answered_at": datetime(2026, 2, 27, 9, 0, 10),
                "ended_at": datetime(2026, 2, 27, 9, 5),
                "wrap_up_ended_at": datetime(2026, 2, 27, 9, 6),
            }
        )

    def _route(self, caller="+32470999999", at=OPEN, **extra):
        """Ask the route endpoint at ``at``; every request is a new call."""
        self._calls = getattr(self, "_calls", 0) + 1
        body = json.dumps(
            {"call_id": f"c{self._calls}", "caller": caller, "called": DID, **extra}
        ).encode()
        with freeze_time(at):
            stamp = int(time.time())
            response = self.url_open(
                "/contact_center/telephony/v1/route",
                data=body,
                headers={
                    "Content-Type": "application/json",
                    "X-CC-Provider": "route-pbx",
                    "X-CC-Timestamp": str(stamp),
                    "X-CC-Signature": telephony.sign(SECRET, stamp, body),
                },
            )
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def _available(self, logins=("ann", "bob", "carl")):
        agents = self.all_agents.filtered(
            lambda a: a.user_id.login.removeprefix("cc_route_") in logins
        )
        agents._set_presence("available")
        (self.all_agents - agents)._set_presence("break")

    def test_routing_table(self):
        cases = [
            # (situation, agents available, call, expected action, target, team)
            ("VIP to the senior agent", "ann bob carl", {"caller": "+32470550001"},
             "agent", "202", "Phone Desk"),
            ("French speaker", "ann bob carl", {"language": "fr_FR"},
             "agent", "202", "Phone Desk"),
            ("IVR 2 asks for French", "ann bob carl", {"ivr": ["2"]},
             "agent", "202", "Phone Desk"),
            ("IVR 1 needs billing skill", "ann bob carl", {"ivr": ["1"]},
             "agent", "203", "Phone Desk"),
            ("the customer's last agent", "ann bob carl", {"caller": "+32470550002"},
             "agent", "203", "Phone Desk"),
            ("last agent on break: another one", "ann bob", {"caller": "+32470550002"},
             "agent", None, "Phone Desk"),
            ("no free agent: the queue", "", {}, "queue", None, "Phone Desk"),
            ("billing skill but Carl away", "ann bob", {"ivr": ["1"]},
             "queue", None, "Phone Desk"),
            ("IVR choice to another team", "ann bob carl", {"ivr": ["sales"]},
             "queue", None, "Night Desk"),
        ]  # fmt: skip
        for situation, available, call, action, target, team in cases:
            with self.subTest(situation):
                self._available(available.split())
                answer = self._route(**call)
                self.assertEqual(answer["action"], action, answer)
                self.assertEqual(answer["team"]["name"], team)
                if target:
                    self.assertEqual(answer["target"], target)
                if action == "agent":
                    self.assertIn(answer["agent"]["extension"], ("201", "202", "203"))
                if action == "queue":
                    self.assertEqual(answer["target"], f"queue:{answer['team']['id']}")

    def test_vip_caller_is_recognised(self):
        self._available()
        # her assistant shares the number, without a tier
        self.env["res.partner"].create(
            {"name": "Vera's Assistant", "mobile": "+32470550001", "cc_tier_id": False}
        )
        answer = self._route(caller="+32 470 55 00 01")
        self.assertEqual(answer["customer"]["name"], "Vera VIP")
        self.assertEqual(answer["customer"]["tier"], "VIP")
        self.assertTrue(answer["customer"]["vip"])

    def test_after_hours_overflows_then_voicemail(self):
        self._available()
        answer = self._route(at=EVENING)
        self.assertEqual(
            (answer["action"], answer["team"]["name"]), ("overflow", "Night Desk")
        )
        self.desk.overflow_team_id = False  # no overflow team left
        answer = self._route(at=EVENING)
        self.assertEqual((answer["action"], answer["target"]), ("voicemail", "vm:100"))
        self.assertEqual(answer["reason"], "closed")

    def test_new_business_hours_apply_to_the_next_call(self):
        self._available()
        self.assertEqual(self._route()["action"], "agent")
        # the desk now opens at 13:00 on Mondays: 10:00 is after hours
        self.calendar.attendance_ids.filtered(
            lambda a: a.dayofweek == "0" and a.hour_from < 12
        ).hour_from = 13
        answer = self._route()
        self.assertEqual(
            (answer["action"], answer["team"]["name"]), ("overflow", "Night Desk")
        )

    def test_changed_numbers_and_ivr_options_apply_to_the_next_call(self):
        self._available()
        self.assertEqual(self._route()["team"]["name"], "Phone Desk")
        self.provider.did_ids.team_id = self.night
        self.assertEqual(self._route()["team"]["name"], "Night Desk")
        self.provider.ivr_option_ids = [
            Command.create({"choice": "9", "team_id": self.desk.id})
        ]
        self.assertEqual(self._route(ivr=["9"])["team"]["name"], "Phone Desk")
        self.provider.voicemail_target = "vm:200"
        self.all_agents._set_presence("break")
        self.night.active = False
        self.provider.did_ids.team_id = self.desk
        self.desk.overflow_team_id = False
        self.assertEqual(self._route(at=EVENING)["target"], "vm:200")

    def test_public_holiday_overflows(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 3, 1, 23, 0),  # Monday 00:00 Brussels
                "date_to": datetime(2026, 3, 2, 22, 59, 59),
            }
        )
        self._available()
        answer = self._route()
        self.assertEqual(
            (answer["action"], answer["team"]["name"]), ("overflow", "Night Desk")
        )
