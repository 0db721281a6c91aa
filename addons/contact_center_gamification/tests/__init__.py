from . import test_goals
