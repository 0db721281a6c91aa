from . import contact_center_ticket_merge
