"""The harness installs the whole suite before any test runs."""

from cc_suite_case import SuiteTransactionCase

SUITE = {"contact_center", "contact_center_dialer", "contact_center_survey"}


class TestSuiteInstalled(SuiteTransactionCase):
    def test_three_addons_are_installed(self):
        installed = self.env["ir.module.module"].search(
            [("name", "in", list(SUITE)), ("state", "=", "installed")]
        )
        self.assertEqual(set(installed.mapped("name")), SUITE)

    def test_contact_center_is_an_app_with_its_menu(self):
        menu = self.env.ref("contact_center.menu_contact_center_root")
        self.assertFalse(menu.parent_id)
        self.assertTrue(menu.web_icon)
