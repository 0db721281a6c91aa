"""Base classes for the cross-addon tests of this folder.

Odoo tags test classes of ``odoo.addons.<module>`` packages automatically;
this folder is not an addon, so its classes get the same attributes here.
"""

from odoo.tests import HttpCase, TransactionCase


class _SuiteTags:
    test_tags = {"standard", "at_install"}
    test_module = "contact_center"
    test_sequence = 0

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.test_class = cls.__name__


class SuiteTransactionCase(_SuiteTags, TransactionCase):
    """A TransactionCase for tests that span the suite's addons."""


class SuiteHttpCase(_SuiteTags, HttpCase):
    """An HttpCase (real HTTP server and Chromium) across the suite."""
