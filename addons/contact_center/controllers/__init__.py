from . import portal
from . import telephony
