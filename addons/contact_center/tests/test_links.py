"""Stored links are http(s) only; stored telephony events are read-only."""

import json
from datetime import datetime

from lxml import etree

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from ..tools import telephony
from ..tools.url import is_http_url
from .common import ContactCenterCase, TourCase

UNSAFE_URLS = [
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox",
    "//evil.example.com/rec.wav",
    "/web/content/1",
    "ftp://pbx/rec.wav",
    "https://pbx/rec\n.wav",
    "http://",
]
SAFE_URLS = ["https://pbx.example.com/rec/1.wav", "http://10.0.0.5:8088/rec?id=1"]


class TestUrlCheck(ContactCenterCase):
    def test_only_absolute_http_urls_are_safe(self):
        for url in UNSAFE_URLS:
            self.assertFalse(is_http_url(url), url)
        for url in SAFE_URLS:
            self.assertTrue(is_http_url(url), url)


class TestRecordingUrl(ContactCenterCase):
    def test_interaction_refuses_unsafe_recording_url(self):
        for url in UNSAFE_URLS:
            with self.assertRaises(ValidationError, msg=url):
                self._interaction(recording_url=url)
        interaction = self._interaction(recording_url=SAFE_URLS[0])
        for url in UNSAFE_URLS:
            with self.assertRaises(ValidationError, msg=url):
                interaction.write({"recording_url": url})
        self.assertEqual(interaction.recording_url, SAFE_URLS[0])

    def test_agent_cannot_store_unsafe_recording_url(self):
        interaction = self._interaction()
        with self.assertRaises(ValidationError):
            interaction.with_user(self.user_agent).write(
                {"recording_url": "javascript:alert(1)"}
            )

    def test_provider_refuses_unsafe_connector_url(self):
        Provider = self.env["contact_center.telephony.provider"]
        with self.assertRaises(ValidationError):
            Provider.create(
                {
                    "name": "Bad",
                    "code": "bad-url",
                    "connector": "generic",
                    "connector_url": "javascript:alert(1)",
                }
            )
        provider = Provider.create(
            {
                "name": "Good",
                "code": "good-url",
                "connector": "asterisk_ari",
                "connector_url": "http://pbx:8088/ari",
            }
        )
        with self.assertRaises(ValidationError):
            provider.connector_url = "file:///etc/passwd"


