import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";

/** Hours shown even when empty: a usual working day. */
const WORKING_HOURS = [7, 19];

/** Colour of a heatmap cell: the share of the busiest half hour. */
export function heatStyle(value, max) {
    if (!value || !max) {
        return "";
    }
    const alpha = Math.max(0.08, value / max).toFixed(2);
    const text = value / max > 0.55 ? "color: #fff;" : "";
    return `background-color: rgba(1, 126, 132, ${alpha}); ${text}`;
}

export function formatCount(value) {
    if (!value) {
        return "";
    }
    return value >= 10 ? value.toFixed(0) : value.toFixed(1);
}

/**
 * Contacts offered per half hour by weekday, on average per week over the
 * last N weeks: `contact_center.staffing.get_busiest_times`.
 */
export class BusiestTimes extends Component {
    static template = "contact_center.BusiestTimes";
    static components = { Layout };
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.state = useState({
            teamId: false,
            channel: false,
            weeks: 0,
            showAll: false,
            data: null,
        });
        this.weekdays = luxon.Info.weekdays("short");
        onWillStart(() => this.load());
    }

    async load() {
        const data = await this.orm.call("contact_center.staffing", "get_busiest_times", [], {
            team_ids: this.state.teamId ? [this.state.teamId] : null,
            channel: this.state.channel || null,
            weeks: this.state.weeks || null,
        });
        this.state.weeks = data.weeks;
        this.state.data = data;
    }

    get rows() {
        const data = this.state.data;
        if (!data) {
            return [];
        }
        if (this.state.showAll) {
            return data.rows;
        }
        return data.rows.filter(
            (row) =>
                row.values.some((v) => v > 0) ||
                (row.slot >= WORKING_HOURS[0] * 2 && row.slot < WORKING_HOURS[1] * 2)
        );
    }

    get channelLabel() {
        return _t("Calls and chats");
    }

    cellStyle(value) {
        return heatStyle(value, this.state.data.max);
    }

    cellText(value) {
        return formatCount(value);
    }

    dayTotal(index) {
        return formatCount(
            this.state.data.rows.reduce((sum, row) => sum + row.values[index], 0)
        );
    }

    onTeam(ev) {
        this.state.teamId = parseInt(ev.target.value) || false;
        this.load();
    }

    onChannel(ev) {
        this.state.channel = ev.target.value || false;
        this.load();
    }

    onWeeks(ev) {
        const weeks = parseInt(ev.target.value);
        if (weeks >= 1 && weeks <= 104) {
            this.state.weeks = weeks;
            this.load();
        }
    }

    toggleAll() {
        this.state.showAll = !this.state.showAll;
    }
}

registry.category("actions").add("contact_center.busiest_times", BusiestTimes);
