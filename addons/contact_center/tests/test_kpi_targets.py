from datetime import datetime

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import BaseCase, tagged

from ..tools import kpi
from .common import ContactCenterCase


def _at(hour, minute=0):
    return datetime(2026, 3, 2, hour, minute)


class TestKpiTools(BaseCase):
    def test_status_against_target(self):
        # service level: higher is better; 10% of 80 = 8 points of margin
        self.assertEqual(kpi.status("service_level", 80.0, 80.0), "success")
        self.assertEqual(kpi.status("service_level", 72.0, 80.0), "warning")
        self.assertEqual(kpi.status("service_level", 71.9, 80.0), "danger")
        # handle time: lower is better; 10% of 300 s = 30 s
        self.assertEqual(kpi.status("aht", 250, 300), "success")
        self.assertEqual(kpi.status("aht", 330, 300), "warning")
        self.assertEqual(kpi.status("aht", 331, 300), "danger")
        # NPS can be negative: a 10-point margin
        self.assertEqual(kpi.status("nps", -5, 0), "warning")
        self.assertEqual(kpi.status("nps", -11, 0), "danger")
        # no figure or no target: no colour
        self.assertIsNone(kpi.status("aht", None, 300))
        self.assertIsNone(kpi.status("aht", 300, None))

    def test_overlap_of_spans_and_schedule(self):
        spans = [(_at(8), _at(10)), (_at(12), _at(13, 30)), (_at(16), _at(20))]
        schedule = [(_at(9), _at(12, 30)), (_at(13), _at(17))]
        # 9-10 (1 h) + 12-12:30 (0.5 h) + 13-13:30 (0.5 h) + 16-17 (1 h)
        self.assertEqual(kpi.overlap_seconds(spans, schedule), 3 * 3600)
        self.assertEqual(kpi.overlap_seconds([], schedule), 0)
        self.assertEqual(kpi.overlap_seconds(spans, []), 0)

    def test_ratio_without_denominator_is_no_figure(self):
        self.assertIsNone(kpi.ratio(0, 0))
        self.assertEqual(kpi.ratio(1, 4), 25.0)


@tagged("post_install", "-at_install")
class TestKpiTargets(ContactCenterCase):
    def test_supervisor_sets_targets_of_their_team_and_agents_only(self):
        Target = self.env["contact_center.kpi.target"].with_user(self.user_supervisor)
        team_target = Target.create(
            {"team_id": self.team.id, "kpi": "service_level", "value": 80}
        )
        self.assertEqual(team_target.company_id, self.team.company_id)
        Target.create({"agent_id": self.agent.id, "kpi": "aht", "value": 300})
        with self.assertRaises(AccessError):
            Target.create(
                {"team_id": self.other_team.id, "kpi": "service_level", "value": 80}
            )
        with self.assertRaises(AccessError):
            Target.create({"agent_id": self.agent2.id, "kpi": "aht", "value": 300})

    def test_agent_reads_targets_but_cannot_set_them(self):
        self.env["contact_center.kpi.target"].create(
            {"team_id": self.team.id, "kpi": "aht", "value": 300}
        )
        Target = self.env["contact_center.kpi.target"].with_user(self.user_agent)
        self.assertEqual(Target.search([]).mapped("value"), [300.0])
        with self.assertRaises(AccessError):
            Target.create({"agent_id": self.agent.id, "kpi": "aht", "value": 900})

    def test_target_values_are_checked(self):
        Target = self.env["contact_center.kpi.target"]
        with self.assertRaisesRegex(ValidationError, "cannot exceed 100%"):
            Target.create({"team_id": self.team.id, "kpi": "fcr", "value": 120})
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            Target.create({"team_id": self.team.id, "kpi": "aht", "value": -1})
        Target.create({"team_id": self.team.id, "kpi": "nps", "value": -20})
        with self.assertRaisesRegex(ValidationError, "between -100 and 100"):
            Target.create({"team_id": self.other_team.id, "kpi": "nps", "value": 150})
