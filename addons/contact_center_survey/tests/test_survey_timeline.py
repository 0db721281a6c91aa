"""Survey answers on the customer timeline and the caller's card."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import NOW, SurveyCase


class SurveyAnswerCase(SurveyCase):
    """Helpers creating invitations with hand-picked scores and dates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.surveys = {
            "csat": cls.survey_csat,
            "nps": cls.survey_nps,
            "ces": cls.survey_ces,
        }
        # one rule per score kind: a rule's low threshold is of its kind
        cls.rules = {
            kind: cls._rule(name=f"{kind} rule", survey_id=survey.id)
            for kind, survey in cls.surveys.items()
        }

    @classmethod
    def _invite(cls, kind="csat", sent_at=NOW - timedelta(days=1), **vals):
        """An invitation sent at ``sent_at``, not answered yet."""
        values = {
            "survey_id": cls.surveys[kind].id,
            "partner_id": cls.customer.id,
            "cc_rule_id": cls.rules[kind].id,
            "cc_agent_id": cls.agent.id,
            "cc_team_id": cls.team.id,
            "cc_channel": "email",
            "cc_contact_channel": "phone",
            "cc_state": "sent",
            "cc_sent_at": sent_at,
            "cc_score_kind": kind,
        }
        values.update(vals)
        return cls.Input.create(values)

    @classmethod
    def _answer(cls, kind, score, at, comment=None, **vals):
        """An invitation answered ``score`` at ``at``, through the real
        scoring path (it writes the customer's last score)."""
        invitation = cls._invite(kind, sent_at=at - timedelta(hours=1), **vals)
        with freeze_time(at):
            invitation._cc_record_score(score, comment)
        return invitation


