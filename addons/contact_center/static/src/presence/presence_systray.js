import { Component, onWillDestroy, onWillStart, useState } from "@odoo/owl";
import { Dropdown } from "@web/core/dropdown/dropdown";
import { DropdownItem } from "@web/core/dropdown/dropdown_item";
import { deserializeDateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/** Presences an agent may pick; busy and wrap-up are set by the system. */
const CHOICES = ["available", "break", "offline"];
/** Why the system changed a presence: the presence timeout saw no web client. */
const DISCONNECTED = "disconnected";
const COLORS = {
    available: "text-success",
    busy: "text-danger",
    wrap_up: "text-warning",
    break: "text-info",
    offline: "text-muted",
};

/**
 * The agent's presence in the top bar: a coloured dot, the state and how long
 * the agent has been in it, and a menu to change it. Changes made elsewhere
 * (a supervisor, a call starting) arrive through the bus.
 */
export class PresenceSystray extends Component {
    static template = "contact_center.PresenceSystray";
    static components = { Dropdown, DropdownItem };
    static props = {};

    setup() {
        this.orm = useService("orm");
        this.busService = useService("bus_service");
        this.notification = useService("notification");
        this.labels = {};
        this.state = useState({ presence: false, now: Date.now() });
        this.onBusPresence = (payload) => {
            if (this.state.presence && payload.agent_id === this.state.presence.agent_id) {
                this.state.presence = {
                    ...this.state.presence,
                    presence: payload.presence,
                    since: payload.since,
                    reason: payload.reason || false,
                    break_reason: payload.break_reason || false,
                };
                this.state.now = Date.now();
            }
        };
        onWillStart(async () => {
            this.apply(await this.orm.call("contact_center.agent", "get_my_presence", []));
            if (this.wasDisconnected) {
                this.notification.add(this.disconnectedNotice, { type: "warning" });
            }
            if (this.state.presence) {
                // Only agents listen to presence changes and tick the clock.
                this.busService.subscribe("contact_center.presence", this.onBusPresence);
                this.timer = setInterval(() => (this.state.now = Date.now()), 30000);
            }
        });
        onWillDestroy(() => {
            if (this.timer) {
                clearInterval(this.timer);
                this.busService.unsubscribe("contact_center.presence", this.onBusPresence);
            }
        });
    }

    apply(presence) {
        if (presence) {
            this.labels = Object.fromEntries(presence.states.map((s) => [s.code, s.label]));
        }
        this.state.presence = presence || false;
    }

    get current() {
        return this.state.presence.presence;
    }

    /** Offline because the presence timeout found no web client session. */
    get wasDisconnected() {
        return this.current === "offline" && this.state.presence.reason === DISCONNECTED;
    }

    get disconnectedNotice() {
        return _t(
            "You were set offline because your web client was disconnected. Choose your presence to receive work again."
        );
    }

    get choices() {
        return CHOICES.map((code) => ({ code, label: this.labels[code] }));
    }

    /** Reasons an agent may give for a break (lunch, training...), set by administrators. */
    get breakReasons() {
        return this.state.presence.break_reasons || [];
    }

    /** The reason of the current break, or false. */
    get breakReason() {
        return (this.current === "break" && this.state.presence.break_reason) || false;
    }

    isCurrent(code, breakReasonId = false) {
        return code === this.current && (this.breakReason.id || false) === breakReasonId;
    }

    colorClass(code) {
        return COLORS[code] || "text-muted";
    }

    get elapsed() {
        const since = this.state.presence.since;
        if (!since) {
            return "";
        }
        const minutes = Math.max(
            0,
            Math.floor((this.state.now - deserializeDateTime(since).toMillis()) / 60000)
        );
        if (minutes < 60) {
            return _t("%s min", minutes);
        }
        return _t("%(hours)s h %(minutes)s", {
            hours: Math.floor(minutes / 60),
            minutes: String(minutes % 60).padStart(2, "0"),
        });
    }

    async choose(code, breakReasonId = false) {
        if (this.isCurrent(code, breakReasonId)) {
            return;
        }
        this.apply(
            await this.orm.call("contact_center.agent", "set_my_presence", [code], {
                break_reason_id: breakReasonId,
            })
        );
        this.state.now = Date.now();
    }
}

registry
    .category("systray")
    .add("contact_center.presence", { Component: PresenceSystray }, { sequence: 40 });
