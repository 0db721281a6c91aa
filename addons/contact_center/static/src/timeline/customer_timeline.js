import { Component, onMounted, onWillStart, onWillUnmount, onWillUpdateProps, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { deserializeDateTime, formatDateTime } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";

/** Channel codes of the timeline, with their icon and label. */
export const TIMELINE_CHANNELS = [
    { code: "phone", icon: "fa-phone", label: _t("Phone") },
    { code: "email", icon: "fa-envelope", label: _t("Email") },
    { code: "chat", icon: "fa-comments", label: _t("Chat") },
    { code: "sms", icon: "fa-mobile", label: _t("SMS") },
    { code: "social", icon: "fa-share-alt", label: _t("Social") },
    { code: "other", icon: "fa-circle-o", label: _t("Other") },
    { code: "note", icon: "fa-sticky-note-o", label: _t("Note") },
];
const CHANNEL_BY_CODE = Object.fromEntries(TIMELINE_CHANNELS.map((c) => [c.code, c]));
const DIRECTIONS = {
    inbound: { icon: "fa-arrow-down", label: _t("Inbound") },
    outbound: { icon: "fa-arrow-up", label: _t("Outbound") },
    internal: { icon: "fa-lock", label: _t("Internal") },
};
/** Badge class of each outcome tone the server sets on an entry. */
const TONE_CLASSES = {
    success: "text-bg-success",
    warning: "text-bg-warning",
    danger: "text-bg-danger",
    neutral: "text-bg-secondary",
};

/**
 * Every contact with a customer, newest first, one page at a time.
 *
 * Pages come from `contact_center.timeline.get_page`, which cuts them with a
 * keyset cursor: the component keeps the cursor of the last page and asks
 * for the next one when the end of the list scrolls into view.
 */
export class CustomerTimeline extends Component {
    static template = "contact_center.CustomerTimeline";
    static props = {
        record: { type: Object, optional: true },
        readonly: { type: Boolean, optional: true },
        partnerField: { type: String, optional: true },
        partnerId: { type: Number, optional: true },
        pageSize: { type: Number, optional: true },
    };
    static defaultProps = { pageSize: 40 };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.notification = useService("notification");
        this.channels = TIMELINE_CHANNELS;
        this.directions = DIRECTIONS;
        this.sentinel = useRef("sentinel");
        this.state = useState({
            entries: [],
            cursor: false,
            loading: false,
            loaded: false,
            channels: [],
            direction: "",
            dateFrom: "",
            dateTo: "",
        });
        // requests are numbered so that a slow answer to an old filter never
        // lands after the answer to the new one
        this.requestId = 0;
        this.currentPartnerId = this.getPartnerId(this.props);
        onWillStart(() => this.reload());
        onWillUpdateProps((nextProps) => {
            const partnerId = this.getPartnerId(nextProps);
            if (partnerId !== this.currentPartnerId) {
                this.currentPartnerId = partnerId;
                return this.reload();
            }
        });
        onMounted(() => {
            this.observer = new IntersectionObserver((items) => {
                if (items.some((item) => item.isIntersecting)) {
                    this.loadMore();
                }
            });
            if (this.sentinel.el) {
                this.observer.observe(this.sentinel.el);
            }
        });
        onWillUnmount(() => this.observer?.disconnect());
    }

    getPartnerId(props) {
        if (props.partnerId) {
            return props.partnerId;
        }
        const record = props.record;
        if (!record) {
            return false;
        }
        if (props.partnerField) {
            const value = record.data[props.partnerField];
            return (Array.isArray(value) ? value[0] : value?.id) || false;
        }
        return record.resId || false;
    }

    get filters() {
        const filters = {};
        if (this.state.channels.length) {
            filters.channels = [...this.state.channels];
        }
        if (this.state.direction) {
            filters.directions = [this.state.direction];
        }
        if (this.state.dateFrom) {
            filters.date_from = this.state.dateFrom;
        }
        if (this.state.dateTo) {
            filters.date_to = this.state.dateTo;
        }
        return filters;
    }

    get hasMore() {
        return Boolean(this.state.cursor);
    }

    async fetchPage(cursor) {
        const partnerId = this.currentPartnerId;
        if (!partnerId) {
            return { entries: [], next_cursor: false };
        }
        return this.orm.call("contact_center.timeline", "get_page", [partnerId], {
            filters: this.filters,
            cursor: cursor || null,
            limit: this.props.pageSize,
        });
    }

    async load(reset) {
        const requestId = ++this.requestId;
        this.state.loading = true;
        try {
            const page = await this.fetchPage(reset ? false : this.state.cursor);
            if (requestId !== this.requestId) {
                return;
            }
            this.state.entries = reset ? page.entries : [...this.state.entries, ...page.entries];
            this.state.cursor = page.next_cursor;
        } catch (error) {
            if (requestId === this.requestId) {
                this.state.cursor = false;
            }
            throw error;
        } finally {
            if (requestId === this.requestId) {
                this.state.loading = false;
                this.state.loaded = true;
            }
        }
    }

    reload() {
        return this.load(true);
    }

    async loadMore() {
        if (this.state.loading || !this.hasMore) {
            return;
        }
        await this.load(false);
        // a tall screen may still show the end of the list: keep filling it
        if (this.sentinel.el && this.hasMore && this.isVisible(this.sentinel.el)) {
            await this.loadMore();
        }
    }

    isVisible(el) {
        const rect = el.getBoundingClientRect();
        return rect.top < window.innerHeight && rect.bottom > 0;
    }

    toggleChannel(code) {
        const channels = this.state.channels;
        const index = channels.indexOf(code);
        if (index >= 0) {
            channels.splice(index, 1);
        } else {
            channels.push(code);
        }
        this.reload();
    }

    isChannelActive(code) {
        return this.state.channels.includes(code);
    }

    onDirectionChange(ev) {
        this.state.direction = ev.target.value;
        this.reload();
    }

    onDateChange(key, ev) {
        this.state[key] = ev.target.value;
        this.reload();
    }

    clearFilters() {
        Object.assign(this.state, { channels: [], direction: "", dateFrom: "", dateTo: "" });
        this.reload();
    }

    channelInfo(entry) {
        return CHANNEL_BY_CODE[entry.channel] || CHANNEL_BY_CODE.other;
    }

    directionInfo(entry) {
        return DIRECTIONS[entry.direction] || false;
    }

    formatAt(entry) {
        return formatDateTime(deserializeDateTime(entry.at));
    }

    formatDuration(seconds) {
        if (!seconds) {
            return "";
        }
        const hours = Math.floor(seconds / 3600);
        const minutes = Math.floor((seconds % 3600) / 60);
        const secs = String(seconds % 60).padStart(2, "0");
        return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${secs}` : `${minutes}:${secs}`;
    }

    /**
     * The entry's recording link if it is an http(s) address, else "": a
     * link stored before the server checked it (or by other means) must not
     * become a javascript: or data: href.
     */
    recordingUrl(entry) {
        const url = entry.recording_url || "";
        return /^https?:\/\/[^\s]/i.test(url) ? url : "";
    }

    outcomeClass(entry) {
        return TONE_CLASSES[entry.tone] || TONE_CLASSES.neutral;
    }

    openEntry(entry) {
        if (!entry.res_model || !entry.res_id) {
            return;
        }
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: entry.res_model,
            res_id: entry.res_id,
            views: [[false, "form"]],
            target: "current",
        });
    }
}

export const customerTimelineWidget = {
    component: CustomerTimeline,
    extractProps: ({ attrs }) => {
        const props = {};
        if (attrs.partner_field) {
            props.partnerField = attrs.partner_field;
        }
        if (attrs.page_size) {
            props.pageSize = parseInt(attrs.page_size, 10);
        }
        return props;
    },
    fieldDependencies: ({ attrs }) =>
        attrs.partner_field ? [{ name: attrs.partner_field, type: "many2one" }] : [],
};

registry.category("view_widgets").add("cc_timeline", customerTimelineWidget);

/** The timeline on a page of its own, opened from the customer's smart button. */
export class CustomerTimelineAction extends Component {
    static template = "contact_center.CustomerTimelineAction";
    static components = { CustomerTimeline, Layout };
    static props = ["*"];

    get partnerId() {
        return this.props.action.params?.partner_id || false;
    }
}

registry.category("actions").add("contact_center.customer_timeline", CustomerTimelineAction);
