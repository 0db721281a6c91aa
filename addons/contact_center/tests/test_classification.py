from odoo.exceptions import ValidationError
from odoo.tests import BaseCase

from odoo.addons.contact_center.tools import classification

from .test_ticket_mail import TicketMailCase


class TestClassificationEngine(BaseCase):
    def test_rules_as_a_table(self):
        Rule = classification.Rule
        rules = [
            Rule(1, subject_keywords=("refund", "money back")),
            Rule(2, senders=("@bigcorp.example",)),
            Rule(3, pattern=r"order\s*#?\d{6}"),
            Rule(4, recipients=("sales@cc.example",), langs=frozenset({"fr_FR"})),
            Rule(5, tier_ids=frozenset({9}), body_keywords=("outage",)),
        ]
        rows = [
            ({"subject": "REFUND please"}, 1),
            ({"subject": "Hello", "sender": "ceo@bigcorp.example"}, 2),
            ({"subject": "Hello", "sender": "ceo@notbigcorp.example"}, None),
            ({"subject": "About ORDER #123456"}, 3),
            ({"subject": "x", "recipients": ("sales@cc.example",), "lang": "fr_FR"}, 4),
            (
                {"subject": "x", "recipients": ("sales@cc.example",), "lang": "en_US"},
                None,
            ),
            ({"body": "Total outage here", "tier_id": 9}, 5),
            ({"body": "Total outage here", "tier_id": 8}, None),
            # first matching rule wins
            ({"subject": "refund for order 123456"}, 1),
        ]
        for facts, expected in rows:
            with self.subTest(facts=facts):
                rule = classification.classify(rules, **facts)
                self.assertEqual(rule.id if rule else None, expected)


