from . import survey_rules
