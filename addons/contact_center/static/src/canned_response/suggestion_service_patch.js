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
