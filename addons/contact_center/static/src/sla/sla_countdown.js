import { Component, onWillDestroy, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

const COLORS = {
    breached: "text-bg-danger",
    at_risk: "text-bg-warning",
    running: "text-bg-info",
    paused: "text-bg-secondary",
    met: "text-bg-success",
};

/** Time left before an SLA deadline, as a badge coloured by the SLA status,
 *  counting down while the view is open. */
export class SlaCountdown extends Component {
    static template = "contact_center.SlaCountdown";
    static props = { ...standardFieldProps };

    setup() {
        this.state = useState({ now: Date.now() });
        const timer = setInterval(() => (this.state.now = Date.now()), 30000);
        onWillDestroy(() => clearInterval(timer));
    }

    get status() {
        return this.props.record.data.sla_status || "none";
    }

    get colorClass() {
        const deadline = this.props.record.data[this.props.name];
        if (deadline && deadline.toMillis() < this.state.now) {
            return COLORS.breached;
        }
        return COLORS[this.status] || "text-bg-light";
    }

    get label() {
        const deadline = this.props.record.data[this.props.name];
        if (!deadline) {
            return { paused: _t("Paused"), met: _t("Met"), breached: _t("Breached") }[this.status] || "";
        }
        const minutes = Math.round((deadline.toMillis() - this.state.now) / 60000);
        const abs = Math.abs(minutes);
        const days = Math.floor(abs / 1440);
        const hours = Math.floor((abs % 1440) / 60);
        const mins = abs % 60;
        const text = days ? `${days}d ${hours}h` : hours ? `${hours}h ${mins}m` : `${mins}m`;
        return minutes >= 0 ? _t("%s left", text) : _t("%s late", text);
    }
}

registry.category("fields").add("cc_sla_countdown", {
    component: SlaCountdown,
    displayName: _t("SLA countdown"),
    supportedTypes: ["datetime"],
    fieldDependencies: [{ name: "sla_status", type: "selection" }],
});
