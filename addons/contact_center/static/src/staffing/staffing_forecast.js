import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";

/** 185.4 -> "3:05" */
export function formatMinutes(seconds) {
    if (seconds === null || seconds === undefined) {
        return "—";
    }
    const total = Math.round(seconds);
    return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}

function formatNumber(value, digits = 0) {
    if (value === null || value === undefined) {
        return "—";
    }
    return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

const STATUS_CLASSES = {
    under: "text-bg-danger",
    over: "text-bg-warning",
    ok: "text-bg-success",
};

/**
 * Agents needed per half hour of a week against the agents scheduled:
 * `contact_center.staffing.get_forecast`.
 */
export class StaffingForecast extends Component {
    static template = "contact_center.StaffingForecast";
    static components = { Layout };
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.state = useState({
            teamId: false,
            model: "erlang_c",
            weekStart: false,
            day: 0,
            showAll: false,
            data: null,
        });
        this.formatMinutes = formatMinutes;
        this.formatNumber = formatNumber;
        onWillStart(() => this.load());
    }

    async load() {
        // no team yet: the server plans the first team the user supervises
        const data = await this.orm.call("contact_center.staffing", "get_forecast", [], {
            team_id: this.state.teamId || null,
            week_start: this.state.weekStart || null,
            model: this.state.model,
        });
        this.state.teamId = data.team.id;
        this.state.weekStart = data.week_start;
        this.state.data = data;
    }

    get currentDay() {
        return this.state.data.days[this.state.day];
    }

    get rows() {
        if (this.state.showAll) {
            return this.currentDay.slots;
        }
        return this.currentDay.slots.filter((slot) => slot.forecast > 0 || slot.scheduled > 0);
    }

    get weekLabel() {
        const start = luxon.DateTime.fromISO(this.state.data.week_start);
        return `${start.toFormat("DDD")} – ${start.plus({ days: 6 }).toFormat("DDD")}`;
    }

    get modelLabel() {
        return this.state.data.model === "erlang_a" ? _t("Erlang A") : _t("Erlang C");
    }

    dayLabel(day) {
        return luxon.DateTime.fromISO(day.date).toFormat("ccc d LLL");
    }

    gapClass(slot) {
        return STATUS_CLASSES[slot.status] || "";
    }

    gapText(slot) {
        if (slot.gap === null || slot.gap === undefined) {
            return "—";
        }
        const text = formatNumber(Math.abs(slot.gap), 1);
        return slot.gap > 0 ? `+${text}` : slot.gap < 0 ? `−${text}` : "0";
    }

    onTeam(ev) {
        this.state.teamId = parseInt(ev.target.value);
        this.load();
    }

    setModel(model) {
        this.state.model = model;
        this.load();
    }

    shiftWeek(weeks) {
        this.state.weekStart = luxon.DateTime.fromISO(this.state.weekStart)
            .plus({ weeks })
            .toISODate();
        this.load();
    }

    selectDay(index) {
        this.state.day = index;
    }

    toggleAll() {
        this.state.showAll = !this.state.showAll;
    }
}

registry.category("actions").add("contact_center.staffing_forecast", StaffingForecast);