class TestClassificationRules(TicketMailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = cls.env["contact_center.team"].create({"name": "Billing"})
        cls.tag_refund = cls.env["contact_center.ticket.tag"].create({"name": "Refund"})
        Rule = cls.env["contact_center.classification.rule"]
        Rule.search([]).active = False  # only this test's rules apply
        cls.refund_rule = Rule.create(
            {
                "name": "Refunds to billing",
                "sequence": 1,
                "subject_keywords": "refund, money back",
                "set_team_id": cls.billing.id,
                "set_priority": "2",
                "set_tag_ids": [(6, 0, cls.tag_refund.ids)],
                "set_reason_id": cls.env.ref(
                    "contact_center.contact_reason_billing_refund"
                ).id,
            }
        )
        cls.vip_rule = Rule.create(
            {
                "name": "Big customer is urgent",
                "sequence": 2,
                "sender_filter": "@bigcorp.example",
                "set_priority": "3",
            }
        )

    def test_rule_sets_team_priority_tags_and_reason(self):
        ticket = self.Ticket.browse(
            self._process(self._email(subject="Money back for order 9"))
        )
        self.assertEqual(ticket.classification_rule_id, self.refund_rule)
        self.assertEqual(ticket.team_id, self.billing)
        self.assertEqual(ticket.priority, "2")
        self.assertEqual(ticket.tag_ids, self.tag_refund)
        self.assertEqual(ticket.reason_id.code, "billing.refund")

    def test_sender_domain_rule(self):
        ticket = self.Ticket.browse(
            self._process(self._email(sender="cfo@bigcorp.example", subject="Contract"))
        )
        self.assertEqual(ticket.classification_rule_id, self.vip_rule)
        self.assertEqual(ticket.priority, "3")
        self.assertEqual(ticket.team_id, self.team)  # the alias's team stays

    def test_recipient_alias_rule(self):
        alias = self.team.alias_id
        rule = self.env["contact_center.classification.rule"].create(
            {
                "name": "Support alias",
                "sequence": 0,
                "alias_ids": [(6, 0, alias.ids)],
                "set_lang": "en_US",
            }
        )
        ticket = self.Ticket.browse(self._process(self._email(subject="Hello")))
        self.assertEqual(ticket.classification_rule_id, rule)

    def test_no_rule_matches(self):
        ticket = self.Ticket.browse(
            self._process(self._email(subject="Just a question"))
        )
        self.assertFalse(ticket.classification_rule_id)
        self.assertEqual(ticket.priority, "1")

    def test_invalid_regular_expression_is_refused(self):
        with self.assertRaisesRegex(
            ValidationError, "regular expression .* is invalid"
        ):
            self.env["contact_center.classification.rule"].create(
                {"name": "Broken", "pattern": "order (\\d+"}
            )

    def test_batch_creation_classifies_in_one_pass(self):
        self.Ticket.create({"name": "warm up"})
        counts = []
        for size in (10, 20):
            vals = [
                {"name": f"Refund {i}", "team_id": self.team.id} for i in range(size)
            ]
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            tickets = self.Ticket.create(vals)
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(set(tickets.mapped("team_id")), {self.billing})
        # ten more tickets cost at most one query each (their sequence number)
        self.assertLessEqual(counts[1] - counts[0], 10, counts)


class TestClassificationBounds(BaseCase):
    def test_pattern_runs_on_a_bounded_text(self):
        rule = classification.Rule(1, pattern="needle")
        near = "x" * 100 + " needle"
        far = "x" * (classification.MAX_TEXT_CHARS + 10) + " needle"
        self.assertEqual(classification.classify([rule], body=near), rule)
        self.assertIsNone(classification.classify([rule], body=far))

    def test_nested_quantifiers_are_detected(self):
        rows = [
            ("(a+)+$", True),
            ("(a*)*b", True),
            ("(?:x\\d+y)*z", True),
            ("((ab)+c)+", True),
            ("(a|b)+", False),
            ("order\\s*#?\\d{6}", False),
            ("(\\d{3}-)+", False),
            ("[(a+)]+", False),
            ("\\(a+\\)+", False),
        ]
        for pattern, nested in rows:
            with self.subTest(pattern=pattern):
                self.assertEqual(classification.has_nested_quantifier(pattern), nested)

    def test_slow_pattern_is_reported_and_skipped(self):
        slow_rule = classification.Rule(1, pattern="(a|aa)+$")
        other = classification.Rule(2, subject_keywords=("a",))
        slow = {}
        found = classification.classify(
            [slow_rule, other], subject="a" * 24 + "b", budget=0.005, slow=slow
        )
        self.assertEqual(found, other)
        self.assertIn(1, slow)


class TestRunawayPatterns(TicketMailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Rule = cls.env["contact_center.classification.rule"]
        Rule.search([]).active = False
        cls.billing = cls.env["contact_center.team"].create({"name": "Billing"})
        cls.rule = Rule.create(
            {"name": "Runaway", "pattern": "a+b", "set_team_id": cls.billing.id}
        )

    def test_nested_quantifier_is_refused_at_save(self):
        with self.assertRaisesRegex(ValidationError, "exponential"):
            self.rule.pattern = "(a+)+$"

    def test_catastrophic_pattern_is_reported_and_not_retried(self):
        # a rule saved before patterns were checked
        self.env.cr.execute(
            "UPDATE contact_center_classification_rule SET pattern = %s WHERE id = %s",
            ["(a+)+$", self.rule.id],
        )
        self.rule.invalidate_recordset()
        ticket = self.Ticket.browse(
            self._process(self._email(subject="a" * 30 + "b", msgid="re1"))
        )
        self.assertFalse(ticket.classification_rule_id)
        self.assertTrue(self.rule.pattern_error)
        self.assertTrue(self.rule.activity_ids, "the administrator is told")
        notes = len(self.rule.message_ids)
        other = self.Ticket.browse(
            self._process(self._email(subject="a" * 30 + "b", msgid="re2"))
        )
        self.assertEqual(other.team_id, self.team)
        self.assertEqual(len(self.rule.message_ids), notes, "reported once")
        # fixing the pattern puts the rule back to work
        self.rule.pattern = "a+b"
        self.assertFalse(self.rule.pattern_error)

    def test_slow_pattern_is_disabled_after_its_time_budget(self):
        self.env["ir.config_parameter"].set_param(
            "contact_center.classification_pattern_budget_ms", 5
        )
        self.rule.pattern = "(a|aa)+$"
        ticket = self.Ticket.browse(
            self._process(self._email(subject="a" * 24 + "b", msgid="re3"))
        )
        self.assertFalse(ticket.classification_rule_id)
        self.assertIn("ms", self.rule.pattern_error)
