from . import contact_center_campaign_import
from . import contact_center_campaign_import_column
