import { Component, reactive, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { useDebounced } from "@web/core/utils/timing";

function newForm() {
    return { name: "", disposition: "", reason: "", note: "", resolved: false, collapsed: false };
}

/**
 * Holds the card currently shown: the bus fills it when a call rings for the
 * agent, the card's wrap-up empties it. A service so that one card survives
 * navigation between actions.
 */
export const screenPopService = {
    dependencies: ["bus_service", "orm"],
    start(env, { bus_service, orm }) {
        const state = reactive({ card: false, form: newForm() });
        const show = (payload) => {
            if (payload && payload.interaction_id !== state.card.interaction_id) {
                state.form = newForm();
            }
            state.card = payload || false;
        };
        bus_service.subscribe("contact_center.screen_pop", show);
        bus_service.start();
        // a reload during a call brings its card back
        orm.silent
            .call("contact_center.interaction", "cc_my_ringing_call", [])
            .then((payload) => payload && !state.card && show(payload))
            .catch(() => {});
        return {
            state,
            show,
            close() {
                state.card = false;
            },
            async reload() {
                if (state.card) {
                    state.card = await orm.call(
                        "contact_center.interaction",
                        "cc_screen_pop_data",
                        [[state.card.interaction_id]]
                    );
                }
            },
        };
    },
};

/**
 * The caller's card: who is calling, their tier, open tickets, last contacts
 * and satisfaction, shortcuts to the customer, and the wrap-up form that
 * closes the call.
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
        this.searchContacts = useDebounced(this.searchContacts.bind(this), 250);
    }

    get card() {
        return this.popState.card;
    }

    get form() {
        return this.popState.form;
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

    async createPartner() {
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

    toggle() {
        this.form.collapsed = !this.form.collapsed;
    }
}

registry.category("services").add("contact_center.screen_pop", screenPopService);
registry.category("main_components").add("contact_center.ScreenPop", { Component: ScreenPop });
