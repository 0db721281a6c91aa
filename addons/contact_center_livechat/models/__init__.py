from . import chatbot_script_step
from . import discuss_channel
from . import im_livechat_channel
from . import im_livechat_channel_rule
from . import contact_center_ticket
from . import contact_center_livechat_offline_attempt
