import contextlib
import json
import threading
import unittest
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch

from odoo import Command
from odoo.tests import HttpCase, TransactionCase, new_test_user
from odoo.tests.common import _find_executable

from odoo.addons.bus.websocket import WebsocketConnectionHandler

T0 = datetime(2026, 3, 2, 9, 0, 0)


class ContactCenterCase(TransactionCase):
    """Users of each contact-center group, two teams and their agents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.user_agent = new_test_user(
            cls.env, "cc_agent", groups="contact_center.group_contact_center_agent"
        )
        cls.user_agent2 = new_test_user(
            cls.env, "cc_agent2", groups="contact_center.group_contact_center_agent"
        )
        cls.user_supervisor = new_test_user(
            cls.env,
            "cc_supervisor",
            groups="contact_center.group_contact_center_supervisor",
        )
        cls.user_manager = new_test_user(
            cls.env, "cc_manager", groups="contact_center.group_contact_center_manager"
        )
        cls.user_employee = new_test_user(
            cls.env, "cc_employee", groups="base.group_user"
        )
        cls.user_portal = new_test_user(
            cls.env, "cc_portal", groups="base.group_portal"
        )
        Agent = cls.env["contact_center.agent"]
        cls.agent, cls.agent2, cls.agent_supervisor = Agent.create(
            [
                {"user_id": cls.user_agent.id},
                {"user_id": cls.user_agent2.id},
                {"user_id": cls.user_supervisor.id, "tier": "senior"},
            ]
        )
        Team = cls.env["contact_center.team"]
        cls.team = Team.create(
            {
                "name": "Care",
                "supervisor_ids": [Command.link(cls.user_supervisor.id)],
                "member_ids": [Command.set([cls.agent.id, cls.agent_supervisor.id])],
            }
        )
        cls.other_team = Team.create(
            {"name": "Sales", "member_ids": [Command.set([cls.agent2.id])]}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Ada Customer", "email": "ada@example.com"}
        )

    @classmethod
    def _interaction(cls, **vals):
        values = {
            "channel": "phone",
            "direction": "inbound",
            "partner_id": cls.customer.id,
            "team_id": cls.team.id,
            "agent_id": cls.agent.id,
            "queued_at": T0,
        }
        values.update(vals)
        return cls.env["contact_center.interaction"].create(values)

    @classmethod
    def _brussels_calendar(cls):
        """9:00-18:00 Monday to Friday in Brussels (UTC+1, UTC+2 in summer)."""
        return cls.env["resource.calendar"].create(
            {
                "name": "Brussels 9-18",
                "tz": "Europe/Brussels",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 9,
                            "hour_to": 18,
                            "day_period": "morning",
                        }
                    )
                    for day in range(5)
                ],
            }
        )


class TourCase(HttpCase):
    """An HttpCase that runs browser tours: no browser is a failure, not a skip.

    Odoo's HttpCase skips a test when it finds no Chrome or Chromium or cannot
    drive it, so a CI machine without a browser would report the tours as
    passed-by-omission. Tours are part of the suite: they must run or fail.
    """

    @classmethod
    def setUpClass(cls):
        cls._require_browser()
        super().setUpClass()
        # Odoo's runner refuses websockets while a test runs (pytest-odoo does
        # not): the screen pop and presence tours need the bus, as Odoo's own
        # bus tests do, whichever runner runs them
        cls.startClassPatcher(
            patch.object(
                WebsocketConnectionHandler, "websocket_allowed", return_value=True
            )
        )

    @classmethod
    def _create_desk(cls, login, name, team_name, **agent_values):
        """An agent user, a team open around the clock and their agent record."""
        user = new_test_user(
            cls.env,
            login,
            name=name,
            groups="contact_center.group_contact_center_agent",
        )
        team = cls.env["contact_center.team"].create(
            {"name": team_name, "resource_calendar_id": False}
        )
        agent = cls.env["contact_center.agent"].create(
            {"user_id": user.id, "team_ids": [Command.link(team.id)], **agent_values}
        )
        return user, team, agent

    @classmethod
    def _require_browser(cls):
        try:
            _find_executable()
        except unittest.SkipTest as error:
            raise AssertionError(
                f"browser tours need Chrome or Chromium on the PATH ({error})"
            ) from None

    def browser_js(self, *args, **kwargs):
        try:
            return super().browser_js(*args, **kwargs)
        except unittest.SkipTest as error:
            self.fail(f"the browser could not run the tour: {error}")


class RecordingMessagingServer:
    """Messaging provider test double: a real HTTP server on 127.0.0.1 that
    records the JSON it is sent.

    It answers ``{"message_id": "msg-<n>"}`` (n counts the requests from 1),
    HTTP 500 to the numbers in ``failing``, and after ``delay`` seconds.
    """

    def __init__(self):
        self.requests = []
        self.failing = set()
        self.delay = 0.0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"null")
                with server._lock:
                    server.requests.append({"path": self.path, "json": body})
                    count = len(server.requests)
                if server.delay:
                    server._stop.wait(server.delay)
                if (body or {}).get("to") in server.failing:
                    status, answer = 500, {"error": "Carrier rejected the message"}
                else:
                    status, answer = 200, {"message_id": f"msg-{count}"}
                data = json.dumps(answer).encode()
                # the client may have given up already (time-out test)
                with contextlib.suppress(OSError):
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
