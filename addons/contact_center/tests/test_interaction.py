from datetime import timedelta

from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tools import mute_logger

from .common import T0, ContactCenterCase


class TestInteraction(ContactCenterCase):
    def test_call_lifecycle_sets_timestamps_and_durations(self):
        call = self._interaction()
        self.assertEqual(call.state, "queued")
        call.action_ring()
        call.action_answer(at=T0 + timedelta(seconds=20))
        call.write({"hold_seconds": 30})
        call.action_end(at=T0 + timedelta(seconds=320))
        self.assertEqual(call.state, "wrap_up")
        call.action_done(at=T0 + timedelta(seconds=380))
        self.assertEqual(call.state, "done")
        self.assertEqual(call.wait_seconds, 20)
        self.assertEqual(call.talk_seconds, 270)
        self.assertEqual(call.after_call_work_seconds, 60)
        self.assertEqual(call.handle_seconds, 360)

    def test_abandoned_call_records_wait_without_talk(self):
        call = self._interaction(agent_id=False)
        call.action_abandon(at=T0 + timedelta(seconds=95))
        self.assertEqual(call.state, "abandoned")
        self.assertEqual(call.wait_seconds, 95)
        self.assertEqual(call.talk_seconds, 0)

    def test_transition_that_skips_states_is_refused(self):
        call = self._interaction()
        with self.assertRaisesRegex(ValidationError, "cannot go from Queued to Done"):
            call.write({"state": "done"})
        self.assertEqual(call.state, "queued")

    def test_closed_interaction_cannot_reopen(self):
        call = self._interaction(
            answered_at=T0 + timedelta(seconds=5),
            ended_at=T0 + timedelta(seconds=60),
            state="done",
        )
        with self.assertRaisesRegex(ValidationError, "none \\(it is closed\\)"):
            call.write({"state": "in_progress"})

    def test_end_before_answer_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be before"):
            self._interaction(
                answered_at=T0 + timedelta(seconds=60),
                ended_at=T0 + timedelta(seconds=30),
            )

    def test_answer_before_queue_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be before"):
            self._interaction(answered_at=T0 - timedelta(seconds=1))

    def test_negative_hold_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self._interaction(
                answered_at=T0, ended_at=T0 + timedelta(seconds=60), hold_seconds=-5
            )

    def test_hold_longer_than_call_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot exceed"):
            self._interaction(
                answered_at=T0, ended_at=T0 + timedelta(seconds=60), hold_seconds=61
            )

    def test_unknown_channel_is_a_clear_validation_error(self):
        with self.assertRaisesRegex(ValidationError, "Unknown channel 'fax'"):
            self._interaction(channel="fax")
        call = self._interaction()
        with self.assertRaisesRegex(ValidationError, "Unknown direction"):
            call.write({"direction": "sideways"})

    def test_in_progress_needs_answer_time(self):
        with self.assertRaisesRegex(ValidationError, "time it was answered"):
            self._interaction(state="in_progress")

    def test_provider_external_id_is_unique(self):
        self._interaction(provider="pbx1", external_id="call-1")
        # another provider may reuse the id
        self._interaction(provider="pbx2", external_id="call-1")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self._interaction(provider="pbx1", external_id="call-1")

    def test_disposition_that_resolves_flags_interaction(self):
        call = self._interaction(
            answered_at=T0,
            disposition_id=self.env.ref("contact_center.disposition_resolved").id,
            state="in_progress",
        )
        call.action_done(at=T0 + timedelta(seconds=120))
        self.assertTrue(call.is_resolved)
        self.assertEqual(call.talk_seconds, 120)

    def test_phone_is_normalised_with_customer_country(self):
        self.customer.country_id = self.env.ref("base.be")
        call = self._interaction(phone="0470 12 34 56")
        self.assertEqual(call.phone_e164, "+32470123456")

    def test_generic_link_opens_related_record(self):
        lead = self.env["crm.lead"].create(
            {"name": "Upsell", "partner_id": self.customer.id}
        )
        call = self._interaction(res_model="crm.lead", res_id=lead.id)
        action = call.action_open_related()
        self.assertEqual((action["res_model"], action["res_id"]), ("crm.lead", lead.id))

    def test_partner_counters(self):
        now = self.env.cr.now().replace(tzinfo=None)
        self._interaction(queued_at=now - timedelta(days=2), channel="email")
        self._interaction(queued_at=now - timedelta(days=40))
        self._interaction(queued_at=now - timedelta(days=400))
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.cc_interaction_count_30d, 1)
        self.assertEqual(self.customer.cc_interaction_count_365d, 2)
        self.assertEqual(self.customer.cc_last_contact_channel, "email")
