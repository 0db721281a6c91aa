import { _t } from "@web/core/l10n/translation";
import { formatFloat, formatInteger } from "@web/views/fields/formatters";
import { formatDurationSeconds } from "../duration/duration_field";

/** What a figure without data reads as: never 0. */
export const NO_DATA = "—";

/**
 * A KPI value as people read it, by unit: counts as integers, seconds as
 * m:ss or h:mm:ss, percentages and rates with one decimal; null is "—".
 *
 * @param {number|null|undefined} value
 * @param {"count"|"seconds"|"percent"|"per_hour"|"hours"} unit
 */
export function formatKpi(value, unit) {
    if (value === null || value === undefined || value === false || Number.isNaN(value)) {
        return NO_DATA;
    }
    switch (unit) {
        case "seconds":
            return formatDurationSeconds(value);
        case "percent":
            return `${formatFloat(value, { digits: [false, 1] })}%`;
        case "per_hour":
        case "hours":
            return formatFloat(value, { digits: [false, 1] });
        default:
            return Number.isInteger(value)
                ? formatInteger(value)
                : formatFloat(value, { digits: [false, 1] });
    }
}

/** Bootstrap colour of a status ("success", "warning", "danger" or null). */
export function statusColor(status) {
    return ["success", "warning", "danger"].includes(status) ? status : false;
}

/** Words for a status, for screen readers and tooltips. */
export function statusLabel(status) {
    return (
        {
            success: _t("On target"),
            warning: _t("Slightly off target"),
            danger: _t("Off target"),
        }[status] || ""
    );
}
