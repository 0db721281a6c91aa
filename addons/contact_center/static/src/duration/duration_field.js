import { Component, onWillDestroy, onWillUpdateProps, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { deserializeDateTime, formatDateTime } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

const { DateTime } = luxon;

/**
 * Seconds as a person reads them: "4:05" under an hour, "1:02:03" above.
 * Averages come as floats: they are rounded to the second.
 */
export function formatDurationSeconds(value) {
    if (value === false || value === null || value === undefined || Number.isNaN(value)) {
        return "";
    }
    const sign = value < 0 ? "-" : "";
    const total = Math.round(Math.abs(value));
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const seconds = String(total % 60).padStart(2, "0");
    if (hours) {
        return `${sign}${hours}:${String(minutes).padStart(2, "0")}:${seconds}`;
    }
    return `${sign}${minutes}:${seconds}`;
}

// list footers, group rows and pivot cells format through this registry
registry.category("formatters").add("cc_duration", formatDurationSeconds);

/** A read-only duration in seconds (talk, wait, presence period...). */
export class DurationField extends Component {
    static template = "contact_center.DurationField";
    static props = { ...standardFieldProps };

    get formattedValue() {
        return formatDurationSeconds(this.props.record.data[this.props.name]);
    }
}

registry.category("fields").add("cc_duration", {
    component: DurationField,
    displayName: _t("Duration (h:mm:ss)"),
    supportedTypes: ["integer", "float"],
});

/**
 * The time elapsed since a datetime, ticking every second: how long an agent
 * has been in their presence state on the supervisors' board.
 */
export class LiveDurationField extends Component {
    static template = "contact_center.LiveDurationField";
    static props = { ...standardFieldProps };

    setup() {
        this.state = useState({ now: DateTime.now() });
        this.interval = setInterval(() => {
            this.state.now = DateTime.now();
        }, 1000);
        onWillUpdateProps(() => {
            this.state.now = DateTime.now();
        });
        onWillDestroy(() => clearInterval(this.interval));
    }

    get since() {
        const value = this.props.record.data[this.props.name];
        if (!value) {
            return false;
        }
        return typeof value === "string" ? deserializeDateTime(value) : value;
    }

    get formattedValue() {
        const since = this.since;
        if (!since) {
            return "";
        }
        const seconds = Math.max(0, this.state.now.diff(since, "seconds").seconds);
        return formatDurationSeconds(Math.floor(seconds));
    }

    get title() {
        const since = this.since;
        return since ? _t("Since %s", formatDateTime(since)) : "";
    }
}

registry.category("fields").add("cc_live_duration", {
    component: LiveDurationField,
    displayName: _t("Time Since (live)"),
    supportedTypes: ["datetime"],
});
