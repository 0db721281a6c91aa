from datetime import datetime, timedelta

from odoo.tests import tagged

from .common import TourCase


@tagged("post_install", "-at_install")
class TestTimelineTour(TourCase):
    def test_timeline_tour(self):
        partner = self.env["res.partner"].create({"name": "Tour Customer"})
        start = datetime(2026, 1, 5, 9, 0)
        channels = ["phone", "email", "chat"]
        self.env["contact_center.interaction"].create(
            [
                {
                    "name": f"Contact {i:02d}",
                    "channel": channels[i % 3],
                    "partner_id": partner.id,
                    "queued_at": start + timedelta(hours=i),
                }
                for i in range(1, 46)
            ]
        )
        note = self.env.ref("mail.mt_note")
        for day in (1, 2):
            self.env["mail.message"].create(
                {
                    "model": "res.partner",
                    "res_id": partner.id,
                    "message_type": "comment",
                    "subtype_id": note.id,
                    "body": f"Internal note {day}",
                    "date": start - timedelta(days=day),
                }
            )
        self.start_tour(
            f"/odoo/action-base.action_partner_form/{partner.id}",
            "contact_center_timeline_tour",
            login="admin",
        )
