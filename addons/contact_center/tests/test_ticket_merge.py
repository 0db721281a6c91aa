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
