"""The survey addon lives inside the Contact Center app."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestAppMenu(TransactionCase):
    def test_contact_center_is_an_app_with_its_menu(self):
        menu = self.env.ref("contact_center.menu_contact_center_root")
        self.assertFalse(menu.parent_id)
        self.assertTrue(menu.web_icon)
