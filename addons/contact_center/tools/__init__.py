from . import interaction_state
from . import phone
from . import keyset
from . import routing
from . import sla_clock
from . import classification
from . import auto_reply
from . import telephony
