import { Component, onMounted, onWillStart, onWillUnmount, useState } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { Dropdown } from "@web/core/dropdown/dropdown";
import { CheckboxItem } from "@web/core/dropdown/checkbox_item";
import { _t } from "@web/core/l10n/translation";
import { deserializeDateTime } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { KeepLast } from "@web/core/utils/concurrency";
import { formatDurationSeconds } from "../duration/duration_field";
import { formatKpi, NO_DATA, statusColor, statusLabel } from "../kpi_dashboard/kpi_format";

/** The bus channel the wallboard asks for, and the ping it listens to. */
export const BUS_CHANNEL = "contact_center.wallboard";
export const BUS_TYPE = "contact_center.wallboard/refresh";
/** At most one fetch per THROTTLE_MS after a ping; a poll every POLL_MS anyway. */
export const THROTTLE_MS = 2000;
export const POLL_MS = 30000;
const STORAGE_KEY = "contact_center.wallboard.team_ids";

/** Bootstrap colour of each presence. */
const PRESENCE_COLORS = {
    available: "success",
    busy: "danger",
    wrap_up: "warning",
    break: "info",
    offline: "secondary",
};

/**
 * The live wallboard: who does what, what waits, and today's figures against
 * their targets, for one team or several. A bus ping (no figures) or the
 * 30-second poll makes it fetch again through the access-checked RPC; the
 * page is never reloaded.
 */
export class Wallboard extends Component {
    static template = "contact_center.Wallboard";
    static components = { Dropdown, CheckboxItem };
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.busService = useService("bus_service");
        this.keepLast = new KeepLast();
        this.presenceColors = PRESENCE_COLORS;
        this.noData = NO_DATA;
        this.state = useState({
            data: null,
            teamIds: this._savedTeamIds(),
            updatedAt: null,
            nowMs: Date.now(),
            fetchedAtMs: Date.now(),
            error: false,
        });
        this.lastFetchMs = 0;
        this.pendingTimer = null;
        this.onPing = this.onPing.bind(this);

