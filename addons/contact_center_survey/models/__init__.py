from . import survey_question
from . import survey_survey
