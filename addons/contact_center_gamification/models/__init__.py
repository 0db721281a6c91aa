from . import contact_center_kpi
from . import res_users
