from odoo.exceptions import UserError

from .common import ContactCenterCase


class TestTicketMerge(ContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["contact_center.sla.policy"].search([]).active = False
        cls.policy = cls.env["contact_center.sla.policy"].create(
            {"name": "Std", "first_response_hours": 4, "resolution_hours": 8}
        )
        Ticket = cls.env["contact_center.ticket"]
        cls.first = Ticket.create(
            {"name": "Printer broken", "partner_id": cls.customer.id}
        )
        cls.second = Ticket.create(
            {"name": "Printer still broken", "partner_id": cls.customer.id}
        )
        cls.second.message_post(body="Photo attached", message_type="comment")
        cls.env["ir.attachment"].create(
            {
                "name": "photo.jpg",
                "raw": b"jpg",
                "res_model": Ticket._name,
                "res_id": cls.second.id,
            }
        )
        cls.second.message_subscribe(partner_ids=cls.user_agent2.partner_id.ids)

    def _merge(self, tickets, target):
        wizard = (
            self.env["contact_center.ticket.merge"]
            .with_context(active_model="contact_center.ticket", active_ids=tickets.ids)
            .create({})
        )
        self.assertEqual(wizard.target_id, tickets.sorted("id")[0])
        wizard.target_id = target
        return wizard.action_merge()

    def test_merge_keeps_messages_attachments_followers_and_sla(self):
        sla_lines = (self.first | self.second).sla_ids
        self.assertEqual(len(sla_lines), 4)
        action = self._merge(self.first | self.second, self.first)
        self.assertEqual(action["res_id"], self.first.id)
        self.assertFalse(self.second.active)
        self.assertIn("Photo attached", "".join(self.first.message_ids.mapped("body")))
        self.assertIn(self.user_agent2.partner_id, self.first.message_partner_ids)
        attachment = self.env["ir.attachment"].search([("name", "=", "photo.jpg")])
        self.assertEqual(attachment.res_id, self.first.id)
        self.assertEqual(self.first.sla_ids, sla_lines)

    def test_tickets_of_different_customers_are_not_merged(self):
        other = self.env["contact_center.ticket"].create(
            {
                "name": "Other",
                "partner_id": self.env["res.partner"].create({"name": "X"}).id,
            }
        )
        with self.assertRaisesRegex(UserError, "one customer"):
            self._merge(self.first | other, self.first)
        self.assertTrue(other.active)

    # ------------------------------------------------------------------
    # Forged wizard values are refused and change nothing
    # ------------------------------------------------------------------
    def _forged_merge(self, user, tickets, target):
        wizard = (
            self.env["contact_center.ticket.merge"]
            .with_user(user)
            .create(
                {
                    "ticket_ids": [(6, 0, tickets.ids)],
                    "target_id": target.id,
                }
            )
        )
        return wizard.action_merge()

    def _snapshot(self, tickets):
        return {
            ticket.id: (
                ticket.active,
                sorted(ticket.message_ids.ids),
                sorted(ticket.sla_ids.ids),
            )
            for ticket in tickets
        }

    def test_kept_ticket_outside_the_selection_is_refused(self):
        outside = self.env["contact_center.ticket"].create(
            {"name": "Printer again", "partner_id": self.customer.id}
        )
        tickets = self.first | self.second | outside
        before = self._snapshot(tickets)
        with self.assertRaisesRegex(UserError, "one of the tickets selected"):
            self._forged_merge(self.user_agent, self.first | self.second, outside)
        tickets.invalidate_recordset()
        self.assertEqual(self._snapshot(tickets), before)

    def test_selection_with_another_teams_ticket_is_refused(self):
        foreign = (
            self.env["contact_center.ticket"]
            .with_context(cc_skip_routing=True)
            .create(
                {
                    "name": "Printer in sales",
                    "partner_id": self.customer.id,
                    "team_id": self.other_team.id,
                }
            )
        )
        tickets = self.first | foreign
        before = self._snapshot(tickets)
        with self.assertRaises(UserError):
            self._forged_merge(self.user_agent, tickets, self.first)
        with self.assertRaises(UserError):
            self._forged_merge(self.user_agent, tickets, foreign)
        tickets.invalidate_recordset()
        self.assertEqual(self._snapshot(tickets), before)

    def test_selection_with_a_read_only_ticket_is_refused(self):
        # an administrator's rule: the second ticket is frozen for everyone
        self.env["ir.rule"].create(
            {
                "name": "Frozen ticket",
                "model_id": self.env["ir.model"]._get_id("contact_center.ticket"),
                "domain_force": f"[('id', '!=', {self.second.id})]",
                "perm_read": False,
                "perm_create": False,
                "perm_unlink": False,
            }
        )
        tickets = self.first | self.second
        self.assertTrue(self.second.with_user(self.user_agent).has_access("read"))
        self.assertFalse(self.second.with_user(self.user_agent).has_access("write"))
        before = self._snapshot(tickets)
        with self.assertRaisesRegex(UserError, "may not modify"):
            self._forged_merge(self.user_agent, tickets, self.first)
        tickets.invalidate_recordset()
        self.assertEqual(self._snapshot(tickets), before)

    def test_agent_merges_tickets_they_may_edit(self):
        action = self._forged_merge(
            self.user_agent, self.first | self.second, self.second
        )
        self.assertEqual(action["res_id"], self.second.id)
        self.assertFalse(self.first.active)
