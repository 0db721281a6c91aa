"""The telephony API over real HTTP: signatures, payloads, call event sequences."""

import json
import time
from datetime import datetime, timedelta

from freezegun import freeze_time
from psycopg2.errors import LockNotAvailable

from odoo import Command, sql_db
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from ..models.contact_center_telephony_event import CALL_LOCK_NAMESPACE
from ..tools import telephony

SECRET = "test-secret-of-the-pbx"
AUTH_FAILED = "unknown provider or signature does not match"
DID = "+3222001100"
T0 = datetime(2026, 3, 2, 9, 0, 0)


def at(seconds):
    """Event time ``seconds`` after T0, as the PBX writes it (ISO 8601, UTC)."""
    return (T0 + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


class TelephonySetup:
    @classmethod
    def _setup_telephony(cls):
        env = cls.env
        cls.team = env["contact_center.team"].create(
            {"name": "Phone Desk", "resource_calendar_id": False}
        )
        users = [
            new_test_user(
                env, f"cc_phone_{n}", groups="contact_center.group_contact_center_agent"
            )
            for n in ("ann", "bob")
        ]
        cls.ann, cls.bob = env["contact_center.agent"].create(
            [
                {
                    "user_id": user.id,
                    "extension": ext,
                    "team_ids": [Command.link(cls.team.id)],
                }
                for user, ext in zip(users, ("201", "202"), strict=True)
            ]
        )
        (cls.ann | cls.bob)._set_presence("available")
        cls.provider = env["contact_center.telephony.provider"].create(
            {
                "name": "Test PBX",
                "code": "test-pbx",
                "secret": SECRET,
                "default_team_id": cls.team.id,
                "did_ids": [Command.create({"number": DID, "team_id": cls.team.id})],
            }
        )
        cls.customer = env["res.partner"].create(
            {"name": "Carla Caller", "phone": "+32470111222"}
        )

    def _interaction(self, call_id):
        return self.env["contact_center.interaction"].search(
            [("provider", "=", "test-pbx"), ("external_id", "=", call_id)]
        )


@tagged("post_install", "-at_install")
class TestTelephonyHttp(TelephonySetup, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_telephony()

    def _post(self, path, payload, secret=SECRET, timestamp=None, raw=None):
        body = raw if raw is not None else json.dumps(payload).encode()
        stamp = int(time.time()) if timestamp is None else timestamp
        headers = {
            "Content-Type": "application/json",
            "X-CC-Provider": "test-pbx",
            "X-CC-Timestamp": str(stamp),
            "X-CC-Signature": telephony.sign(secret, stamp, body),
        }
        return self._send(path, body, headers)

    def _send(self, path, body, headers):
        response = self.url_open(
            f"/contact_center/telephony/v1/{path}", data=body, headers=headers
        )
        return response.status_code, response.json()

    def _events(self, *events):
        status, answer = self._post("events", {"events": list(events)})
        self.assertEqual(status, 200, answer)
        return answer

    def _event(self, event_id, kind, seconds, call="c1", **extra):
        return {
            "id": event_id,
            "call_id": call,
            "type": kind,
            "at": at(seconds),
            "caller": "+32470111222",
            "called": DID,
            **extra,
        }

    # -- signatures ---------------------------------------------------------
    def test_signed_request_is_answered(self):
        status, answer = self._post(
            "route", {"call_id": "r1", "caller": "+32470111222", "called": DID}
        )
        self.assertEqual(status, 200)
        self.assertEqual(answer["action"], "agent")
        self.assertIn(answer["target"], ("201", "202"))
        self.assertEqual(answer["customer"]["name"], "Carla Caller")

    def test_forged_missing_stale_and_replayed_requests_are_refused(self):
        Event = self.env["contact_center.telephony.event"]
        event = {"events": [self._event("e1", "ringing", 0, agent="201")]}
        body = json.dumps(event).encode()
        # forged: signed with another secret
        status, answer = self._post("events", event, secret="guess")
        self.assertEqual((status, answer["error"]), (401, AUTH_FAILED))
        # missing signature
        status, _answer = self._send(
            "events",
            body,
            {"Content-Type": "application/json", "X-CC-Provider": "test-pbx"},
        )
        self.assertEqual(status, 401)
        # unknown provider
        stamp = int(time.time())
        status, _answer = self._send(
            "events",
            body,
            {
                "X-CC-Provider": "nobody",
                "X-CC-Timestamp": str(stamp),
                "X-CC-Signature": telephony.sign(SECRET, stamp, body),
            },
        )
        self.assertEqual(status, 401)
        # stale: signed ten minutes ago
        status, answer = self._post("events", event, timestamp=int(time.time()) - 600)
        self.assertEqual(status, 401)
        self.assertIn("too old", answer["error"])
        self.assertFalse(Event.search([("provider_id", "=", self.provider.id)]))
        # a valid route request is answered once; the same request again is a
        # replay
        call = {"call_id": "rp1", "caller": "+32470111222", "called": DID}
        stamp = int(time.time())
        self.assertEqual(self._post("route", call, timestamp=stamp)[0], 200)
        status, answer = self._post("route", call, timestamp=stamp)
        self.assertEqual((status, answer["error"]), (401, "replayed request"))

    def test_new_secret_applies_to_the_next_request(self):
        call = {"call_id": "s1", "caller": "+32470111222", "called": DID}
        self.assertEqual(self._post("route", call)[0], 200)
        self.provider.secret = "rotated-secret-of-the-pbx"
        status, answer = self._post("route", dict(call, call_id="s2"))
        self.assertEqual((status, answer["error"]), (401, AUTH_FAILED))
        status, _answer = self._post(
            "route", dict(call, call_id="s3"), secret="rotated-secret-of-the-pbx"
        )
        self.assertEqual(status, 200)
        self.provider.active = False
        status, answer = self._post(
            "route", dict(call, call_id="s4"), secret="rotated-secret-of-the-pbx"
        )
        self.assertEqual((status, answer["error"]), (401, AUTH_FAILED))

    def _send_as(self, code, path, body, secret=SECRET):
        stamp = int(time.time())
        return self._send(
            path,
            body,
            {
                "Content-Type": "application/json",
                "X-CC-Provider": code,
                "X-CC-Timestamp": str(stamp),
                "X-CC-Signature": telephony.sign(secret, stamp, body),
            },
        )

    def test_unknown_provider_and_bad_signature_get_the_same_answer(self):
        body = json.dumps({"events": [self._event("u1", "ringing", 0)]}).encode()
        unknown = self._send_as("no-such-pbx", "events", body)
        forged = self._send_as("test-pbx", "events", body, secret="guess")
        self.assertEqual(unknown, forged)
        self.assertEqual(unknown, (401, {"error": AUTH_FAILED}))

    def _credential_cache_codes(self):
        """Provider codes that have an entry in the registry's default cache."""
        cache = self.registry._Registry__caches["default"]
        return {
            key[2]
            for key in list(cache)
            if key[0] == "contact_center.telephony.provider" and len(key) == 3
        }

    def test_unknown_provider_codes_cost_no_cache_entry(self):
        body = json.dumps({"events": [self._event("ce1", "queued", 0)]}).encode()
        codes = [f"forged-{n}" for n in range(20)]
        for code in codes:
            self.assertEqual(self._send_as(code, "events", body)[0], 401)
        self.assertFalse(set(codes) & self._credential_cache_codes())
        # a known provider's credentials are cached: one entry, reused
        self.assertEqual(self._send_as("test-pbx", "events", body)[0], 200)
        self.assertIn("test-pbx", self._credential_cache_codes())

    def test_retransmitted_events_request_reports_duplicates(self):
        Event = self.env["contact_center.telephony.event"]
        events = [
            self._event("rt1", "queued", 0, call="rt"),
            self._event("rt2", "ringing", 2, call="rt", agent="201"),
        ]
        body = json.dumps({"events": events}).encode()
        stamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "X-CC-Provider": "test-pbx",
            "X-CC-Timestamp": str(stamp),
            "X-CC-Signature": telephony.sign(SECRET, stamp, body),
        }
        status, first = self._send("events", body, headers)
        self.assertEqual(status, 200, first)
        self.assertEqual(first["accepted"], 2)
        # the PBX lost the answer and sends the very same bytes again
        status, again = self._send("events", body, headers)
        self.assertEqual(status, 200, again)
        self.assertEqual(
            (again["accepted"], again["duplicates"], again["failed"]), (0, 2, 0)
        )
        self.assertEqual(
            [(e["id"], e["status"]) for e in again["events"]],
            [("rt1", "duplicate"), ("rt2", "duplicate")],
        )
        self.assertEqual(len(Event.search([("call_id", "=", "rt")])), 2)

    def test_malformed_requests_name_the_field(self):
        status, answer = self._post("events", None, raw=b"{not json")
        self.assertEqual(status, 400)
        self.assertIn("malformed JSON", answer["error"])
        cases = [
            ({"events": [{"id": "x", "call_id": "c", "at": 0}]}, "events[0].type"),
            (
                {"events": [{"id": "x", "call_id": "c", "type": "boom", "at": 0}]},
                "events[0].type",
            ),
            (
                {"events": [{"id": "x", "call_id": "c", "type": "ended"}]},
                "events[0].at",
            ),
            (
                {
                    "events": [
                        {"id": "x", "call_id": "c", "type": "ended", "at": "soon"}
                    ]
                },
                "events[0].at",
            ),
            ({"id": "x", "type": "ended", "at": 0}, "call_id"),
            ({"caller": "+32470111222"}, "call_id"),
            (
                {
                    "events": [
                        {"id": "x", "call_id": "c", "type": "ended", "at": 0},
                        {
                            "id": "y",
                            "call_id": "c",
                            "type": "recording",
                            "at": 1,
                            "url": "javascript:alert(document.cookie)",
                        },
                    ]
                },
                "events[1].url",
            ),
        ]
        for payload, field_name in cases:
            with self.subTest(field=field_name):
                path = "route" if "caller" in payload else "events"
                status, answer = self._post(path, payload)
                self.assertEqual(status, 400, answer)
                self.assertEqual(answer["field"], field_name)
        self.assertFalse(
            self.env["contact_center.telephony.event"].search(
                [("provider_id", "=", self.provider.id)]
            )
        )

    # -- call sequences -------------------------------------------------------
    def _normal_call(self, call="c1"):
        return [
            self._event(f"{call}-1", "ringing", 0, call=call, agent="201"),
            self._event(f"{call}-2", "answered", 12, call=call, agent="201"),
            self._event(f"{call}-3", "hold", 40, call=call),
            self._event(f"{call}-4", "unhold", 70, call=call),
            self._event(f"{call}-5", "ended", 132, call=call, cause="hangup"),
            self._event(
                f"{call}-6", "recording", 140, call=call, url="https://pbx/rec/1.wav"
            ),
        ]

    def _assert_normal_call(self, interaction):
        self.assertEqual(interaction.state, "wrap_up")
        self.assertEqual(interaction.agent_id, self.ann)
        self.assertEqual(interaction.partner_id, self.customer)
        self.assertEqual(interaction.team_id, self.team)
        self.assertEqual(
            (
                interaction.wait_seconds,
                interaction.talk_seconds,
                interaction.hold_seconds,
            ),
            (12, 90, 30),
        )
        self.assertEqual(interaction.recording_url, "https://pbx/rec/1.wav")

    def test_normal_call_and_presence(self):
        events = self._normal_call()
        self._events(events[0])
        interaction = self._interaction("c1")
        self.assertEqual(interaction.state, "ringing")
        self.assertEqual(self.ann.presence, "available", "ringing keeps the agent free")
        self._events(events[1])
        self.assertEqual(interaction.state, "in_progress")
        self.assertEqual(self.ann.presence, "busy")
        answer = self._events(*events[2:])
        self.assertEqual(answer["accepted"], 4)
        self._assert_normal_call(interaction)
        self.assertEqual(self.ann.presence, "wrap_up")
        interaction._cc_finish_wrap_up()
        self.assertEqual(interaction.state, "done")
        self.assertEqual(self.ann.presence, "available")

    def test_reordered_and_duplicated_events_give_the_same_call(self):
        events = self._normal_call("c2")
        # ended first, the rest backwards, then everything again
        answer = self._events(*reversed(events))
        self.assertEqual(answer["accepted"], 6)
        answer = self._events(*events)
        self.assertEqual((answer["accepted"], answer["duplicates"]), (0, 6))
        self._assert_normal_call(self._interaction("c2"))
        self.assertEqual(self.ann.presence, "wrap_up")
        # ended alone first: the call looks abandoned until the answer arrives
        self._events(events[4])
        self.assertEqual(self._interaction("c2").state, "wrap_up")
        self._events(self._event("c3-5", "ended", 132, call="c3", cause="hangup"))
        self.assertEqual(self._interaction("c3").state, "abandoned")
        self._events(self._event("c3-2", "answered", 12, call="c3", agent="202"))
        call = self._interaction("c3")
        self.assertEqual((call.state, call.talk_seconds), ("wrap_up", 120))

    def test_abandoned_in_queue(self):
        self._events(
            self._event("a1", "queued", 0, call="q1"),
            self._event("a2", "ended", 45, call="q1", cause="abandoned"),
        )
        call = self._interaction("q1")
        self.assertEqual(call.state, "abandoned")
        self.assertEqual((call.wait_seconds, call.talk_seconds), (45, 0))
        self.assertFalse(call.agent_id)
        self.assertEqual(self.ann.presence, "available")

    def test_transferred_call_gives_one_leg_per_agent(self):
        events = [
            self._event("t1", "ringing", 0, call="x1", agent="201"),
            self._event("t2", "answered", 10, call="x1", agent="201"),
            self._event("t3", "transferred", 60, call="x1", to="202"),
            self._event("t4", "ended", 200, call="x1", cause="hangup"),
        ]
        self._events(*events, events[2])  # the transfer twice in one request
        first, second = self._interaction("x1"), self._interaction("x1/2")
        self.assertTrue(first.is_transferred)
        self.assertEqual((first.agent_id, first.talk_seconds), (self.ann, 50))
        self.assertEqual((second.agent_id, second.talk_seconds), (self.bob, 140))
        self.assertEqual(first.state, "wrap_up")
        self.assertEqual(second.state, "wrap_up")
        self.assertEqual(self.bob.presence, "wrap_up")

    def test_out_of_order_abandon_transfer_and_missed(self):
        # abandoned in queue, the end first and the queue event sent twice
        queued = self._event("oa1", "queued", 0, call="oq")
        ended = self._event("oa2", "ended", 30, call="oq", cause="abandoned")
        answer = self._events(ended, queued, queued)
        self.assertEqual((answer["accepted"], answer["duplicates"]), (2, 1))
        call = self._interaction("oq")
        self.assertEqual((call.state, call.wait_seconds), ("abandoned", 30))
        # a transfer arriving backwards, then all of it again
        events = [
            self._event("ot1", "ringing", 0, call="ox", agent="201"),
            self._event("ot2", "answered", 5, call="ox", agent="201"),
            self._event("ot3", "transferred", 65, call="ox", to="202"),
            self._event("ot4", "ended", 125, call="ox", cause="hangup"),
        ]
        self._events(*reversed(events))
        self._events(*events)
        first, second = self._interaction("ox"), self._interaction("ox/2")
        self.assertEqual((first.agent_id, first.talk_seconds), (self.ann, 60))
        self.assertTrue(first.is_transferred)
        self.assertEqual((second.agent_id, second.talk_seconds), (self.bob, 60))
        # rang but nobody picked up: missed, the agent stays free
        self._events(
            self._event("om2", "ended", 20, call="om", cause="no_answer"),
            self._event("om1", "ringing", 0, call="om", agent="201"),
        )
        self.assertEqual(self._interaction("om").state, "missed")
        self.assertEqual(self.ann.presence, "wrap_up")  # from the transfer above
        self.assertEqual(self.bob.presence, "wrap_up")

    def test_unknown_caller_keeps_the_number(self):
        self._events(
            {
                "id": "u1",
                "call_id": "u1",
                "type": "ringing",
                "at": at(0),
                "caller": "+32499887766",
                "called": DID,
                "agent": "201",
            }
        )
        call = self._interaction("u1")
        self.assertFalse(call.partner_id)
        self.assertEqual(call.phone_e164, "+32499887766")

    def test_failed_event_is_kept_and_retried(self):
        other_company = self.env["res.company"].create({"name": "Elsewhere"})
        stray = self.env["contact_center.team"].create(
            {
                "name": "Stray",
                "company_id": other_company.id,
                "resource_calendar_id": False,
            }
        )
        # a number sent to another company's team, as stored before numbers
        # were checked against their provider's company: the call fails
        self._set_did_team_sql(self.provider.did_ids, stray)
        answer = self._events(self._event("f1", "ringing", 0, call="f1", agent="201"))
        self.assertEqual(answer["failed"], 1)
        event = self.env["contact_center.telephony.event"].search(
            [("external_id", "=", "f1")]
        )
        self.assertEqual(event.state, "failed")
        self.assertTrue(event.error)
        self.assertFalse(self._interaction("f1"))
        self.provider.did_ids.team_id = self.team  # fixed
        event.action_retry()
        self.assertEqual(event.state, "done")
        self.assertEqual(self._interaction("f1").team_id, self.team)

    def _set_did_team_sql(self, dids, team):
        """Point numbers to ``team`` bypassing the company check (old data)."""
        dids.flush_recordset()
        self.env.cr.execute(
            "UPDATE contact_center_telephony_did SET team_id = %s WHERE id = ANY(%s)",
            (team.id, dids.ids),
        )
        self.env.invalidate_all()
        self.env.registry.clear_cache()

    def test_failing_call_does_not_stop_the_others_of_its_request(self):
        other_company = self.env["res.company"].create({"name": "Elsewhere"})
        stray = self.env["contact_center.team"].create(
            {
                "name": "Stray",
                "company_id": other_company.id,
                "resource_calendar_id": False,
            }
        )
        self.provider.did_ids = [
            Command.create({"number": "+3222001199", "team_id": self.team.id})
        ]
        self._set_did_team_sql(
            self.provider.did_ids.filtered(lambda d: d.number == "+3222001199"), stray
        )
        bad = self._event("g2", "ringing", 1, call="g2", agent="202")
        bad["called"] = "+3222001199"
        answer = self._events(
            self._event("g1", "ringing", 0, call="g1", agent="201"),
            bad,
            self._event("g3", "answered", 5, call="g1", agent="201"),
        )
        self.assertEqual((answer["accepted"], answer["failed"]), (2, 1))
        statuses = {e["id"]: e["status"] for e in answer["events"]}
        self.assertEqual(statuses, {"g1": "done", "g2": "failed", "g3": "done"})
        self.assertEqual(self._interaction("g1").state, "in_progress")
        self.assertEqual(self.ann.presence, "busy")
        self.assertFalse(self._interaction("g2"))


class TestWrapUpEndsByItself(TelephonySetup, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_telephony()
        cls.team.wrap_up_seconds = 60

    def test_cron_frees_the_agent_after_the_team_limit(self):
        # calls of other tests or benchmarks in this database are closed: the
        # cron's count is about this call alone
        self.env["contact_center.interaction"].flush_model()
        self.env.cr.execute(
            "UPDATE contact_center_interaction SET state = 'done',"
            " wrap_up_ended_at = ended_at WHERE state = 'wrap_up'"
        )
        self.env.invalidate_all()
        now = datetime.now().replace(microsecond=0)
        stamp = int(time.time())
        events = [
            {
                "id": "w1",
                "call_id": "w",
                "type": "answered",
                "at": stamp - 110,
                "agent": "201",
            },
            {"id": "w2", "call_id": "w", "type": "ended", "at": stamp - 10},
        ]
        self.provider._ingest_events({"events": events})
        call = self._interaction("w")
        self.assertEqual(call.state, "wrap_up")
        self.assertEqual(self.ann.presence, "wrap_up")
        Interaction = self.env["contact_center.interaction"]
        # the team allows 60 s of after-call work from the end of the call
        with freeze_time(now + timedelta(seconds=40)):
            self.assertEqual(Interaction._cron_finish_wrap_ups(), 0)
        self.assertEqual(call.state, "wrap_up")
        with freeze_time(now + timedelta(seconds=55)):
            self.assertEqual(Interaction._cron_finish_wrap_ups(), 1)
        self.assertEqual(call.state, "done")
        self.assertEqual(call.after_call_work_seconds, 60)
        self.assertEqual(self.ann.presence, "available")

    def test_agent_closes_wrap_up_when_the_pbx_clock_runs_ahead(self):
        # the PBX stamps the end 5 s (and a fraction) in Odoo's future
        ahead = datetime.now().replace(microsecond=0) + timedelta(seconds=5)
        stamp = f"{ahead.isoformat()}.734Z"
        events = [
            {
                "id": "k1",
                "call_id": "k",
                "type": "answered",
                "at": stamp,
                "agent": "201",
            },
            {"id": "k2", "call_id": "k", "type": "ended", "at": stamp},
        ]
        self.provider._ingest_events({"events": events})
        call = self._interaction("k")
        self.assertEqual(call.ended_at, ahead, "whole seconds, as Odoo stores them")
        disposition = self.env.ref("contact_center.disposition_resolved")
        call.with_user(self.ann.user_id).action_cc_wrap_up(disposition.id)
        self.assertEqual(call.state, "done")
        self.assertEqual(call.wrap_up_ended_at, ahead)
        self.assertEqual(call.after_call_work_seconds, 0)
        self.assertEqual(self.ann.presence, "available")


@tagged("post_install", "-at_install")
class TestConcurrentEvents(TelephonySetup, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_telephony()

    def test_call_busy_in_another_request_is_retried_not_failed(self):
        events = {
            "events": [
                {
                    "id": "lk1",
                    "call_id": "lk",
                    "type": "ringing",
                    "at": 0,
                    "agent": "201",
                }
            ]
        }
        # another worker folds the same call right now: it holds the call
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            other.execute(
                "SELECT pg_advisory_lock(%s, hashtext(%s))",
                (CALL_LOCK_NAMESPACE, f"{self.provider.id}/lk"),
            )
            with self.assertRaises(LockNotAvailable), self.env.cr.savepoint():
                # the savepoint plays the request's rollback before Odoo's retry
                self.provider._ingest_events(events)
        finally:
            other.execute("SELECT pg_advisory_unlock_all()")
            other.close()
        self.assertFalse(
            self.env["contact_center.telephony.event"].search(
                [("external_id", "=", "lk1")]
            ),
            "nothing of the refused attempt is kept, nothing is marked failed",
        )
        # Odoo's retry, once the other request has committed
        answer = self.provider._ingest_events(events)
        self.assertEqual(answer["accepted"], 1)
        self.assertEqual(self._interaction("lk").state, "ringing")
