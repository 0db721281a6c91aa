"""The import wizard as a supervisor uses it: upload, check the columns,
import, read the report."""

import base64

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged

CSV = """Client,Reach me at,Remarks
Eva Example,+32 470 11 22 33,VIP
Frank Broken,12,call after 5
"""


@tagged("post_install", "-at_install")
class TestCampaignImportWizard(TransactionCase):
    def test_unrecognised_column_mapped_by_hand(self):
        supervisor = new_test_user(
            self.env,
            "imp_sup",
            groups="contact_center.group_contact_center_supervisor",
        )
        team = self.env["contact_center.team"].create(
            {"name": "Wizard", "supervisor_ids": [(4, supervisor.id)]}
        )
        campaign = self.env["contact_center.campaign"].create(
            {"name": "Wizard list", "team_id": team.id}
        )
        action = campaign.with_user(supervisor).action_import_contacts()
        wizard = (
            self.env[action["res_model"]].with_user(supervisor).browse(action["res_id"])
        )
        wizard.write(
            {
                "file": base64.b64encode(CSV.encode()),
                "filename": "list.csv",
                "country_id": self.env.ref("base.be").id,
            }
        )
        wizard.action_read_columns()
        columns = {c.header: c for c in wizard.column_ids}
        self.assertEqual(columns["Client"].field, "name")
        self.assertFalse(columns["Reach me at"].field, "not a header it knows")
        self.assertEqual(columns["Reach me at"].sample, "+32 470 11 22 33")
        columns["Reach me at"].field = "mobile"
        wizard.action_import()
        self.assertEqual(wizard.step, "done")
        self.assertEqual((wizard.imported, wizard.invalid), (1, 1))
        self.assertIn("Line 3:", wizard.error_text)
        eva = campaign.contact_ids
        self.assertEqual(eva.name, "Eva Example")
        self.assertEqual(eva.number_ids.phone_e164, "+32470112233")
        self.assertEqual(eva.number_ids.kind, "mobile")

    def test_no_phone_column_is_a_clear_error(self):
        team = self.env["contact_center.team"].create({"name": "Wizard 2"})
        campaign = self.env["contact_center.campaign"].create(
            {"name": "No phones", "team_id": team.id}
        )
        wizard = self.env["contact_center.campaign.import"].create(
            {
                "campaign_id": campaign.id,
                "file": base64.b64encode(b"Name,Remarks\nEva,x\n"),
                "filename": "list.csv",
            }
        )
        wizard.action_read_columns()
        with self.assertRaisesRegex(UserError, "no phone column"):
            wizard.action_import()
