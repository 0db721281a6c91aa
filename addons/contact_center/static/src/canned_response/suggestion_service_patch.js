import { UseSuggestion } from "@mail/core/common/suggestion_hook";
import { SuggestionService } from "@mail/core/common/suggestion_service";
import { patch } from "@web/core/utils/patch";

/**
 * Canned responses scoped to contact center teams or contact reasons are
 * suggested on the tickets they fit and nowhere else; unscoped responses
 * keep Odoo's behaviour.
 */
export function cannedResponseFits(response, thread) {
    const teams = response.cc_team_ids || [];
    const reasons = response.cc_reason_ids || [];
    if (!teams.length && !reasons.length) {
        return true;
    }
    if (thread?.model !== "contact_center.ticket") {
        return false;
    }
    return (
        (!teams.length || teams.includes(thread.cc_team_id)) &&
        (!reasons.length || reasons.includes(thread.cc_reason_id))
    );
}

patch(SuggestionService.prototype, {
    searchSuggestions({ delimiter, term }, { thread, sort = false } = {}) {
        const result = super.searchSuggestions(...arguments);
        if (delimiter === ":") {
            result.suggestions = result.suggestions.filter((response) =>
                cannedResponseFits(response, thread)
            );
        }
        return result;
    },
});

// "{customer}", "{ticket}", "{agent}", "{expected}": filled by the server
const PLACEHOLDER_RE = /\{(customer|ticket|agent|expected)\}/;

/**
 * A canned response picked in a ticket's composer shows at once as the
 * customer will receive it: its placeholders are filled by the server (the
 * customer's name, the ticket number, the expected answer time in words), so
 * the agent reads and may edit the real text before sending it.
 */
patch(UseSuggestion.prototype, {
    insert(option) {
        super.insert(option);
        const thread = this.thread;
        if (
            option.cannedResponse &&
            thread?.model === "contact_center.ticket" &&
            thread.id &&
            PLACEHOLDER_RE.test(option.label)
        ) {
            this.ccFillPlaceholders(thread.id, option.label);
        }
    },

    async ccFillPlaceholders(ticketId, raw) {
        const filled = await this.comp.env.services.orm.call(
            "contact_center.ticket",
            "cc_fill_placeholders",
            [[ticketId], raw]
        );
        const composer = this.composer;
        const index = composer.text.indexOf(raw);
        if (index === -1 || filled === raw) {
            return; // the agent already changed the text: keep theirs
        }
        composer.text =
            composer.text.slice(0, index) + filled + composer.text.slice(index + raw.length);
        const cursor = index + filled.length + 1;
        composer.selection.start = cursor;
        composer.selection.end = cursor;
        composer.forceCursorMove = true;
    },
});
