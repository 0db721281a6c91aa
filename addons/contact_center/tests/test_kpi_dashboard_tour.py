from datetime import datetime, timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .common import TourCase

# a Monday; the supervisor reads it in Brussels (UTC+1 in March)
DAY = datetime(2026, 3, 2, 9, 0, 0)


@tagged("post_install", "-at_install")
class TestKpiDashboardTour(TourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.agent_user, cls.team, cls.agent = cls._create_desk(
            "cc_perf_agent", "Perf Agent", "Perf Team"
        )
        cls.agent_user.tz = "Europe/Brussels"
        cls.supervisor = new_test_user(
            cls.env,
            "cc_perf_supervisor",
            name="Perf Supervisor",
            tz="Europe/Brussels",
            groups="contact_center.group_contact_center_supervisor",
        )
        cls.team.supervisor_ids = [Command.link(cls.supervisor.id)]
        cls.customer = cls.env["res.partner"].create({"name": "Perf Customer"})

    @classmethod
    def _call(cls, name, queued_at, answered=True, agent=None, team=None, **values):
        """An inbound call that ended: answered after 10 s and talked 2 min,
        or abandoned after 30 s."""
        vals = {
            "name": name,
            "partner_id": cls.customer.id,
            "team_id": (team or cls.team).id,
            "queued_at": queued_at,
        }
        if answered:
            vals.update(
                state="done",
                agent_id=(agent or cls.agent).id,
                answered_at=queued_at + timedelta(seconds=10),
                ended_at=queued_at + timedelta(seconds=130),
            )
        else:
            vals.update(state="abandoned", ended_at=queued_at + timedelta(seconds=30))
        vals.update(values)
        return cls.env["contact_center.interaction"].create(vals)

    def test_supervisor_drills_down_from_a_kpi_tour(self):
        """On 2 March the team handled three calls and lost one; the next day
        it handled another, and a team the supervisor does not lead handled
        one on 2 March: the dashboard of 2 March says 3 handled, 4 offered,
        and the figure opens exactly the three calls."""
        for hour in range(3):
            self._call(f"Perf Call {hour + 1}", DAY + timedelta(hours=hour))
        self._call("Perf Lost Call", DAY + timedelta(hours=4), answered=False)
        self._call("Perf Next Day Call", DAY + timedelta(days=1))
        _user, other_team, other_agent = self._create_desk(
            "cc_perf_other", "Other Agent", "Other Team"
        )
        self._call("Perf Other Team Call", DAY, agent=other_agent, team=other_team)
        self.start_tour(
            "/odoo/action-contact_center.contact_center_supervisor_dashboard_action",
            "contact_center_supervisor_dashboard_tour",
            login="cc_perf_supervisor",
        )

    def test_agent_reads_my_performance_tour(self):
        """The agent handled two calls today and one yesterday, their team
        mate none: today reads 2 handled against a team average of 1."""
        now = fields.Datetime.now()
        # ended now at the latest: whatever the hour, the calls are today's
        for minutes in (10, 5):
            self._call(
                f"Today Call {minutes}",
                now - timedelta(minutes=minutes),
                ended_at=now,
            )
        self._call("Yesterday Call", now - timedelta(days=1, minutes=10))
        mate_user = new_test_user(
            self.env,
            "cc_perf_mate",
            name="Perf Mate",
            groups="contact_center.group_contact_center_agent",
        )
        self.env["contact_center.agent"].create(
            {"user_id": mate_user.id, "team_ids": [Command.link(self.team.id)]}
        )
        self.start_tour(
            "/odoo/action-contact_center.contact_center_my_performance_action",
            "contact_center_my_performance_tour",
            login="cc_perf_agent",
        )

    def test_my_performance_without_agent_tour(self):
        """A user who is no agent is told why there is nothing to show."""
        new_test_user(
            self.env,
            "cc_perf_nobody",
            groups="contact_center.group_contact_center_agent",
        )
        self.start_tour(
            "/odoo/action-contact_center.contact_center_my_performance_action",
            "contact_center_my_performance_no_agent_tour",
            login="cc_perf_nobody",
        )
