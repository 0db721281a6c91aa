"""The whole suite installs together (the dialer depends on the core)."""

from odoo.tests import TransactionCase, tagged

SUITE = {"contact_center", "contact_center_dialer", "contact_center_survey"}


# post_install: the survey addon may be installed after this one
@tagged("post_install", "-at_install")
class TestSuiteInstalled(TransactionCase):
    def test_three_addons_are_installed(self):
        installed = self.env["ir.module.module"].search(
            [("name", "in", list(SUITE)), ("state", "=", "installed")]
        )
        self.assertEqual(set(installed.mapped("name")), SUITE)
