import { Component, onWillStart, useState } from "@odoo/owl";
import { DateTimeInput } from "@web/core/datetime/datetime_input";
import { Dropdown } from "@web/core/dropdown/dropdown";
import { CheckboxItem } from "@web/core/dropdown/checkbox_item";
import { DropdownItem } from "@web/core/dropdown/dropdown_item";
import { _t } from "@web/core/l10n/translation";
import { deserializeDate, serializeDate } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { KeepLast } from "@web/core/utils/concurrency";
import { Layout } from "@web/search/layout";
import { useSetupAction } from "@web/search/action_hook";
import { formatKpi, statusColor, statusLabel } from "./kpi_format";

const { DateTime } = luxon;

/** The periods a supervisor picks from; "custom" takes two dates. */
export const PERIODS = [
    { key: "today", label: _t("Today") },
    { key: "week", label: _t("This Week") },
    { key: "month", label: _t("This Month") },
    { key: "last_month", label: _t("Last Month") },
    { key: "custom", label: _t("Custom") },
];

/** First and last day (luxon dates, local) of a named period. */
export function periodBounds(key, today = DateTime.local()) {
    today = today.startOf("day");
    switch (key) {
        case "week":
            return [today.startOf("week"), today];
        case "month":
            return [today.startOf("month"), today];
        case "last_month": {
            const last = today.minus({ months: 1 });
            return [last.startOf("month"), last.endOf("month").startOf("day")];
        }
        default:
            return [today, today];
    }
}

/**
 * The supervisor dashboard: KPIs of the chosen teams over a chosen period,
 * in total (cards), per team and per agent (tables), against their targets.
 * Every figure opens the records behind it; the chosen period and teams
 * survive the way back through the breadcrumb.
 */
export class SupervisorDashboard extends Component {
    static template = "contact_center.SupervisorDashboard";
    static components = { Layout, DateTimeInput, Dropdown, DropdownItem, CheckboxItem };
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.keepLast = new KeepLast();
        this.periods = PERIODS;
        this.tables = [
            {
                name: "teams",
                title: _t("Teams"),
                nameTitle: _t("Team"),
                empty: _t("No team to show."),
                rowsKey: "teams_rows",
                drillKey: "teamId",
            },
            {
                name: "agents",
                title: _t("Agents"),
                nameTitle: _t("Agent"),
                empty: _t("No agent in these teams."),
                rowsKey: "agents_rows",
                drillKey: "agentId",
            },
        ];
        const context = this.props.action?.context || {};
        const saved = this.props.state?.ccKpiDashboard;
        const period = saved?.period || context.cc_period || "today";
        let [from, to] = periodBounds(period);
        if (saved?.dateFrom) {
            from = deserializeDate(saved.dateFrom);
            to = deserializeDate(saved.dateTo);
        } else if (context.cc_date_from && context.cc_date_to) {
            from = deserializeDate(context.cc_date_from);
            to = deserializeDate(context.cc_date_to);
        }
        this.state = useState({
            period,
            dateFrom: from,
            dateTo: to,
            teamIds: saved?.teamIds || context.cc_team_ids || [],
            data: null,
            loading: true,
        });
        useSetupAction({
            getLocalState: () => ({
                ccKpiDashboard: {
                    period: this.state.period,
                    dateFrom: serializeDate(this.state.dateFrom),
                    dateTo: serializeDate(this.state.dateTo),
                    teamIds: [...this.state.teamIds],
                },
            }),
        });
        onWillStart(() => this.load());
    }

    get display() {
        return { controlPanel: {} };
    }

    // ------------------------------------------------------------------
    // Data
    // ------------------------------------------------------------------
    get teamIdsArg() {
        return this.state.teamIds.length ? [...this.state.teamIds] : false;
    }

    async load() {
        this.state.loading = true;
        const data = await this.keepLast.add(
            this.orm.call("contact_center.kpi", "get_supervisor_dashboard", [
                serializeDate(this.state.dateFrom),
                serializeDate(this.state.dateTo),
                this.teamIdsArg,
            ])
        );
        this.state.data = data;
        this.state.loading = false;
    }

    // ------------------------------------------------------------------
    // Filters
    // ------------------------------------------------------------------
    selectPeriod(key) {
        this.state.period = key;
        if (key !== "custom") {
            [this.state.dateFrom, this.state.dateTo] = periodBounds(key);
            this.load();
        }
    }

    onDateFromChange(value) {
        if (!value) {
            return;
        }
        this.state.dateFrom = value.startOf("day");
        if (this.state.dateTo < this.state.dateFrom) {
            this.state.dateTo = this.state.dateFrom;
        }
        this.load();
    }

    onDateToChange(value) {
        if (!value) {
            return;
        }
        this.state.dateTo = value.startOf("day");
        if (this.state.dateTo < this.state.dateFrom) {
            this.state.dateFrom = this.state.dateTo;
        }
        this.load();
    }

    get periodLabel() {
        const from = this.state.dateFrom.toLocaleString(DateTime.DATE_MED);
        const to = this.state.dateTo.toLocaleString(DateTime.DATE_MED);
        return from === to ? from : `${from} – ${to}`;
    }

    isTeamSelected(teamId) {
        return this.state.teamIds.includes(teamId);
    }

    toggleTeam(teamId) {
        const ids = this.state.teamIds;
        this.state.teamIds = ids.includes(teamId)
            ? ids.filter((id) => id !== teamId)
            : [...ids, teamId];
        this.load();
    }

    clearTeams() {
        this.state.teamIds = [];
        this.load();
    }

    get teamsLabel() {
        const teams = this.state.data?.teams || [];
        const chosen = teams.filter((team) => this.state.teamIds.includes(team.id));
        if (!chosen.length) {
            return _t("All my teams");
        }
        if (chosen.length === 1) {
            return chosen[0].name;
        }
        return _t("%s teams", chosen.length);
    }

    // ------------------------------------------------------------------
    // Figures
    // ------------------------------------------------------------------
    format(value, column) {
        return formatKpi(value, column.unit);
    }

    color(row, column) {
        return statusColor(row.status?.[column.code]);
    }

    title(row, column) {
        const target = row.targets?.[column.code];
        if (target === null || target === undefined) {
            return _t("No target");
        }
        const status = statusLabel(row.status?.[column.code]);
        const text = _t("Target: %s", formatKpi(target, column.unit));
        return status ? `${text} (${status})` : text;
    }

    isClickable(row, column) {
        const value = row.values?.[column.code];
        return value !== null && value !== undefined;
    }

    /** What a row's figures are restricted to: its team or its agent. */
    drillOf(table, row) {
        return { [table.drillKey]: row.id };
    }

    /**
     * Opens the interactions, tickets or presence periods behind a figure:
     * of the whole selection, of one team (teamId) or of one agent.
     */
    async drillDown(column, { teamId = false, agentId = false } = {}) {
        const teamIds = teamId ? [teamId] : this.teamIdsArg;
        const action = await this.orm.call("contact_center.kpi", "action_drill_down", [
            column.code,
            serializeDate(this.state.dateFrom),
            serializeDate(this.state.dateTo),
            teamIds,
            agentId,
        ]);
        await this.action.doAction(action);
    }
}

registry.category("actions").add("contact_center.supervisor_dashboard", SupervisorDashboard);
