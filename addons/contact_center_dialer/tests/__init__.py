from . import test_suite_installed
from . import test_contact_import
from . import test_calling_window
from . import test_pacing
from . import test_simulator
