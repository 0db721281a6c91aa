"""The disposition set of a campaign and what each disposition does; consent
for autodialed mobiles."""

import base64
import importlib.util
from datetime import datetime
from pathlib import Path

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

# Monday 2 March 2026, 15:00 UTC: 10:00 in New York
NOW = datetime(2026, 3, 2, 15, 0)
MIGRATION = (
    Path(__file__).parent.parent / "migrations" / "18.0.0.3.0" / "post-migrate.py"
)


def _load_migration():
    spec = importlib.util.spec_from_file_location("cc_dialer_mig_0030", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestCampaignOutcomes(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.user_ann = new_test_user(
            cls.env, "outc_ann", groups="contact_center.group_contact_center_agent"
        )
        cls.user_sup = new_test_user(
            cls.env,
            "outc_sup",
            groups="contact_center.group_contact_center_supervisor",
        )
        cls.ann = cls.env["contact_center.agent"].create({"user_id": cls.user_ann.id})
        cls.team = cls.env["contact_center.team"].create(
            {
                "name": "Outbound",
                "member_ids": [Command.link(cls.ann.id)],
                "supervisor_ids": [Command.link(cls.user_sup.id)],
            }
        )
        # automatic modes dial through a PBX; these tests hand contacts out
        # and never reach it
        cls.provider = cls.env["contact_center.telephony.provider"].create(
            {
                "name": "Test PBX",
                "code": "outcpbx",
                "connector": "generic",
                "connector_url": "http://127.0.0.1:9/",
            }
        )
        cls.campaign = cls._campaign("Renewals")
        cls.contact_model = cls.env["ir.model"]._get_id(
            "contact_center.campaign.contact"
        )

    @classmethod
    def _campaign(cls, name, **values):
        campaign = cls.env["contact_center.campaign"].create(
            {
                "name": name,
                "team_id": cls.team.id,
                "agent_ids": [Command.link(cls.ann.id)],
                **values,
            }
        )
        campaign.action_start()
        return campaign

    def _contact(self, *numbers, campaign=None, **values):
        """A contact with ``numbers`` as (E.164, kind[, consent]) in order."""
        return self.env["contact_center.campaign.contact"].create(
            {
                "campaign_id": (campaign or self.campaign).id,
                "name": "Rosa Parks",
                "tz": "America/New_York",
                "number_ids": [
                    Command.create(
                        {
                            "phone_e164": number[0],
                            "kind": number[1],
                            "has_consent": number[2] if len(number) > 2 else False,
                            "sequence": index,
                        }
                    )
                    for index, number in enumerate(numbers)
                ],
                **values,
            }
        )

    def _line(self, outcome, campaign=None):
        return (campaign or self.campaign).outcome_ids.filtered(
            lambda line: line.outcome == outcome
        )

    def _call(self, campaign=None):
        campaign = campaign or self.campaign
        return campaign._take_next_contact(self.ann)

    # ------------------------------------------------------------------
    # The disposition set
    # ------------------------------------------------------------------
    def test_new_campaign_gets_one_offered_line_per_outcome(self):
        lines = self.campaign.outcome_ids
        self.assertEqual(
            sorted(lines.mapped("outcome")),
            sorted(
                [
                    "interested",
                    "sale",
                    "not_interested",
                    "wrong_person",
                    "no_answer",
                    "busy",
                    "voicemail",
                    "failed",
                    "wrong_number",
                    "do_not_call",
                    "callback",
                ]
            ),
        )
        self.assertTrue(all(lines.mapped("active")))
        self.assertEqual(self._line("sale").label, "Sale")
        self.assertEqual(self._line("failed").label, "Call Failed")

    def test_hidden_outcome_is_not_offered_in_the_panel(self):
        self._line("sale").active = False
        outcomes = (
            self.env["contact_center.dialer.panel"]
            .with_user(self.user_ann)
            .get_state(self.campaign.id)["outcomes"]
        )
        codes = [o["code"] for o in outcomes]
        self.assertNotIn("sale", codes)
        self.assertEqual(len(outcomes), 10)
        keys = {o["code"]: o["key"] for o in outcomes}
        # the other buttons keep their keys
        self.assertEqual(keys["interested"], "4")
        self.assertEqual(keys["not_interested"], "6")
        # still listed on the campaign, to be offered again
        self.assertIn("sale", self.campaign.outcome_ids.mapped("outcome"))

    def test_renamed_outcome_shows_its_label_in_the_panel(self):
        self._line("interested").label = "Wants a demo"
        outcomes = (
            self.env["contact_center.dialer.panel"]
            .with_user(self.user_ann)
            .get_state(self.campaign.id)["outcomes"]
        )
        labels = {o["code"]: o["label"] for o in outcomes}
        self.assertEqual(labels["interested"], "Wants a demo")

    def test_agents_read_outcome_lines_and_supervisors_edit_them(self):
        line = self._line("sale")
        self.assertEqual(line.with_user(self.user_ann).label, "Sale")
        with self.assertRaises(AccessError):
            line.with_user(self.user_ann).write({"active": False})
        line.with_user(self.user_sup).write({"active": False})
        self.assertFalse(line.active)

    # ------------------------------------------------------------------
    # Next number
    # ------------------------------------------------------------------
    def test_no_answer_with_next_number_calls_the_second_number_at_once(self):
        self._line("no_answer").next_number = True
        contact = self._contact(("+12125550101", "mobile"), ("+12125550102", "work"))
        self.assertEqual(self._call(), contact)
        self.assertEqual(contact.number_id.phone_e164, "+12125550101")
        contact._record_outcome("no_answer")
        self.assertEqual(contact.state, "retry")
        self.assertEqual(contact.next_attempt_at, NOW)
        self.assertEqual(self._call(), contact)
        self.assertEqual(contact.number_id.phone_e164, "+12125550102")

    def test_no_answer_without_next_number_waits_the_retry_delay(self):
        contact = self._contact(("+12125550101", "mobile"), ("+12125550102", "work"))
        self._call()
        contact._record_outcome("no_answer")
        # the campaign's default retry after no answer: 120 minutes
        self.assertEqual(contact.next_attempt_at, datetime(2026, 3, 2, 17, 0))
        self.assertFalse(self._call())

    def test_next_number_on_the_last_number_waits_the_retry_delay(self):
        self._line("no_answer").next_number = True
        contact = self._contact(("+12125550101", "mobile"), ("+12125550102", "work"))
        self._call()
        contact._record_outcome("no_answer")
        self._call()
        contact._record_outcome("no_answer")
        self.assertEqual(contact.next_attempt_at, datetime(2026, 3, 2, 17, 0))
        with freeze_time(datetime(2026, 3, 2, 17, 0)):
            self.assertEqual(self._call(), contact)
            # a new round starts with the first number
            self.assertEqual(contact.number_id.phone_e164, "+12125550101")

    # ------------------------------------------------------------------
    # Email and SMS
    # ------------------------------------------------------------------
    def test_outcome_sends_its_email_and_sms_to_the_contact(self):
        mail_template = self.env["mail.template"].create(
            {
                "name": "Thanks",
                "model_id": self.contact_model,
                "subject": "Thank you",
                "body_html": '<p>Dear <t t-out="object.name"/>, thank you.</p>',
            }
        )
        sms_template = self.env["sms.template"].create(
            {
                "name": "Thanks SMS",
                "model_id": self.contact_model,
                "body": "Thank you {{ object.name }}",
            }
        )
        self._line("interested").write(
            {"mail_template_id": mail_template.id, "sms_template_id": sms_template.id}
        )
        contact = self._contact(("+12125550101", "mobile"), email="rosa@example.com")
        self._call()
        contact.with_user(self.user_ann)._record_outcome("interested")
        mail = self.env["mail.mail"].search([("subject", "=", "Thank you")])
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.email_to, '"Rosa Parks" <rosa@example.com>')
        self.assertIn("Dear Rosa Parks, thank you.", mail.body_html)
        sms = self.env["sms.sms"].search([("body", "=", "Thank you Rosa Parks")])
        self.assertEqual(len(sms), 1)
        self.assertEqual(sms.number, "+12125550101")
        self.assertEqual(sms.state, "outgoing")

    def test_other_outcomes_get_no_message_and_no_email_means_no_mail(self):
        mail_template = self.env["mail.template"].create(
            {
                "name": "Thanks",
                "model_id": self.contact_model,
                "subject": "Thank you",
                "body_html": "<p>Thanks</p>",
            }
        )
        sms_template = self.env["sms.template"].create(
            {"name": "Thanks SMS", "model_id": self.contact_model, "body": "Thanks"}
        )
        self._line("interested").write(
            {"mail_template_id": mail_template.id, "sms_template_id": sms_template.id}
        )
        other = self._contact(("+12125550101", "mobile"), email="rosa@example.com")
        self._call()
        other._record_outcome("not_interested")
        no_email = self._contact(("+12125550102", "work"))
        self._call()
        no_email._record_outcome("interested")
        self.assertEqual(no_email.state, "done")
        self.assertFalse(self.env["mail.mail"].search([("subject", "=", "Thank you")]))
        # the SMS went to the number called after "interested" only
        self.assertEqual(
            self.env["sms.sms"].search([("body", "=", "Thanks")]).mapped("number"),
            ["+12125550102"],
        )

    # ------------------------------------------------------------------
    # Consent for autodialed mobiles
    # ------------------------------------------------------------------
    def test_power_campaign_skips_mobile_without_consent_and_calls_landline(self):
        power = self._campaign(
            "Power",
            dialer_mode="power",
            requires_consent=True,
            provider_id=self.provider.id,
        )
        contact = self._contact(
            ("+12125550101", "mobile"), ("+12125550102", "home"), campaign=power
        )
        self.assertEqual(self._call(power), contact)
        self.assertEqual(contact.number_id.phone_e164, "+12125550102")
        block = self.env["contact_center.campaign.block"].search(
            [("contact_id", "=", contact.id)]
        )
        self.assertEqual(block.reason, "consent")
        self.assertEqual(block.number_id.phone_e164, "+12125550101")
        # skipped, not archived: it may still be called by hand
        self.assertTrue(block.number_id.active)

    def test_power_campaign_calls_mobile_with_consent(self):
        power = self._campaign(
            "Power",
            dialer_mode="power",
            requires_consent=True,
            provider_id=self.provider.id,
        )
        contact = self._contact(("+12125550101", "mobile", True), campaign=power)
        self._call(power)
        self.assertEqual(contact.number_id.phone_e164, "+12125550101")

    def test_contact_with_only_mobiles_without_consent_waits_until_tomorrow(self):
        power = self._campaign(
            "Power",
            dialer_mode="power",
            requires_consent=True,
            provider_id=self.provider.id,
        )
        contact = self._contact(("+12125550101", "mobile"), campaign=power)
        self.assertFalse(self._call(power))
        self.assertEqual(contact.state, "pending")
        self.assertEqual(contact.next_attempt_at, datetime(2026, 3, 3, 0, 0))
        self.assertEqual(
            self.env["contact_center.campaign.block"].search_count(
                [("contact_id", "=", contact.id), ("reason", "=", "consent")]
            ),
            1,
        )

    def test_preview_campaign_still_offers_the_mobile_without_consent(self):
        preview = self._campaign("Preview", requires_consent=True)
        contact = self._contact(
            ("+12125550101", "mobile"), ("+12125550102", "home"), campaign=preview
        )
        self._call(preview)
        self.assertEqual(contact.number_id.phone_e164, "+12125550101")
        self.assertFalse(
            self.env["contact_center.campaign.block"].search(
                [("contact_id", "=", contact.id)]
            )
        )

    def test_import_reads_the_consent_column_for_mobiles(self):
        data = (
            b"name,mobile,phone,consent\n"
            b"Ann,+12125550111,+12125550112,yes\n"
            b"Bob,+12125550121,,0\n"
            b"Cid,+12125550131,,TRUE\n"
        )
        campaign = self._campaign("Imported")
        campaign._import_contacts(data, "list.csv")
        consent = {
            number.phone_e164: number.has_consent
            for number in campaign.contact_ids.number_ids
        }
        self.assertEqual(
            consent,
            {
                "+12125550111": True,
                # consent is for autodialed mobiles: a landline carries none
                "+12125550112": False,
                "+12125550121": False,
                "+12125550131": True,
            },
        )

    def test_import_wizard_recognises_the_consent_column(self):
        wizard = self.env["contact_center.campaign.import"].create(
            {
                "campaign_id": self.campaign.id,
                "file": base64.b64encode(b"name,mobile,consent\nAnn,+12125550111,y\n"),
                "filename": "list.csv",
            }
        )
        wizard.action_read_columns()
        held = {column.header: column.field for column in wizard.column_ids}
        self.assertEqual(held["consent"], "consent")

    # ------------------------------------------------------------------
    # Migration
    # ------------------------------------------------------------------
    def test_migration_gives_existing_campaign_its_outcome_lines(self):
        self.campaign.outcome_ids.unlink()
        self.assertFalse(self.campaign.outcome_ids)
        _load_migration().migrate(self.env.cr, "18.0.0.2.0")
        self.campaign.invalidate_recordset(["outcome_ids"])
        self.assertEqual(len(self.campaign.outcome_ids), 11)
        self.assertEqual(self._line("busy").label, "Busy")
        # run twice (a second upgrade): nothing added
        _load_migration().migrate(self.env.cr, "18.0.0.2.0")
        self.campaign.invalidate_recordset(["outcome_ids"])
        self.assertEqual(len(self.campaign.outcome_ids), 11)
