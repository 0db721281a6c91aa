import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { formatKpi, statusColor, statusLabel } from "./kpi_format";

/**
 * "My Performance": the agent's own KPIs today and this week, each against
 * its target and the average of the agent's teams, coloured by how it
 * stands against the target.
 */
export class MyPerformance extends Component {
    static template = "contact_center.MyPerformance";
    static components = { Layout };
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.state = useState({ data: null });
        onWillStart(() => this.load());
    }

    get display() {
        return { controlPanel: {} };
    }

    async load() {
        this.state.data = await this.orm.call("contact_center.kpi", "get_my_performance", []);
    }

    format(value, column) {
        return formatKpi(value, column.unit);
    }

    hasValue(value) {
        return value !== null && value !== undefined;
    }

    color(period, column) {
        return statusColor(period.status?.[column.code]);
    }

    statusText(period, column) {
        return statusLabel(period.status?.[column.code]);
    }

    betterText(column) {
        return column.better === "lower" ? _t("Lower is better") : _t("Higher is better");
    }
}

registry.category("actions").add("contact_center.my_performance", MyPerformance);