@tagged("post_install", "-at_install")
class TestSurveyTimeline(SurveyAnswerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Timeline = cls.env["contact_center.timeline"]
        # queued two days ago (talk 120 s after 20 s of waiting)
        cls.call = cls._call(ended_at=NOW - timedelta(days=2, seconds=-140))

    def _keys(self, entries):
        return [entry["key"] for entry in entries]

    def _page(self, user=None, **kwargs):
        timeline = self.Timeline.with_user(user) if user else self.Timeline
        return timeline.get_page(self.customer.id, **kwargs)

    def test_answer_is_an_inbound_entry_of_its_channel_with_score_and_comment(self):
        answer = self._answer(
            "csat", 4, NOW - timedelta(hours=3), comment="Quick and  kind\nthanks"
        )
        entry = self._page(limit=1)["entries"][0]
        self.assertEqual(entry["key"], f"survey-{answer.id}")
        self.assertEqual(entry["source"], "survey")
        self.assertEqual(entry["at"], "2026-03-02 07:00:00")
        self.assertEqual(entry["channel"], "email")
        self.assertEqual(entry["direction"], "inbound")
        self.assertEqual(entry["title"], "CSAT 4/5")
        self.assertEqual(entry["summary"], "Quick and kind thanks")
        self.assertEqual(entry["outcome"], "Satisfied")
        self.assertEqual(entry["tone"], "success")
        self.assertEqual(entry["handled_by"], self.agent.name)
        self.assertEqual(
            (entry["res_model"], entry["res_id"]), ("survey.user_input", answer.id)
        )

    def test_outcome_and_tone_follow_the_score_of_each_kind(self):
        cases = [
            ("csat", 5, "CSAT 5/5", "Satisfied", "success"),
            ("csat", 3, "CSAT 3/5", "Neutral", "warning"),
            ("csat", 2, "CSAT 2/5", "Unhappy", "danger"),
            ("nps", 9, "NPS 9/10", "Satisfied", "success"),
            ("nps", 7, "NPS 7/10", "Neutral", "warning"),
            ("nps", 6, "NPS 6/10", "Unhappy", "danger"),
            ("ces", 5, "CES 5/7", "Satisfied", "success"),
            ("ces", 4, "CES 4/7", "Neutral", "warning"),
            ("ces", 3, "CES 3/7", "Unhappy", "danger"),
        ]
        expected = {}
        for hours, (kind, score, title, outcome, tone) in enumerate(cases, 1):
            answer = self._answer(kind, score, NOW - timedelta(hours=hours))
            expected[f"survey-{answer.id}"] = (title, outcome, tone)
        entries = self._page(filters={"channels": ["email"]})["entries"]
        got = {
            e["key"]: (e["title"], e["outcome"], e["tone"])
            for e in entries
            if e["source"] == "survey"
        }
        self.assertEqual(got, expected)

    def test_a_score_the_rule_calls_low_is_unhappy(self):
        # this rule calls 3 out of 5 low, where the default threshold is 2
        self.rules["csat"].low_threshold = 3
        answer = self._answer("csat", 3, NOW - timedelta(hours=1))
        self.assertTrue(answer.cc_is_low)
        entry = self._page(limit=1)["entries"][0]
        self.assertEqual((entry["outcome"], entry["tone"]), ("Unhappy", "danger"))

    def test_invitations_not_answered_are_not_listed(self):
        self._invite(sent_at=NOW - timedelta(hours=2))
        self._invite(sent_at=NOW - timedelta(hours=2), cc_state="cancelled")
        sources = {e["source"] for e in self._page()["entries"]}
        self.assertNotIn("survey", sources)

    def test_answers_of_other_customers_are_not_listed(self):
        other = self.env["res.partner"].create({"name": "Other Customer"})
        self._answer("csat", 5, NOW - timedelta(hours=1), partner_id=other.id)
        self.assertNotIn("survey", {e["source"] for e in self._page()["entries"]})

    def test_answers_interleave_with_contacts_and_page_once_each(self):
        # at the instant of the call's queueing an answer ties with it: the
        # survey source (rank 50) comes first
        tie = self._answer("nps", 10, NOW - timedelta(days=2))
        newer = self._answer("csat", 5, NOW - timedelta(days=1), cc_channel="sms")
        older = self._answer("ces", 6, NOW - timedelta(days=3))
        full = self._keys(self._page()["entries"])
        self.assertEqual(
            full,
            [
                f"survey-{newer.id}",
                f"survey-{tie.id}",
                f"interaction-{self.call.id}",
                f"survey-{older.id}",
            ],
        )
        for limit in (1, 2, 3):
            with self.subTest(limit=limit):
                keys, cursor = [], None
                while True:
                    page = self._page(limit=limit, cursor=cursor)
                    keys += self._keys(page["entries"])
                    cursor = page["next_cursor"]
                    if not cursor:
                        break
                self.assertEqual(keys, full)

    def test_channel_filter_keeps_the_answers_sent_by_that_channel(self):
        by_email = self._answer("csat", 5, NOW - timedelta(hours=2))
        by_sms = self._answer("csat", 4, NOW - timedelta(hours=1), cc_channel="sms")
        phone = self._keys(self._page(filters={"channels": ["phone"]})["entries"])
        self.assertEqual(phone, [f"interaction-{self.call.id}"])
        sms = self._keys(self._page(filters={"channels": ["sms"]})["entries"])
        self.assertEqual(sms, [f"survey-{by_sms.id}"])
        email = self._keys(self._page(filters={"channels": ["email"]})["entries"])
        self.assertEqual(email, [f"survey-{by_email.id}"])

    def test_outbound_filter_excludes_the_answers(self):
        self._answer("csat", 5, NOW - timedelta(hours=2))
        outbound = self._page(filters={"directions": ["outbound"]})["entries"]
        self.assertNotIn("survey", {e["source"] for e in outbound})

    def test_date_filter_applies_to_the_answer_date(self):
        # sent on the 27th, answered on the 1st of March
        answer = self._answer("csat", 5, NOW - timedelta(days=1))
        answer.cc_sent_at = NOW - timedelta(days=3)
        filters = {"date_from": "2026-03-01", "date_to": "2026-03-01"}
        self.assertEqual(
            self._keys(self._page(filters=filters)["entries"]),
            [f"survey-{answer.id}"],
        )

    def test_agent_sees_only_the_answers_they_may_read(self):
        own = self._answer("csat", 5, NOW - timedelta(hours=3))
        colleague = self._answer(
            "csat",
            1,
            NOW - timedelta(hours=2),
            cc_agent_id=self.agent2.id,
            cc_team_id=self.other_team.id,
        )
        keys = self._keys(self._page(user=self.user_agent)["entries"])
        self.assertIn(f"survey-{own.id}", keys)
        self.assertNotIn(f"survey-{colleague.id}", keys)
        # the supervisor of the first team: its answers, not the other team's
        keys = self._keys(self._page(user=self.user_supervisor)["entries"])
        self.assertIn(f"survey-{own.id}", keys)
        self.assertNotIn(f"survey-{colleague.id}", keys)
        # a contact-center manager reads every answer about contacts
        keys = self._keys(self._page(user=self.user_manager)["entries"])
        self.assertIn(f"survey-{own.id}", keys)
        self.assertIn(f"survey-{colleague.id}", keys)

    def test_employee_without_survey_access_gets_the_timeline_without_answers(self):
        self._answer("csat", 5, NOW - timedelta(hours=3))
        sources = self.Timeline.with_user(self.user_employee)._timeline_sources()
        self.assertNotIn("survey", [source["key"] for source in sources])
        page = self._page(user=self.user_employee)
        self.assertNotIn("survey", {e["source"] for e in page["entries"]})

    def test_answer_index_is_partial_on_answered_invitations(self):
        self.cr.execute(
            """
            SELECT pg_get_indexdef(i.indexrelid), pg_get_expr(i.indpred, i.indrelid)
              FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
             WHERE c.relname = 'survey_user_input_cc_partner_answered_idx'
            """
        )
        definition, predicate = self.cr.fetchone()
        self.assertIn("(partner_id, cc_answered_at DESC, id DESC)", definition)
        self.assertEqual(predicate, "(cc_answered_at IS NOT NULL)")


@tagged("post_install", "-at_install", "is_query_count")
class TestSurveyScreenPop(SurveyAnswerCase):
    def _satisfaction(self, now=NOW):
        interaction = self.env["contact_center.interaction"]
        with freeze_time(now):
            return interaction._cc_customer_satisfaction(self.customer)

    def test_no_satisfaction_without_answers(self):
        self._invite()
        self.assertIsNone(self._satisfaction())

    def test_last_score_its_age_and_a_rising_trend(self):
        for days, score in ((20, 2), (19, 2), (18, 2), (5, 4), (4, 5), (3, 4)):
            self._answer("csat", score, NOW - timedelta(days=days))
        self.assertEqual(self._satisfaction(), "CSAT 4/5 · 3 days ago ↑")

    def test_falling_trend_shows_a_down_arrow(self):
        for days, score in ((20, 10), (19, 9), (18, 10), (5, 6), (4, 3), (3, 5)):
            self._answer("nps", score, NOW - timedelta(days=days))
        self.assertEqual(self._satisfaction(), "NPS 5/10 · 3 days ago ↓")

    def test_without_earlier_answers_no_arrow_and_ages_in_words(self):
        self._answer("ces", 6, NOW - timedelta(hours=2))
        self.assertEqual(self._satisfaction(), "CES 6/7 · today")
        self.assertEqual(
            self._satisfaction(NOW + timedelta(days=1)), "CES 6/7 · yesterday"
        )
        self.assertEqual(
            self._satisfaction(NOW + timedelta(days=90)), "CES 6/7 · 3 months ago"
        )

    def test_card_payload_carries_the_satisfaction(self):
        self._answer("csat", 5, NOW - timedelta(days=2))
        call = self._call()
        with freeze_time(NOW):
            payload = call.with_user(self.user_agent)._cc_screen_pop_payload()
        self.assertEqual(payload["satisfaction"], "CSAT 5/5 · 2 days ago")

    def test_satisfaction_costs_two_queries_at_most(self):
        for days, score in ((9, 1), (8, 2), (7, 3), (3, 5), (2, 4), (1, 5)):
            self._answer("csat", score, NOW - timedelta(days=days))
        interaction = self.env["contact_center.interaction"].with_user(self.user_agent)
        partner = self.customer.with_user(self.user_agent)
        # what the answers left to write (mails, activities) first, then warm
        # the caches of access rights and rules
        self.env.flush_all()
        self.cr.flush()
        partner.invalidate_recordset()
        interaction._cc_customer_satisfaction(partner)
        partner.invalidate_recordset()
        # the customer's stored last score, the trend
        with freeze_time(NOW), self.assertQueryCount(2, flush=False):
            text = interaction._cc_customer_satisfaction(partner)
        self.assertEqual(text, "CSAT 5/5 · yesterday ↑")
