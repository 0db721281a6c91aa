from odoo.tests import tagged

from odoo.addons.contact_center.tests.common import TourCase

from .common import LivechatSetup

# Runs in Chromium on Odoo's support page, which loads the live chat alone
# (not the test assets a registered tour needs): it clicks the chat button,
# writes a line and waits until the line is shown as sent. The live chat
# lives in a shadow root.
VISITOR_SCRIPT = """
(async () => {
    const root = () => document.querySelector(".o-livechat-root")?.shadowRoot;
    const find = async (selector, text) => {
        for (let i = 0; i < 200; i++) {
            const found = [...(root()?.querySelectorAll(selector) || [])].find(
                (el) => !text || el.textContent.includes(text)
            );
            if (found) {
                return found;
            }
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        throw new Error(`not found: ${selector} ${text || ""}`);
    };
    try {
        await odoo.livechatReady;
        (await find(".o-livechat-LivechatButton")).click();
        const input = await find(".o-mail-Composer-input");
        input.focus();
        input.value = "Where is my parcel?";
        input.dispatchEvent(new InputEvent("input", { bubbles: true }));
        input.dispatchEvent(
            new KeyboardEvent("keydown", { key: "Enter", bubbles: true })
        );
        await find(".o-mail-Message", "Where is my parcel?");
        // the line is saved once the session is: wait for the server's id
        await find(".o-mail-Message:not(.o-mail-Message-pending)", "parcel");
        console.log("test successful");
    } catch (error) {
        console.error(`visitor script failed: ${error.message}`);
    }
})();
"""


@tagged("post_install", "-at_install")
class TestLivechatTour(LivechatSetup, TourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_livechat()

    def test_visitor_chat_reaches_agent_and_customer_timeline(self):
        # The visitor is logged in (portal), writes in English from the
        # support page (the catch-all rule, no skill asked): Ann is the only
        # English speaker of the team, so she gets the chat.
        self.browser_js(
            f"/im_livechat/support/{self.livechat.id}",
            VISITOR_SCRIPT,
            login="cc_chat_visitor",
        )
        session = self.env["discuss.channel"].search(
            [("livechat_channel_id", "=", self.livechat.id)]
        )
        self.assertEqual(len(session), 1)
        self.assertEqual(session.livechat_operator_id, self.users["ann"].partner_id)
        self.assertIn(
            "Where is my parcel?", "".join(session.message_ids.mapped("body"))
        )
        interaction = self.env["contact_center.interaction"].search(
            [("res_model", "=", "discuss.channel"), ("res_id", "=", session.id)]
        )
        self.assertRecordValues(
            interaction,
            [
                {
                    "agent_id": self.ann.id,
                    "partner_id": self.customer.id,
                    "channel": "chat",
                    "state": "ringing",
                }
            ],
        )
        # The agent sees the chat in the customer's timeline
        self.start_tour(
            f"/odoo/action-base.action_partner_form/{self.customer.id}",
            "contact_center_livechat_timeline_tour",
            login="cc_chat_ann",
        )