class TestTelephonyEventsReadOnly(ContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls.env["contact_center.telephony.provider"].create(
            {"name": "Links PBX", "code": "links-pbx", "default_team_id": cls.team.id}
        )

    def _raw_events(self, call, url):
        stamp = "2026-03-02T09:00:%02dZ"
        return [
            {"id": f"{call}-1", "call_id": call, "type": "queued", "at": stamp % 0},
            {
                "id": f"{call}-2",
                "call_id": call,
                "type": "recording",
                "at": stamp % 30,
                "url": url,
            },
            {
                "id": f"{call}-3",
                "call_id": call,
                "type": "ended",
                "at": stamp % 40,
                "cause": "abandoned",
            },
        ]

    def _ingest(self, call, url):
        self.provider._ingest_events({"events": self._raw_events(call, url)})
        return self.env["contact_center.telephony.event"].search(
            [("call_id", "=", call)]
        )

    def _stored(self, call, url, state="failed"):
        """Events stored as they were before links were checked on arrival."""
        valid = telephony.validate_events(
            {"events": self._raw_events(call, "https://pbx/placeholder.wav")}
        )
        Event = self.env["contact_center.telephony.event"]
        events = Event
        for event in valid:
            payload = json.loads(json.dumps(event, default=str))
            if payload.get("url"):
                payload["url"] = url
            events |= Event.create(
                {
                    "provider_id": self.provider.id,
                    "external_id": event["id"],
                    "call_id": call,
                    "event_type": event["type"],
                    "occurred_at": event["at"],
                    "payload": payload,
                    "state": state,
                    "error": "failed before" if state == "failed" else False,
                }
            )
        return events

    def _failed_event(self):
        payload = telephony.validate_events(
            {
                "events": [
                    {
                        "id": "failed-1",
                        "call_id": "call-failed",
                        "type": "queued",
                        "at": "2026-03-02T09:00:00Z",
                    }
                ]
            }
        )[0]
        return self.env["contact_center.telephony.event"].create(
            {
                "provider_id": self.provider.id,
                "external_id": "failed-1",
                "call_id": "call-failed",
                "event_type": "queued",
                "occurred_at": datetime(2026, 3, 2, 9, 0),
                "payload": json.loads(json.dumps(payload, default=str)),
                "state": "failed",
                "error": "the database was down",
            }
        )

    def test_processing_event_with_javascript_url_fails_and_stores_no_link(self):
        events = self._stored("js-call", "javascript:alert(document.cookie)", "pending")
        events._process()
        self.assertEqual(set(events.mapped("state")), {"failed"})
        self.assertIn("http", events[0].error)
        self.assertFalse(
            self.env["contact_center.interaction"].search(
                [("recording_url", "ilike", "javascript")]
            )
        )

    def test_retry_keeps_event_with_javascript_url_failed(self):
        events = self._stored("js-retry", "javascript:alert(1)")
        recording = events.filtered(lambda e: e.event_type == "recording")
        events.with_user(self.user_supervisor).action_retry()
        self.assertEqual(set(events.mapped("state")), {"failed"})
        self.assertIn("not an http:// or https:// address", recording.error)
        self.assertFalse(
            self.env["contact_center.interaction"].search(
                [("recording_url", "ilike", "javascript")]
            )
        )

    def test_retry_with_https_url_succeeds(self):
        events = self._stored("https-retry", SAFE_URLS[0])
        events.with_user(self.user_supervisor).action_retry()
        self.assertEqual(set(events.mapped("state")), {"done"})
        self.assertEqual(events.interaction_id.recording_url, SAFE_URLS[0])

    def test_event_with_https_url_sets_the_recording(self):
        events = self._ingest("ok-call", SAFE_URLS[0])
        self.assertEqual(set(events.mapped("state")), {"done"})
        self.assertEqual(events.interaction_id.recording_url, SAFE_URLS[0])

    def test_supervisor_reads_what_the_pbx_sent(self):
        """The read-only event form names the event and shows its payload."""
        event = self._failed_event().with_user(self.user_supervisor)
        self.assertEqual(event.display_name, "queued · call-failed")
        self.assertIn('"call_id": "call-failed"', event.payload_text)
        arch = event.get_view(view_type="form")["arch"]
        self.assertIn('name="payload_text"', arch)

    def test_events_are_read_only_for_every_group(self):
        event = self._failed_event()
        for user in (self.user_supervisor, self.user_manager):
            as_user = event.with_user(user)
            as_user.read(["state", "payload"])  # reading is their job
            with self.assertRaises(AccessError, msg=user.login):
                as_user.write({"state": "done"})
            with self.assertRaises(AccessError, msg=user.login):
                as_user.write({"payload": {"url": "javascript:alert(1)"}})
            with self.assertRaises(AccessError, msg=user.login):
                as_user.unlink()
            with self.assertRaises(AccessError, msg=user.login):
                self.env["contact_center.telephony.event"].with_user(user).create(
                    {
                        "provider_id": self.provider.id,
                        "external_id": f"forged-{user.id}",
                        "call_id": "forged",
                        "event_type": "queued",
                        "occurred_at": datetime(2026, 3, 2, 9, 0),
                        "payload": {},
                    }
                )
        for user in (self.user_agent, self.user_employee):
            with self.assertRaises(AccessError, msg=user.login):
                event.with_user(user).read(["state"])
        self.assertEqual(event.state, "failed")

    def test_supervisor_retries_failed_event(self):
        event = self._failed_event()
        event.with_user(self.user_supervisor).action_retry()
        self.assertEqual(event.state, "done")
        self.assertTrue(event.interaction_id)

    def test_agent_cannot_retry(self):
        event = self._failed_event()
        with self.assertRaises(AccessError):
            event.with_user(self.user_agent).action_retry()
        self.assertEqual(event.state, "failed")

    def test_event_views_allow_no_edit(self):
        Event = self.env["contact_center.telephony.event"].with_user(self.user_manager)
        views = Event.get_views([(False, "list"), (False, "form")])["views"]
        for view_type in ("list", "form"):
            arch = etree.fromstring(views[view_type]["arch"])
            for attribute in ("create", "edit", "delete"):
                self.assertEqual(
                    arch.get(attribute), "0", f"{view_type} view: {attribute}"
                )


@tagged("post_install", "-at_install")
class TestTimelineLinksTour(TourCase):
    def test_timeline_renders_only_http_recording_links(self):
        partner = self.env["res.partner"].create({"name": "Links Customer"})
        Interaction = self.env["contact_center.interaction"]
        secure, legacy = Interaction.create(
            [
                {
                    "name": name,
                    "channel": "phone",
                    "partner_id": partner.id,
                    "queued_at": datetime(2026, 1, 5, 9 + hour, 0),
                    "recording_url": "https://pbx.example.com/rec/1.wav",
                }
                for hour, name in enumerate(("Secure recording", "Legacy recording"))
            ]
        )
        # a link stored before the server checked links (or by hand in SQL)
        legacy.flush_recordset()
        self.env.cr.execute(
            "UPDATE contact_center_interaction SET recording_url = %s WHERE id = %s",
            ("javascript:alert(document.cookie)", legacy.id),
        )
        self.start_tour(
            f"/odoo/action-base.action_partner_form/{partner.id}",
            "contact_center_timeline_links_tour",
            login="admin",
        )
        self.assertTrue(secure.exists())
