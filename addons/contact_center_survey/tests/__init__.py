from . import test_app_menu
