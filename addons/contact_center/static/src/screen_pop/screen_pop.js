import { Component, onWillUnmount, reactive, useEffect, useRef, useState } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { deserializeDateTime, formatDateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { useDebounced } from "@web/core/utils/timing";

const MODE_KEY = "contact_center.screen_pop.mode";
const MODES = ["float", "docked", "minimised"];
// states in which the call is not over: no wrap-up yet
const LIVE_STATES = ["queued", "ringing", "in_progress"];

/** The wrap-up form, filled with what the call already holds. */
function newForm(stored = {}) {
    return {
        name: "",
        nameError: "",
        disposition: stored.disposition_id ? String(stored.disposition_id) : "",
        reason: stored.reason_id ? String(stored.reason_id) : "",
        note: stored.note || "",
        resolved: Boolean(stored.resolved),
    };
}

/**
 * Hand a tel: or sip: URI to the system's softphone without leaving Odoo: a
 * click on a temporary link to an external scheme opens its handler and the
 * page stays (an ir.actions.act_url would load "/tel:..." instead).
 */
export function openExternalUri(uri) {
    const link = document.createElement("a");
    link.href = uri;
    link.classList.add("d-none");
    document.body.appendChild(link);
    link.click();
    link.remove();
}

/**
 * Holds the card currently shown: the bus fills it when a call rings for the
 * agent, the card's wrap-up empties it. A service so that one card survives
 * navigation between actions. How the card is placed (floating, docked to
 * the side, minimised) is the agent's choice, kept in the browser.
 */
export const screenPopService = {
    dependencies: ["bus_service", "orm"],
    start(env, { bus_service, orm }) {
        const savedMode = browser.localStorage.getItem(MODE_KEY);
        const state = reactive({
            card: false,
            form: newForm(),
            mode: MODES.includes(savedMode) ? savedMode : "float",
            dialledUri: "",
        });
        const show = (payload) => {
            if (!payload) {
                state.card = false;
                return;
            }
            if (payload.interaction_id !== state.card.interaction_id) {
                state.form = newForm(payload.wrap_up);
                state.dialledUri = "";
            } else {
                // keep what the agent is typing, fill what they left blank
                const stored = newForm(payload.wrap_up);
                for (const key of ["disposition", "reason", "note"]) {
                    state.form[key] ||= stored[key];
                }
            }
            state.card = payload;
        };
        const reload = async () => {
            if (state.card) {
                show(
                    await orm.call("contact_center.interaction", "cc_screen_pop_data", [
                        [state.card.interaction_id],
                    ])
                );
            }
        };
        bus_service.subscribe("contact_center.screen_pop", show);
        // the PBX (or the agent) moved the call on: read the card again
        bus_service.subscribe("contact_center.screen_pop_update", (payload) => {
            if (
                state.card &&
                payload.interaction_id === state.card.interaction_id &&
                payload.state !== state.card.state
            ) {
                reload().catch(() => {});
            }
        });
        bus_service.start();
        // a reload during a call brings its card back
        orm.silent
            .call("contact_center.interaction", "cc_my_ringing_call", [])
            .then((payload) => payload && !state.card && show(payload))
            .catch(() => {});
        return {
            state,
            show,
            reload,
            close() {
                state.card = false;
            },
            setMode(mode) {
                state.mode = MODES.includes(mode) ? mode : "float";
                browser.localStorage.setItem(MODE_KEY, state.mode);
            },
            /** Click-to-dial without a PBX: the softphone dials, the card shows the call. */
            dial({ uri, card }) {
                show(card);
                state.dialledUri = uri;
                openExternalUri(uri);
            },
        };
    },
};

/** m:ss under an hour, h:mm:ss after. */
function formatElapsed(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    const pad = (n) => String(n).padStart(2, "0");
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/**
 * The caller's card: the call's direction, state and running time, who is
 * calling, their tier, open tickets, last contacts and satisfaction,
 * shortcuts to the customer, and the wrap-up form once the call has ended.
 * For a call dialled by the agent's softphone (no PBX reports on it) the
 * agent says how it went.
 */
export class ScreenPop extends Component {
    static template = "contact_center.ScreenPop";
    static props = {};

    setup() {
        this.screenPop = useService("contact_center.screen_pop");
        this.popState = useState(this.screenPop.state);
        this.orm = useService("orm");
        this.action = useService("action");
        this.notification = useService("notification");
        this.link = useState({ query: "", results: [] });
        this.clock = useState({ now: Date.now() });
        this.nameInput = useRef("nameInput");
        this.searchContacts = useDebounced(this.searchContacts.bind(this), 250);
        const timer = browser.setInterval(() => (this.clock.now = Date.now()), 1000);
        onWillUnmount(() => browser.clearInterval(timer));
        // a docked card takes its room beside the page instead of covering it
        useEffect(
            (docked) => {
                document.body.classList.toggle("o_cc_screen_pop_has_dock", docked);
                return () => document.body.classList.remove("o_cc_screen_pop_has_dock");
            },
            () => [Boolean(this.card) && this.popState.mode === "docked"]
        );
    }

    get card() {
        return this.popState.card;
    }

    get form() {
        return this.popState.form;
    }

    get mode() {
        return this.popState.mode;
    }

    get dockTitle() {
        return this.mode === "docked" ? _t("Float over the page") : _t("Dock beside the page");
    }

    get minimiseTitle() {
        return this.mode === "minimised" ? _t("Expand") : _t("Minimise");
    }

    get isLive() {
        return LIVE_STATES.includes(this.card.state);
    }

    get canWrapUp() {
        return !this.isLive;
    }

    get elapsed() {
        const since = {
            queued: this.card.queued_at,
            ringing: this.card.queued_at,
            in_progress: this.card.answered_at,
            wrap_up: this.card.ended_at,
        }[this.card.state];
        if (!since) {
            return "";
        }
        return formatElapsed((this.clock.now - deserializeDateTime(since).toMillis()) / 1000);
    }

    get stateBadgeClass() {
        return (
            {
                queued: "text-bg-info",
                ringing: "text-bg-warning",
                in_progress: "text-bg-success",
                wrap_up: "text-bg-primary",
            }[this.card.state] || "text-bg-secondary"
        );
    }

    get openTicketsLabel() {
        const count = this.card.counts.open_tickets;
        return count === 1 ? _t("1 open ticket") : _t("%s open tickets", count);
    }

    get contactsLabel() {
        const count = this.card.counts.contacts_30d;
        return count === 1 ? _t("1 contact in 30 days") : _t("%s contacts in 30 days", count);
    }

    formatDate(value) {
        return value ? formatDateTime(deserializeDateTime(value)) : "";
    }

    async call(method, args = []) {
        return this.orm.call("contact_center.interaction", method, [
            [this.card.interaction_id],
            ...args,
        ]);
    }

    openCustomer() {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "res.partner",
            res_id: this.card.customer.id,
            views: [[false, "form"]],
        });
    }

    async open360() {
        const action = await this.orm.call("res.partner", "action_cc_open_timeline", [
            [this.card.customer.id],
        ]);
        this.action.doAction(action);
    }

    openTicket(ticketId) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "contact_center.ticket",
            res_id: ticketId,
            views: [[false, "form"]],
        });
    }

    async newTicket() {
        this.action.doAction(await this.call("action_cc_new_ticket"));
    }

    onNameInput() {
        this.form.nameError = "";
    }

    async createPartner() {
        if (!this.form.name.trim()) {
            this.form.nameError = _t("Type the caller's name to create the contact.");
            this.nameInput.el?.focus();
            return;
        }
        const result = await this.call("action_cc_create_partner", [this.form.name]);
        this.screenPop.show(result.payload);
        this.notification.add(_t("Contact created and linked to the call."), {
            type: "success",
        });
    }

    async searchContacts() {
        const query = this.link.query.trim();
        this.link.results = query
            ? await this.orm.call("res.partner", "name_search", [], {
                  name: query,
                  limit: 5,
              })
            : [];
    }

    async linkPartner(partnerId) {
        const result = await this.call("action_cc_link_partner", [partnerId]);
        this.link.query = "";
        this.link.results = [];
        this.screenPop.show(result.payload);
        this.notification.add(_t("Contact linked to the call."), { type: "success" });
    }

    async createLead() {
        await this.call("action_cc_create_lead");
        this.notification.add(_t("Lead created for this caller."), { type: "success" });
    }

    /** The agent says how a call dialled by their softphone went. */
    async reportOutcome(outcome) {
        const payload = await this.call("action_cc_softphone_outcome", [outcome]);
        if (LIVE_STATES.includes(payload.state)) {
            this.screenPop.show(payload);
            return;
        }
        this.screenPop.close();
        this.notification.add(_t("Call logged: %s.", payload.state_label), { type: "info" });
    }

    async endCall() {
        this.screenPop.show(await this.call("action_cc_softphone_end"));
    }

    async saveWrapUp() {
        if (!this.form.disposition) {
            this.notification.add(_t("Pick a disposition to close the call."), {
                type: "warning",
            });
            return;
        }
        await this.call("action_cc_wrap_up", [
            parseInt(this.form.disposition),
            this.form.reason ? parseInt(this.form.reason) : false,
            this.form.note,
            this.form.resolved,
        ]);
        this.notification.add(_t("Wrap-up saved."), { type: "success" });
        this.screenPop.close();
    }

    dismiss() {
        this.screenPop.close();
    }

    toggleMinimised() {
        this.screenPop.setMode(this.mode === "minimised" ? "float" : "minimised");
    }

    toggleDocked() {
        this.screenPop.setMode(this.mode === "docked" ? "float" : "docked");
    }
}

registry.category("services").add("contact_center.screen_pop", screenPopService);
registry.category("main_components").add("contact_center.ScreenPop", { Component: ScreenPop });
registry
    .category("actions")
    .add("contact_center_softphone_dial", (env, action) =>
        env.services["contact_center.screen_pop"].dial(action.params)
    );
