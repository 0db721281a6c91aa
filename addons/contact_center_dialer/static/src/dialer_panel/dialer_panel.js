import { Component, markup, onWillStart, onWillUnmount, useExternalListener, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { deserializeDateTime, formatDateTime } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { openExternalUri } from "@contact_center/screen_pop/screen_pop";

const { DateTime } = luxon;
const PANEL_MODEL = "contact_center.dialer.panel";
const POLL_MS = 2000;
// keys typed in these do not trigger the panel's shortcuts
const TYPING_TAGS = ["INPUT", "TEXTAREA", "SELECT"];

/**
 * The agent's dialer: pick a campaign, take the next contact, call them
 * through the softphone (a tel: or sip: URI, as click-to-dial does), record
 * how it went or schedule a callback in the contact's own time zone.
 *
 * Keyboard: N next contact, C call, S skip (preview), 1-9 outcomes, Esc
 * closes the callback picker.
 */
export class DialerPanel extends Component {
    static template = "contact_center_dialer.DialerPanel";
    static components = { Layout };
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.state = useState({
            data: null,
            campaignId: false,
            note: "",
            callback: { open: false, at: "", forMe: true },
            busy: false,
            now: DateTime.now(),
            countdown: 0,
        });
        this.countdownTimer = null;
        onWillStart(() => this.load());
        const clock = setInterval(() => (this.state.now = DateTime.now()), 15000);
        // while the dialer works for the agent (joined, or a call placed by
        // the PBX is under way) the panel follows it
        const follow = setInterval(() => this.follow(), POLL_MS);
        onWillUnmount(() => {
            clearInterval(clock);
            clearInterval(follow);
            this.stopCountdown();
        });
        useExternalListener(window, "keydown", (ev) => this.onKeydown(ev));
    }

    get display() {
        return { controlPanel: {} };
    }

    get contact() {
        return this.state.data?.contact || false;
    }

    get campaign() {
        return this.state.data?.campaign || false;
    }

    get currentNumber() {
        const numbers = this.contact ? this.contact.numbers : [];
        return numbers.find((n) => n.is_current) || numbers[0] || false;
    }

    get script() {
        return this.contact && this.contact.script ? markup(this.contact.script) : false;
    }

    /** The contact's wall clock now, e.g. "Fri 10:02 (America/New_York)". */
    get contactLocalTime() {
        if (!this.contact) {
            return "";
        }
        return this.state.now.setZone(this.contact.tz).toFormat("ccc HH:mm");
    }

    formatUtc(value) {
        return value ? formatDateTime(deserializeDateTime(value), { showSeconds: false }) : "";
    }

    apply(data) {
        const before = this.contact && this.contact.id;
        this.state.data = data;
        this.state.campaignId = data.campaign ? data.campaign.id : false;
        if (!data.contact || data.contact.id !== before) {
            this.state.note = "";
            this.state.callback = { open: false, at: "", forMe: true };
            this.startCountdown();
        }
    }

    async run(method, args, kwargs = {}) {
        if (this.state.busy) {
            return null;
        }
        this.state.busy = true;
        try {
            return await this.orm.call(PANEL_MODEL, method, args, kwargs);
        } finally {
            this.state.busy = false;
        }
    }

    async load(campaignId = this.state.campaignId) {
        this.apply(await this.orm.call(PANEL_MODEL, "get_state", [], { campaign_id: campaignId || false }));
    }

    get following() {
        const data = this.state.data;
        return Boolean(data && data.campaign && (data.joined || (this.contact && this.contact.call)));
    }

    async follow() {
        if (!this.following || this.state.busy || this.state.callback.open) {
            return;
        }
        this.apply(await this.orm.call(PANEL_MODEL, "poll", [this.state.campaignId]));
    }

    get presenceLabel() {
        const labels = {
            offline: _t("You are offline"),
            break: _t("You are on break"),
            busy: _t("You are on a call"),
            wrap_up: _t("You are in wrap-up"),
        };
        return labels[this.state.data.presence] || "";
    }

    async goAvailable() {
        this.state.busy = true;
        try {
            await this.orm.call("contact_center.agent", "set_my_presence", ["available"]);
        } finally {
            this.state.busy = false;
        }
        await this.load();
    }

    async join() {
        const data = await this.run("join", [this.state.campaignId]);
        if (data) {
            this.apply(data);
            this.notification.add(_t("You are in: the dialer connects you to the people who answer."), {
                type: "success",
            });
        }
    }

    async leave() {
        const data = await this.run("leave", []);
        if (data) {
            this.apply(data);
        }
    }

    onCallClick(ev) {
        if (this.campaign.dials_after_preview) {
            // the PBX places progressive calls: no softphone link
            ev.preventDefault();
            this.dialNow();
        } else {
            this.stopCountdown();
        }
    }

    /** Progressive: the preview is over, the PBX calls (agent first). */
    async dialNow() {
        this.stopCountdown();
        if (!this.contact || this.contact.call) {
            return;
        }
        const data = await this.run("dial_now", [this.contact.id]);
        if (data) {
            this.apply(data);
        }
    }

    async onCampaignChange(ev) {
        const id = parseInt(ev.target.value) || false;
        this.state.campaignId = id;
        await this.load(id);
    }

    async takeNext() {
        if (!this.state.campaignId || this.contact) {
            return;
        }
        const data = await this.run("take_next", [this.state.campaignId]);
        if (!data) {
            return;
        }
        this.apply(data);
        if (data.nothing_to_call) {
            this.notification.add(
                _t("Nobody to call right now: contacts are outside their calling hours, waiting for a retry, or done."),
                { type: "info" }
            );
        }
    }

    call(number = this.currentNumber) {
        if (this.campaign && this.campaign.dials_after_preview) {
            this.dialNow();
        } else if (number) {
            this.stopCountdown();
            openExternalUri(number.uri);
        }
    }

    /** Progressive mode: the call starts by itself after the preview. */
    startCountdown() {
        this.stopCountdown();
        if (
            !this.contact ||
            this.contact.call ||
            this.campaign.mode !== "progressive" ||
            !this.campaign.preview_seconds
        ) {
            return;
        }
        this.state.countdown = this.campaign.preview_seconds;
        this.countdownTimer = setInterval(() => {
            this.state.countdown -= 1;
            if (this.state.countdown <= 0) {
                if (this.campaign.dials_after_preview) {
                    this.dialNow();
                } else {
                    this.call();
                }
            }
        }, 1000);
    }

    stopCountdown() {
        if (this.countdownTimer) {
            clearInterval(this.countdownTimer);
            this.countdownTimer = null;
        }
        this.state.countdown = 0;
    }

    async skip() {
        if (!this.contact || !this.campaign.can_skip) {
            return;
        }
        this.stopCountdown();
        const data = await this.run("skip", [this.contact.id]);
        if (data) {
            this.apply(data);
            this.notification.add(_t("Contact skipped: back in the queue."), { type: "info" });
        }
    }

    async onOutcome(outcome) {
        if (!this.contact) {
            return;
        }
        if (outcome.code === "callback") {
            this.openCallback();
            return;
        }
        await this.record(outcome.code);
    }

    async record(code, kwargs = {}) {
        this.stopCountdown();
        const data = await this.run("record_outcome", [this.contact.id, code], {
            note: this.state.note || false,
            ...kwargs,
        });
        if (data) {
            const label = this.state.data.outcomes.find((o) => o.code === code)?.label || code;
            this.apply(data);
            this.notification.add(_t("Call recorded: %s.", label), { type: "success" });
        }
    }

    openCallback() {
        const tomorrow = this.state.now
            .setZone(this.contact.tz)
            .plus({ days: 1 })
            .set({ hour: 10, minute: 0, second: 0, millisecond: 0 });
        this.state.callback = {
            open: true,
            at: this.state.callback.at || tomorrow.toFormat("yyyy-MM-dd'T'HH:mm"),
            forMe: this.state.callback.forMe,
        };
        // focus the date once the picker is drawn
        setTimeout(() => document.querySelector(".o_cc_dialer_callback_at")?.focus());
    }

    closeCallback() {
        this.state.callback.open = false;
    }

    async confirmCallback() {
        if (!this.state.callback.at) {
            this.notification.add(_t("Pick when to call back."), { type: "warning" });
            return;
        }
        await this.record("callback", {
            callback_at: this.state.callback.at,
            callback_for_me: this.state.callback.forMe,
        });
    }

    onKeydown(ev) {
        if (ev.ctrlKey || ev.altKey || ev.metaKey || !this.state.data) {
            return;
        }
        if (ev.key === "Escape" && this.state.callback.open) {
            ev.preventDefault();
            this.closeCallback();
            return;
        }
        if (TYPING_TAGS.includes(ev.target.tagName) || ev.target.isContentEditable) {
            return;
        }
        if (document.querySelector(".modal")) {
            return;
        }
        const key = ev.key.toLowerCase();
        if (key === "n" && !this.contact && this.campaign && !this.campaign.is_auto) {
            ev.preventDefault();
            this.takeNext();
        } else if (key === "c" && this.contact) {
            ev.preventDefault();
            this.call();
        } else if (key === "s" && this.contact) {
            ev.preventDefault();
            this.skip();
        } else if (this.contact && /^[1-9]$/.test(ev.key)) {
            const outcome = this.state.data.outcomes.find((o) => o.key === ev.key);
            if (outcome) {
                ev.preventDefault();
                this.onOutcome(outcome);
            }
        }
    }
}

registry.category("actions").add("contact_center_dialer.dialer_panel", DialerPanel);
