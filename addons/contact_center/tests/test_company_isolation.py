"""A user of one company reads nothing of another, through any model.

Every contact-center model that carries a company follows Odoo's standard
multi-company rules; SLA lines also follow the visibility of their ticket,
so their ticket's reference and subject never leak through them.
"""

from datetime import datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError

from .common import ContactCenterCase


class TestCompanyIsolation(ContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company_b = env["res.company"].create({"name": "Other Company B"})
        env_b = env(context=dict(env.context, allowed_company_ids=[cls.company_b.id]))
        cls.team_b = env_b["contact_center.team"].create(
            {"name": "Team B", "company_id": cls.company_b.id}
        )
        cls.policy_b = env_b["contact_center.sla.policy"].create(
            {
                "name": "Policy B",
                "company_id": cls.company_b.id,
                "first_response_hours": 4,
            }
        )
        cls.escalation_b = cls.policy_b.escalation_ids[:1]
        cls.rule_b = env_b["contact_center.classification.rule"].create(
            {
                "name": "Rule B",
                "company_id": cls.company_b.id,
                "subject_keywords": "invoice",
                "set_team_id": cls.team_b.id,
                "set_priority": "3",
            }
        )
        cls.disposition_b = env_b["contact_center.disposition"].create(
            {"name": "Disposition B", "code": "b_only", "company_id": cls.company_b.id}
        )
        cls.disposition_shared = env["contact_center.disposition"].create(
            {"name": "Shared disposition", "code": "shared_test"}
        )
        cls.reason_b = env_b["contact_center.contact.reason"].create(
            {"name": "Reason B", "company_id": cls.company_b.id}
        )
        cls.reason_shared = env["contact_center.contact.reason"].create(
            {"name": "Shared reason"}
        )
        cls.provider_b = env_b["contact_center.telephony.provider"].create(
            {
                "name": "PBX B",
                "code": "pbx-b",
                "company_id": cls.company_b.id,
                "default_team_id": cls.team_b.id,
                "did_ids": [
                    Command.create({"number": "+3225550100", "team_id": cls.team_b.id})
                ],
                "ivr_option_ids": [
                    Command.create({"choice": "1", "team_id": cls.team_b.id})
                ],
            }
        )
        cls.event_b = env["contact_center.telephony.event"].create(
            {
                "provider_id": cls.provider_b.id,
                "external_id": "ev-b-1",
                "call_id": "call-b",
                "event_type": "queued",
                "occurred_at": datetime(2026, 3, 2, 9, 0),
                "payload": {"type": "queued", "call_id": "call-b"},
            }
        )
        cls.ticket_b = env_b["contact_center.ticket"].create(
            {
                "name": "Secret of company B",
                "company_id": cls.company_b.id,
                "team_id": cls.team_b.id,
            }
        )
        # the test users belong to company A only
        for user in (cls.user_agent, cls.user_supervisor, cls.user_manager):
            assert user.company_ids == cls.company, user.login

    def _records_of_b(self):
        return {
            "contact_center.sla.policy": self.policy_b,
            "contact_center.sla.escalation": self.escalation_b,
            "contact_center.ticket.sla": self.ticket_b.sla_ids,
            "contact_center.classification.rule": self.rule_b,
            "contact_center.disposition": self.disposition_b,
            "contact_center.contact.reason": self.reason_b,
            "contact_center.telephony.provider": self.provider_b,
            "contact_center.telephony.did": self.provider_b.did_ids,
            "contact_center.telephony.ivr.option": self.provider_b.ivr_option_ids,
            "contact_center.telephony.event": self.event_b,
        }

    def test_records_of_b_exist(self):
        # the set-up is what the other tests rely on
        for model, records in self._records_of_b().items():
            self.assertTrue(records, model)
            self.assertEqual(records.company_id, self.company_b, model)

    def test_company_a_users_cannot_search_records_of_b(self):
        for user in (self.user_agent, self.user_supervisor, self.user_manager):
            for model, records in self._records_of_b().items():
                Model = self.env[model].with_user(user)
                if not Model.has_access("read"):
                    continue  # no access at all (events for agents)
                found = Model.with_context(active_test=False).search(
                    [("id", "in", records.ids)]
                )
                self.assertFalse(found, f"{user.login} finds {model} of company B")

    def test_company_a_users_cannot_read_records_of_b(self):
        for user in (self.user_agent, self.user_supervisor, self.user_manager):
            for model, records in self._records_of_b().items():
                with self.assertRaises(
                    AccessError, msg=f"{user.login} reads {model} of company B"
                ):
                    records.with_user(user).read(["display_name"])

    def test_company_a_manager_reads_nothing_of_b_through_search_read(self):
        for model, records in self._records_of_b().items():
            rows = (
                self.env[model]
                .with_user(self.user_manager)
                .with_context(active_test=False)
                .search_read([], ["display_name"])
            )
            self.assertFalse(
                {row["id"] for row in rows} & set(records.ids), f"{model} leaks"
            )

    def test_shared_dispositions_and_reasons_are_visible_to_every_company(self):
        Disposition = self.env["contact_center.disposition"].with_user(self.user_agent)
        self.assertIn(self.disposition_shared, Disposition.search([]))
        Reason = self.env["contact_center.contact.reason"].with_user(self.user_agent)
        self.assertIn(self.reason_shared, Reason.search([]))
        # data files' records have no company: still shared
        self.assertIn(
            self.env.ref("contact_center.disposition_resolved"), Disposition.search([])
        )

    def test_ticket_names_of_b_do_not_leak_through_sla_lines(self):
        self.assertTrue(self.ticket_b.sla_ids)
        rows = (
            self.env["contact_center.ticket.sla"]
            .with_user(self.user_agent)
            .search_read([], ["ticket_id"])
        )
        names = " ".join(str(row["ticket_id"]) for row in rows)
        self.assertNotIn("Secret of company B", names)

    def test_required_company_on_configuration(self):
        for model in (
            "contact_center.sla.policy",
            "contact_center.classification.rule",
            "contact_center.telephony.provider",
        ):
            self.assertTrue(self.env[model]._fields["company_id"].required, model)
        for model in ("contact_center.disposition", "contact_center.contact.reason"):
            self.assertFalse(self.env[model]._fields["company_id"].required, model)

    def test_numbers_cannot_send_callers_to_another_companys_team(self):
        provider_a = self.env["contact_center.telephony.provider"].create(
            {"name": "PBX A", "code": "pbx-a-iso"}
        )
        with self.assertRaises(UserError):
            provider_a.write(
                {
                    "did_ids": [
                        Command.create(
                            {"number": "+3225550199", "team_id": self.team_b.id}
                        )
                    ]
                }
            )
        with self.assertRaises(UserError):
            provider_a.write(
                {
                    "ivr_option_ids": [
                        Command.create({"choice": "9", "team_id": self.team_b.id})
                    ]
                }
            )

    def test_policy_cannot_target_another_companys_team(self):
        with self.assertRaises(UserError):
            self.env["contact_center.sla.policy"].create(
                {"name": "Mixed", "team_ids": [Command.link(self.team_b.id)]}
            )

    def test_rules_of_b_do_not_classify_tickets_of_a(self):
        ticket = self.env["contact_center.ticket"].create(
            {"name": "Question about my invoice", "partner_id": self.customer.id}
        )
        self.assertFalse(ticket.classification_rule_id)
        self.assertNotEqual(ticket.team_id, self.team_b)


class TestSlaLinesFollowTicketVisibility(ContactCenterCase):
    """An agent who cannot open a ticket cannot read its SLA lines either."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Policy = cls.env["contact_center.sla.policy"]
        Policy.search([]).active = False
        Policy.create({"name": "Std", "first_response_hours": 4})
        Ticket = cls.env["contact_center.ticket"].with_context(cc_skip_routing=True)
        # agent is in "Care", agent2 in "Sales"
        cls.care_ticket = Ticket.create(
            {"name": "Care question", "team_id": cls.team.id}
        )
        cls.sales_ticket = Ticket.create(
            {"name": "Confidential sales deal", "team_id": cls.other_team.id}
        )
        assert cls.care_ticket.sla_ids and cls.sales_ticket.sla_ids

    def _visible_lines(self, user):
        return (
            self.env["contact_center.ticket.sla"]
            .with_user(user)
            .search([("ticket_id", "in", (self.care_ticket | self.sales_ticket).ids)])
        )

    def test_teams_visibility_hides_other_teams_sla_lines(self):
        lines = self._visible_lines(self.user_agent)
        self.assertEqual(lines, self.care_ticket.sla_ids)
        with self.assertRaises(AccessError):
            self.sales_ticket.sla_ids.with_user(self.user_agent).read(["ticket_id"])
        rows = (
            self.env["contact_center.ticket.sla"]
            .with_user(self.user_agent)
            .search_read([], ["ticket_id"])
        )
        self.assertNotIn(
            "Confidential sales deal", " ".join(str(r["ticket_id"]) for r in rows)
        )

    def test_own_visibility_hides_unassigned_sla_lines(self):
        self.env["ir.rule"]._cc_set_ticket_visibility("own")
        self.assertFalse(self._visible_lines(self.user_agent))
        with self.assertRaises(AccessError):
            self.care_ticket.sla_ids.with_user(self.user_agent).read(["status"])
        self.care_ticket.agent_id = self.agent
        self.assertEqual(self._visible_lines(self.user_agent), self.care_ticket.sla_ids)

    def test_all_visibility_shows_every_sla_line(self):
        self.env["ir.rule"]._cc_set_ticket_visibility("all")
        self.assertEqual(
            self._visible_lines(self.user_agent),
            (self.care_ticket | self.sales_ticket).sla_ids,
        )

    def test_supervisor_sees_sla_lines_of_supervised_teams(self):
        self.assertEqual(
            self._visible_lines(self.user_supervisor), self.care_ticket.sla_ids
        )
        self.assertEqual(
            self._visible_lines(self.user_manager),
            (self.care_ticket | self.sales_ticket).sla_ids,
        )
