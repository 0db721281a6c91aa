from . import interaction_state
from . import phone
from . import keyset
