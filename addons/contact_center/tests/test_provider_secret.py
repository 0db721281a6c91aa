"""Managers copy and regenerate a telephony provider's secret; nobody else."""

import json
import time

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from ..tools import telephony
from .test_telephony_api import AUTH_FAILED, DID, SECRET, TelephonySetup


@tagged("post_install", "-at_install")
class TestProviderSecret(TelephonySetup, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_telephony()
        cls.manager = new_test_user(
            cls.env,
            "cc_secret_manager",
            groups="contact_center.group_contact_center_manager",
        )
        cls.supervisor = new_test_user(
            cls.env,
            "cc_secret_supervisor",
            groups="contact_center.group_contact_center_supervisor",
        )
        cls.agent_user = new_test_user(
            cls.env,
            "cc_secret_agent",
            groups="contact_center.group_contact_center_agent",
        )

    def _post(self, path, payload, secret=SECRET):
        """POST ``payload`` signed with ``secret`` as the test PBX."""
        body = json.dumps(payload).encode()
        stamp = int(time.time())
        response = self.url_open(
            f"/contact_center/telephony/v1/{path}",
            data=body,
            headers={
                "Content-Type": "application/json",
                "X-CC-Provider": "test-pbx",
                "X-CC-Timestamp": str(stamp),
                "X-CC-Signature": telephony.sign(secret, stamp, body),
            },
        )
        return response.status_code, response.json()

    def _call(self, call_id):
        return {"call_id": call_id, "caller": "+32470111222", "called": DID}

    def test_regenerated_secret_replaces_the_old_one_at_once(self):
        self.assertEqual(self._post("route", self._call("g1"))[0], 200)
        self.provider.with_user(self.manager).action_regenerate_secret()
        new_secret = self.provider.with_user(self.manager).secret
        self.assertNotEqual(new_secret, SECRET)
        self.assertGreaterEqual(len(new_secret), 40)
        status, answer = self._post("route", self._call("g2"))
        self.assertEqual((status, answer["error"]), (401, AUTH_FAILED))
        status, _answer = self._post("route", self._call("g3"), secret=new_secret)
        self.assertEqual(status, 200)
        # the new secret is shown on the form only, never posted
        self.assertFalse(
            self.env["mail.message"].search_count([("body", "ilike", new_secret)])
        )

    def test_agents_and_supervisors_cannot_regenerate(self):
        for user in (self.agent_user, self.supervisor):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.provider.with_user(user).action_regenerate_secret()
        self.assertEqual(self.provider.secret, SECRET)
        self.assertEqual(self._post("route", self._call("g4"))[0], 200)

    def test_copy_and_regenerate_buttons_are_for_managers_only(self):
        Provider = self.env["contact_center.telephony.provider"]
        manager_arch = Provider.with_user(self.manager).get_view(view_type="form")[
            "arch"
        ]
        self.assertIn('widget="CopyClipboardButton"', manager_arch)
        self.assertIn('name="action_regenerate_secret"', manager_arch)
        self.assertIn("confirm=", manager_arch)
        for user in (self.agent_user, self.supervisor):
            arch = Provider.with_user(user).get_view(view_type="form")["arch"]
            with self.subTest(user=user.login):
                self.assertNotIn("CopyClipboardButton", arch)
                self.assertNotIn("action_regenerate_secret", arch)
