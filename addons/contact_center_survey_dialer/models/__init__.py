from . import contact_center_interaction
from . import contact_center_campaign_contact
from . import contact_center_campaign_outcome
from . import contact_center_campaign
from . import survey_user_input
from . import contact_center_survey_rule
from . import contact_center_report_survey
