from . import test_interaction_state_engine
from . import test_interaction
from . import test_access
from . import test_phone
from . import test_presence
from . import test_timeline
from . import test_timeline_tour
from . import test_presence_tour
