from . import test_campaign_outcome_trigger
from . import test_campaign_survey_rollup
