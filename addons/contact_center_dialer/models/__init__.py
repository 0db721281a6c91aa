from . import contact_center_campaign
from . import contact_center_campaign_window
from . import contact_center_campaign_contact
from . import contact_center_campaign_number
from . import contact_center_interaction
from . import contact_center_team
from . import contact_center_campaign_block
from . import contact_center_dialer_panel
