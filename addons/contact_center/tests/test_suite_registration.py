"""Odoo's own runner (odoo-bin --test-enable) runs every test of the suite.

Odoo runs only the test modules a ``tests/__init__.py`` imports, and its tag
selector silently drops classes that do not derive from its own test classes
(a plain ``unittest.TestCase`` has no test tags). pytest finds both, so such a
test would pass under ``tests/run`` and never run on OCA's CI or runbot. These
checks keep the two runners' counts equal.
"""

import ast
import importlib
import inspect
import os
import shutil
import tempfile
import types
import unittest

from odoo.modules.module import get_module_path
from odoo.tests import BaseCase
from odoo.tests.common import _find_executable

from .common import TourCase

SUITE = ("contact_center", "contact_center_dialer", "contact_center_survey")
BROWSER_CALLS = {"start_tour", "browser_js"}


def unregistered_modules(tests_dir):
    """Names of the ``test_*.py`` files of ``tests_dir`` its ``__init__`` skips."""
    modules = {
        name[: -len(".py")]
        for name in os.listdir(tests_dir)
        if name.startswith("test_") and name.endswith(".py")
    }
    init = os.path.join(tests_dir, "__init__.py")
    imported = set()
    if os.path.isfile(init):
        with open(init, encoding="utf-8") as file:
            tree = ast.parse(file.read(), init)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:  # from .test_x import ...
                    imported.add(node.module.split(".")[0])
                else:  # from . import test_x
                    imported.update(alias.name for alias in node.names)
    return sorted(modules - imported)


def foreign_test_classes(module):
    """Test classes defined in ``module`` that Odoo's runner would not run."""
    return sorted(
        name
        for name, cls in vars(module).items()
        if inspect.isclass(cls)
        and cls.__module__ == module.__name__
        and issubclass(cls, unittest.TestCase)
        and not issubclass(cls, BaseCase)
    )


def _drives_a_browser(cls):
    """Whether a method of ``cls`` (or of its own bases) starts a browser."""
    for klass in cls.__mro__:
        if klass.__module__.startswith(("odoo.tests", "unittest")):
            continue
        for attr in vars(klass).values():
            # only functions: class attributes may be anything (a closed cursor)
            if isinstance(attr, classmethod | staticmethod):
                attr = attr.__func__
            if isinstance(attr, types.FunctionType) and BROWSER_CALLS & set(
                attr.__code__.co_names
            ):
                return True
    return False


def tours_without_browser_guard(module):
    """Classes of ``module`` that drive a browser without failing when it is absent."""
    return sorted(
        name
        for name, cls in vars(module).items()
        if inspect.isclass(cls)
        and cls.__module__ == module.__name__
        and issubclass(cls, BaseCase)
        and not issubclass(cls, TourCase)
        and _drives_a_browser(cls)
    )


class TestSuiteRegistration(BaseCase):
    def _tests_dirs(self):
        for addon in SUITE:
            path = get_module_path(addon, display_warning=False)
            self.assertTrue(path, f"addon {addon} not found")
            tests_dir = os.path.join(path, "tests")
            self.assertTrue(
                os.path.isfile(os.path.join(tests_dir, "__init__.py")),
                f"{addon} has no tests package",
            )
            yield addon, tests_dir

    def _test_modules(self):
        for addon, tests_dir in self._tests_dirs():
            for name in sorted(os.listdir(tests_dir)):
                if name.startswith("test_") and name.endswith(".py"):
                    yield importlib.import_module(
                        f"odoo.addons.{addon}.tests.{name[: -len('.py')]}"
                    )

    def test_every_test_module_is_imported_by_its_tests_package(self):
        for addon, tests_dir in self._tests_dirs():
            with self.subTest(addon=addon):
                self.assertEqual(
                    unregistered_modules(tests_dir),
                    [],
                    f"add them to {addon}/tests/__init__.py",
                )

    def test_every_test_class_derives_from_odoo_test_classes(self):
        for module in self._test_modules():
            with self.subTest(module=module.__name__):
                self.assertEqual(
                    foreign_test_classes(module),
                    [],
                    "derive from odoo.tests.BaseCase or TransactionCase",
                )

    def test_every_tour_fails_when_the_browser_is_missing(self):
        for module in self._test_modules():
            with self.subTest(module=module.__name__):
                self.assertEqual(
                    tours_without_browser_guard(module),
                    [],
                    "derive browser tours from tests.common.TourCase",
                )

    def test_checks_see_an_unregistered_module_and_a_plain_test_class(self):
        tests_dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tests_dir)
        for name, text in (
            ("__init__.py", "from . import test_kept\nfrom .test_also import X\n"),
            ("test_kept.py", ""),
            ("test_also.py", ""),
            ("test_forgotten.py", ""),
            ("common.py", ""),
        ):
            with open(os.path.join(tests_dir, name), "w", encoding="utf-8") as file:
                file.write(text)
        self.assertEqual(unregistered_modules(tests_dir), ["test_forgotten"])

        module = types.ModuleType("odoo.addons.fake.tests.test_fake")
        plain = type("TestPlain", (unittest.TestCase,), {"__module__": module.__name__})
        odoo_case = type("TestOdoo", (BaseCase,), {"__module__": module.__name__})
        module.TestPlain, module.TestOdoo = plain, odoo_case
        module.Imported = unittest.TestCase  # imported, not defined here
        self.assertEqual(foreign_test_classes(module), ["TestPlain"])

        def test_tour(self):
            self.start_tour("/odoo", "some_tour")

        bare = type("TestBareTour", (BaseCase,), {"__module__": module.__name__})
        bare.test_tour = test_tour
        guarded = type("TestGuarded", (TourCase,), {"__module__": module.__name__})
        guarded.test_tour = test_tour
        module.TestBareTour, module.TestGuarded = bare, guarded
        self.assertEqual(tours_without_browser_guard(module), ["TestBareTour"])

    def test_tour_case_fails_instead_of_skipping_without_chromium(self):
        empty = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, empty)
        path = os.environ.get("PATH", "")

        def restore():
            os.environ["PATH"] = path
            _find_executable.cache_clear()

        self.addCleanup(restore)
        os.environ["PATH"] = empty
        _find_executable.cache_clear()
        with self.assertRaisesRegex(AssertionError, "browser tours need Chrome"):
            TourCase._require_browser()
