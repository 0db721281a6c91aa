from . import test_livechat_interactions
from . import test_livechat_routing
from . import test_livechat_tour
from . import test_livechat_offline
from . import test_livechat_omnichannel