        onWillStart(() => this.fetch());
        onMounted(() => {
            this.busService.subscribe(BUS_TYPE, this.onPing);
            this.busService.addChannel(BUS_CHANNEL);
            this.pollTimer = browser.setInterval(() => this.fetch(), POLL_MS);
            this.clockTimer = browser.setInterval(() => {
                this.state.nowMs = Date.now();
            }, 1000);
        });
        onWillUnmount(() => {
            this.busService.unsubscribe(BUS_TYPE, this.onPing);
            this.busService.deleteChannel(BUS_CHANNEL);
            browser.clearInterval(this.pollTimer);
            browser.clearInterval(this.clockTimer);
            browser.clearTimeout(this.pendingTimer);
        });
    }

    _savedTeamIds() {
        try {
            const ids = JSON.parse(browser.localStorage.getItem(STORAGE_KEY) || "null");
            return Array.isArray(ids) && ids.length ? ids : null;
        } catch {
            return null;
        }
    }

    async fetch() {
        this.lastFetchMs = Date.now();
        let data;
        try {
            data = await this.keepLast.add(
                this.orm.call("contact_center.wallboard", "get_wallboard_data", [
                    this.state.teamIds,
                ])
            );
        } catch (error) {
            if (this.state.teamIds) {
                // a team taken away from the user: back to their own teams
                this.state.teamIds = null;
                browser.localStorage.removeItem(STORAGE_KEY);
                return this.fetch();
            }
            this.state.error = true;
            throw error;
        }
        this.state.error = false;
        this.state.data = data;
        this.state.fetchedAtMs = Date.now();
        this.state.nowMs = this.state.fetchedAtMs;
        this.state.updatedAt = luxon.DateTime.local();
    }

    /** A ping: fetch now, or once the throttle delay is over. */
    onPing(payload) {
        const shown = this.state.data?.team_ids || [];
        if (payload?.team_ids && !payload.team_ids.some((id) => shown.includes(id))) {
            return;
        }
        if (this.pendingTimer) {
            return;
        }
        const wait = this.lastFetchMs + THROTTLE_MS - Date.now();
        if (wait <= 0) {
            this.fetch();
            return;
        }
        this.pendingTimer = browser.setTimeout(() => {
            this.pendingTimer = null;
            this.fetch();
        }, wait);
    }

    // ------------------------------------------------------------------
    // Team picker
    // ------------------------------------------------------------------
    isTeamShown(teamId) {
        return (this.state.data?.team_ids || []).includes(teamId);
    }

    toggleTeam(teamId) {
        let ids = [...(this.state.data?.team_ids || [])];
        ids = ids.includes(teamId) ? ids.filter((id) => id !== teamId) : [...ids, teamId];
        this.state.teamIds = ids.length ? ids : null;
        if (ids.length) {
            browser.localStorage.setItem(STORAGE_KEY, JSON.stringify(ids));
        } else {
            browser.localStorage.removeItem(STORAGE_KEY);
        }
        this.fetch();
    }

    get teamsTitle() {
        const data = this.state.data;
        if (!data) {
            return "";
        }
        return data.teams
            .filter((team) => data.team_ids.includes(team.id))
            .map((team) => team.name)
            .join(", ");
    }

    /** Back to where the user came from (the web client routes it, no reload). */
    exit() {
        if (browser.history.length > 1) {
            browser.history.back();
        } else {
            this.action.doAction("contact_center.contact_center_agent_action", {
                clearBreadcrumbs: true,
            });
        }
    }

    // ------------------------------------------------------------------
    // Formatting
    // ------------------------------------------------------------------
    /** Seconds elapsed since the last fetch, to keep timers ticking. */
    get elapsed() {
        return Math.max(Math.floor((this.state.nowMs - this.state.fetchedAtMs) / 1000), 0);
    }

    ticking(seconds) {
        if (seconds === null || seconds === undefined || seconds === false) {
            return NO_DATA;
        }
        return formatDurationSeconds(seconds + this.elapsed);
    }

    /** The longest wait ticks while something waits, else a dash. */
    longestWait(count, seconds) {
        return count ? this.ticking(seconds) : NO_DATA;
    }

    sinceTicking(since) {
        if (!since) {
            return "";
        }
        const seconds = Math.floor(
            (deserializeDateTime(this.state.data.now) - deserializeDateTime(since)) / 1000
        );
        return this.ticking(Math.max(seconds, 0));
    }

    kpiValue(kpi) {
        return formatKpi(kpi.value, kpi.unit);
    }

    kpiTarget(kpi) {
        return kpi.target === null || kpi.target === undefined
            ? _t("no target")
            : _t("target %s", formatKpi(kpi.target, kpi.unit));
    }

    kpiColor(kpi) {
        return statusColor(kpi.status);
    }

    kpiStatusLabel(kpi) {
        return statusLabel(kpi.status);
    }

    aht(seconds) {
        return formatKpi(seconds, "seconds");
    }

    get clock() {
        return luxon.DateTime.fromMillis(this.state.nowMs).toFormat("HH:mm:ss");
    }

    get updated() {
        return this.state.updatedAt ? this.state.updatedAt.toFormat("HH:mm:ss") : NO_DATA;
    }

    /** Logged-in agents, the busiest states first; offline ones are only counted. */
    get onlineAgents() {
        const order = ["busy", "wrap_up", "available", "break"];
        return (this.state.data?.agents || [])
            .filter((agent) => agent.presence !== "offline")
            .sort((a, b) => order.indexOf(a.presence) - order.indexOf(b.presence));
    }

    get presenceSummary() {
        const counts = this.state.data?.presence_counts || {};
        return [
            { key: "available", label: _t("Available"), count: counts.available || 0 },
            { key: "busy", label: _t("Busy"), count: counts.busy || 0 },
            { key: "wrap_up", label: _t("Wrap-up"), count: counts.wrap_up || 0 },
            { key: "break", label: _t("Break"), count: counts.break || 0 },
            { key: "offline", label: _t("Offline"), count: counts.offline || 0 },
        ];
    }
}

registry.category("actions").add("contact_center.wallboard", Wallboard);
