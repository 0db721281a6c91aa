from . import contact_center_survey_score_mixin
from . import survey_question
from . import survey_survey
from . import survey_user_input
from . import contact_center_survey_rule
from . import contact_center_interaction
from . import contact_center_ticket
from . import res_partner
