from . import test_app_menu
from . import test_survey_rules_engine
from . import test_survey_templates
from . import test_survey_invitations
from . import test_survey_concurrency
