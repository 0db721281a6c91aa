"""Two cron workers at once, or one cron run twice: never two invitations
for one contact. These tests need committed data seen by two real
transactions, so they set it up on their own cursor and remove it after."""

from datetime import timedelta

import psycopg2

from odoo import api, fields, sql_db
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestTwoWorkers(TransactionCase):
    def setUp(self):
        super().setUp()
        self.cursors = []
        setup = self._cursor()
        env = api.Environment(setup, api.SUPERUSER_ID, {})
        now = fields.Datetime.now()
        partners = env["res.partner"].create(
            [
                {"name": f"Race customer {n}", "email": f"race{n}@example.com"}
                for n in range(30)
            ]
        )
        calls = env["contact_center.interaction"].create(
            [
                {
                    "channel": "phone",
                    "direction": "inbound",
                    "state": "done",
                    "partner_id": partner.id,
                    "queued_at": now - timedelta(minutes=10),
                    "answered_at": now - timedelta(minutes=9),
                    "ended_at": now - timedelta(minutes=5),
                    "wrap_up_ended_at": now - timedelta(minutes=5),
                }
                for partner in partners
            ]
        )
        # only this test's rule runs
        others = env["contact_center.survey.rule"].search([])
        self.reactivate = others.ids
        others.active = False
        rule = env["contact_center.survey.rule"].create(
            {
                "name": "Race",
                "trigger": "call_ended",
                "survey_id": env.ref("contact_center_survey.survey_csat").id,
                "send_channel": "email",
                "quiet_start": 0.0,
                "quiet_end": 0.0,
                "min_days_between": 0,
                "max_per_month": 0,
                "default_tz": "UTC",
            }
        )
        setup.commit()
        self.ids = {"partners": partners.ids, "calls": calls.ids, "rule": rule.id}
        self.addCleanup(self._cleanup)

    def _cursor(self):
        cursor = sql_db.db_connect(self.env.cr.dbname).cursor()
        self.cursors.append(cursor)
        return cursor

    def _cleanup(self):
        for cursor in self.cursors:
            cursor.rollback()
        cleanup = sql_db.db_connect(self.env.cr.dbname).cursor()
        env = api.Environment(cleanup, api.SUPERUSER_ID, {})
        inputs = env["survey.user_input"].search(
            [("cc_rule_id", "=", self.ids["rule"])]
        )
        env["mail.mail"].search(
            [("model", "=", "survey.user_input"), ("res_id", "in", inputs.ids)]
        ).unlink()
        inputs.unlink()
        env["contact_center.survey.rule"].browse(self.ids["rule"]).unlink()
        env["contact_center.survey.rule"].browse(self.reactivate).active = True
        env["contact_center.interaction"].browse(self.ids["calls"]).unlink()
        env["res.partner"].browse(self.ids["partners"]).unlink()
        cleanup.commit()
        cleanup.close()
        for cursor in self.cursors:
            cursor.close()

    def _env(self):
        return api.Environment(self._cursor(), api.SUPERUSER_ID, {})

    def _count(self, env):
        return env["survey.user_input"].search_count(
            [("cc_rule_id", "=", self.ids["rule"])]
        )

    def test_two_workers_at_once_invite_each_customer_once(self):
        first, second = self._env(), self._env()
        # the first worker plans and has not committed yet when the second
        # one runs: the second skips the rule rather than planning it again
        first["contact_center.survey.rule"]._cron_send_invitations(commit=False)
        second["contact_center.survey.rule"]._cron_send_invitations(commit=False)
        self.assertEqual(self._count(first), 30)
        self.assertEqual(self._count(second), 0)
        second.cr.commit()
        first.cr.commit()
        # the second worker's next run finds them all invited
        second["contact_center.survey.rule"]._cron_send_invitations(commit=False)
        second.cr.commit()
        check = self._env()
        self.assertEqual(self._count(check), 30)
        self.assertEqual(
            check["mail.mail"].search_count(
                [
                    ("model", "=", "survey.user_input"),
                    (
                        "res_id",
                        "in",
                        check["survey.user_input"]
                        .search([("cc_rule_id", "=", self.ids["rule"])])
                        .ids,
                    ),
                ]
            ),
            30,
        )

    def test_cron_run_twice_invites_once(self):
        env = self._env()
        Rule = env["contact_center.survey.rule"]
        Rule._cron_send_invitations(commit=True)
        # forget the scan: the second run looks at the same contacts again
        Rule.browse(self.ids["rule"]).scanned_until = False
        Rule._cron_send_invitations(commit=True)
        self.assertEqual(self._count(self._env()), 30)

    def test_two_invitations_for_one_contact_are_refused_by_the_database(self):
        env = self._env()
        env["contact_center.survey.rule"]._cron_send_invitations(commit=False)
        invitation = env["survey.user_input"].search(
            [("cc_rule_id", "=", self.ids["rule"])], limit=1
        )
        with (
            self.assertRaises(psycopg2.IntegrityError),
            mute_logger("odoo.sql_db"),
            env.cr.savepoint(),
        ):
            invitation.copy({"cc_trigger_key": invitation.cc_trigger_key})
            env.flush_all()

    def test_sending_batches_of_two_workers_are_disjoint(self):
        first, second = self._env(), self._env()
        rule = first["contact_center.survey.rule"].browse(self.ids["rule"])
        # plan only, then make them due
        planned = rule._plan()
        planned.write({"cc_send_at": fields.Datetime.now() - timedelta(minutes=1)})
        first.cr.commit()
        # the first worker locks the due invitations; the second one finds
        # none it may take
        sent_first = first["survey.user_input"]._cc_send_due()
        sent_second = second["survey.user_input"]._cc_send_due()
        self.assertEqual(len(sent_first), 30)
        self.assertFalse(sent_second)
