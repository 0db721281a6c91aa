from . import portal
from . import telephony
from . import messaging
