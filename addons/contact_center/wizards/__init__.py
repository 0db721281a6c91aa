from . import contact_center_ticket_merge
from . import contact_center_agent_break
