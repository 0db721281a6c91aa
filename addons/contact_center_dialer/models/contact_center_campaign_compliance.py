from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import float_compare
from odoo.tools.misc import formatLang
from odoo.tools.safe_eval import safe_eval

from ..tools import calling_window

# FTC Telemarketing Sales Rule safe harbour: an unanswered call rings at
# least this long before the dialer hangs up (campaigns enforce it too)
MIN_RING_SECONDS = 15

RULES = [
    ("abandon_rate", "Abandon rate"),
    ("identification", "Identification message"),
    ("ring_time", "Ring time"),
    ("number_limits", "Attempts per number"),
    ("calling_window", "Calling window"),
    ("window_blocks", "Held back by the calling window"),
    ("dnc", "Do-not-call list"),
    ("dnc_blocks", "Held back by the do-not-call list"),
    ("hard_stops", "Hard stops"),
]
STATUSES = [("met", "Met"), ("breached", "Breached"), ("info", "Information")]


class ContactCenterCampaignCompliance(models.TransientModel):
    """A campaign's compliance report, one line per rule: what was measured,
    the limit, whether it is met, and the records behind it.

    Transient: the report is measured when it is opened (``_open_for``), a
    few queries for all the rules, and its lines are vacuumed afterwards. A
    SQL view cannot hold the calling-window rule (local time of every call in
    its contact's time zone), and nothing here needs to be kept: the calls,
    numbers and held-back calls it points to are.
    """

    _name = "contact_center.campaign.compliance"
    _description = "Campaign Compliance Rule"
    _order = "campaign_id, sequence, id"

    campaign_id = fields.Many2one(
        "contact_center.campaign", required=True, ondelete="cascade", readonly=True
    )
    sequence = fields.Integer(readonly=True)
    rule = fields.Selection(RULES, string="Check", required=True, readonly=True)
    name = fields.Char(string="Rule", required=True, readonly=True)
    value = fields.Char(string="Measured", readonly=True)
    limit = fields.Char(readonly=True)
    status = fields.Selection(STATUSES, required=True, readonly=True)
    detail = fields.Text(readonly=True)
    record_count = fields.Integer(string="Records", readonly=True)
    res_model = fields.Char(readonly=True)
    records_domain = fields.Text(readonly=True)
    records_context = fields.Text(readonly=True)

    @api.model
    def _open_for(self, campaign):
        """Measure ``campaign`` now and open its report."""
        # agents have no access to the report: refuse before measuring
        self.check_access("create")
        lines = self.create(self._measure(campaign))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Compliance: %s", campaign.name),
            "res_model": self._name,
            "views": [(False, "list")],
            "domain": [("id", "in", lines.ids)],
            "context": {"create": False, "delete": False, "edit": False},
        }

    def action_open_records(self):
        """The records behind the rule: the calls, numbers or calls held
        back it counts."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": f"{self.campaign_id.name}: {self.name}",
            "res_model": self.res_model,
            "views": self._records_views(),
            "domain": safe_eval(self.records_domain or "[]"),
            "context": dict(
                safe_eval(self.records_context or "{}"), create=False, delete=False
            ),
        }

    def _records_views(self):
        if self.res_model == "contact_center.interaction":
            return [
                (
                    self.env.ref(
                        "contact_center_dialer.contact_center_interaction_view_list_dialer"
                    ).id,
                    "list",
                ),
                (False, "form"),
            ]
        return [(False, "list")]

    # ------------------------------------------------------------------
    # Measuring: a few queries for all the campaigns, never one per record
    # ------------------------------------------------------------------
    @api.model
    def _measure(self, campaigns, now=None):
        """The report lines (values for ``create``) of ``campaigns`` at
        ``now``, in order, each rule measured for all the campaigns at once."""
        now = now or fields.Datetime.now()
        self.env["contact_center.interaction"].flush_model()
        self.env["contact_center.campaign.number"].flush_model()
        self.env["contact_center.campaign.contact"].flush_model(["tz", "campaign_id"])
        self.env["phone.blacklist"].flush_model()
        abandon = campaigns._abandon_stats(now=now)
        totals = self._call_totals(campaigns)
        rings = self._short_rings(campaigns)
        numbers = self._numbers_over_limits(campaigns)
        outside = self._calls_outside_window(campaigns)
        dnc = self._calls_to_blocked_numbers(campaigns)
        blocks = {
            (campaign.id, reason): count
            for campaign, reason, count in self.env[
                "contact_center.campaign.block"
            ]._read_group(
                [("campaign_id", "in", campaigns.ids)],
                ["campaign_id", "reason"],
                ["__count"],
            )
        }
        lines = []
        for campaign in campaigns:
            lines += self._lines(
                campaign,
                now,
                abandon[campaign.id],
                totals.get(campaign.id, (0, 0)),
                rings.get(campaign.id, ([], None)),
                numbers.get(campaign.id, []),
                outside.get(campaign.id, []),
                dnc.get(campaign.id, []),
                blocks,
            )
        return lines

    def _lines(
        self, campaign, now, abandon, totals, rings, numbers, outside, dnc, blocks
    ):
        rules = dict(self._fields["rule"]._description_selection(self.env))
        calls = [("campaign_id", "=", campaign.id)]
        lines = []

        def line(
            rule, status, value, limit, detail, count, model, domain, context=None
        ):
            lines.append(
                {
                    "campaign_id": campaign.id,
                    "sequence": len(lines) + 1,
                    "rule": rule,
                    "name": rules[rule],
                    "status": status,
                    "value": value,
                    "limit": limit,
                    "detail": detail,
                    "record_count": count,
                    "res_model": model,
                    "records_domain": repr(domain),
                    "records_context": repr(context or {}),
                }
            )

        def percent(value):
            return f"{formatLang(self.env, value, digits=2)} %"

        # abandon rate over the rolling window
        hours = int(campaign.abandon_window_hours)
        window_label = dict(
            campaign._fields["abandon_window_hours"]._description_selection(self.env)
        )[campaign.abandon_window_hours]
        abandoned, live = abandon
        ceiling = campaign.abandon_ceiling_percent
        rate = abandoned * 100.0 / live if live else None
        line(
            "abandon_rate",
            "breached"
            if rate is not None and float_compare(rate, ceiling, 4) > 0
            else "met",
            percent(rate) if rate is not None else False,
            percent(ceiling),
            self.env._(
                "%(abandoned)s abandoned of %(live)s answered by a person, over "
                "%(window)s.",
                abandoned=abandoned,
                live=live,
                window=window_label,
            )
            if live
            else self.env._("No call answered by a person over %s.", window_label),
            abandoned,
            "contact_center.interaction",
            calls
            + [
                ("is_dialer_abandoned", "=", True),
                ("dialer_answered_by", "=", "human"),
                (
                    "answered_at",
                    ">",
                    fields.Datetime.to_string(now - timedelta(hours=hours)),
                ),
                ("answered_at", "<=", fields.Datetime.to_string(now)),
            ],
        )

        # identification message on every abandoned call (played by design)
        all_abandoned, hard_stops = totals
        message = (campaign.identification_message or "").strip()
        line(
            "identification",
            "breached" if all_abandoned and not message else "met",
            str(all_abandoned),
            self.env._("Played on every abandoned call"),
            message
            or self.env._("No identification message: abandoned calls play nothing."),
            all_abandoned,
            "contact_center.interaction",
            calls + [("is_dialer_abandoned", "=", True)],
        )

        # unanswered calls ring at least 15 s
        short_ids, shortest = rings
        line(
            "ring_time",
            "breached" if short_ids else "met",
            str(len(short_ids)),
            "0",
            self.env._(
                "Unanswered calls hung up before %(seconds)s s. Shortest ring: "
                "%(shortest)s s.",
                seconds=MIN_RING_SECONDS,
                shortest=int(shortest),
            )
            if shortest is not None
            else self.env._("No unanswered call yet."),
            len(short_ids),
            "contact_center.interaction",
            [("id", "in", short_ids)],
        )

        # attempts per number, in all and per day
        number_ids = [number_id for number_id, _day, _total in numbers]
        most_day = max((day for _n, day, _t in numbers), default=0)
        most_total = max((total for _n, _d, total in numbers), default=0)
        line(
            "number_limits",
            "breached" if numbers else "met",
            str(len(numbers)),
            "0",
            self.env._(
                "Numbers called more than %(per_day)s times a day or %(total)s "
                "times in all. Most calls to one of them: %(most_day)s in a "
                "day, %(most_total)s in all.",
                per_day=campaign.attempts_per_number_day,
                total=campaign.attempts_per_number,
                most_day=most_day,
                most_total=most_total,
            ),
            len(numbers),
            "contact_center.interaction",
            calls + [("campaign_number_id", "in", number_ids)],
            {"group_by": ["phone_e164", "queued_at:day"]},
        )

        # calls outside the calling window, in the contact's time zone
        line(
            "calling_window",
            "breached" if outside else "met",
            str(len(outside)),
            "0",
            self.env._(
                "Calls started outside the campaign's calling windows, in the "
                "contact's local time."
            ),
            len(outside),
            "contact_center.interaction",
            [("id", "in", outside)],
        )
        window_blocks = blocks.get((campaign.id, "window"), 0)
        line(
            "window_blocks",
            "info",
            str(window_blocks),
            "",
            self.env._(
                "Contacts the dialer did not call because it was outside their window."
            ),
            window_blocks,
            "contact_center.campaign.block",
            [("campaign_id", "=", campaign.id), ("reason", "=", "window")],
        )

        # the do-not-call list, at the time of the call
        line(
            "dnc",
            "breached" if dnc else "met",
            str(len(dnc)),
            "0",
            self.env._(
                "Calls to a number that was on the do-not-call list at the time."
            ),
            len(dnc),
            "contact_center.interaction",
            [("id", "in", dnc)],
        )
        dnc_blocks = blocks.get((campaign.id, "dnc"), 0)
        line(
            "dnc_blocks",
            "info",
            str(dnc_blocks),
            "",
            self.env._(
                "Numbers the dialer did not call because they were on the list."
            ),
            dnc_blocks,
            "contact_center.campaign.block",
            [("campaign_id", "=", campaign.id), ("reason", "=", "dnc")],
        )

        # hard stops: calls hung up when the last agent logged out
        line(
            "hard_stops",
            "info",
            str(hard_stops),
            "",
            self.env._(
                "Calls the dialer hung up because no agent was logged in any more."
            ),
            hard_stops,
            "contact_center.interaction",
            calls + [("dialer_hang_up_reason", "=", "no_agent")],
        )
        return lines

    def _call_totals(self, campaigns):
        """{campaign id: (abandoned calls, hard stops)} over the campaign's life."""
        self.env.cr.execute(
            """
            SELECT campaign_id,
                   count(*) FILTER (WHERE is_dialer_abandoned),
                   count(*) FILTER (WHERE dialer_hang_up_reason = 'no_agent')
              FROM contact_center_interaction
             WHERE campaign_id = ANY(%s)
               AND (is_dialer_abandoned OR dialer_hang_up_reason = 'no_agent')
             GROUP BY campaign_id
            """,
            (campaigns.ids,),
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    def _short_rings(self, campaigns):
        """{campaign id: (ids of unanswered calls that rang under 15 s,
        shortest ring of any unanswered call in seconds)}."""
        self.env.cr.execute(
            """
            SELECT campaign_id,
                   array_agg(id ORDER BY id)
                       FILTER (WHERE ended_at - queued_at
                                     < make_interval(secs => %(seconds)s)),
                   extract(epoch FROM min(ended_at - queued_at))
              FROM contact_center_interaction
             WHERE campaign_id = ANY(%(ids)s)
               AND state = 'missed'
               AND answered_at IS NULL
               AND ended_at IS NOT NULL
             GROUP BY campaign_id
            """,
            {"ids": campaigns.ids, "seconds": MIN_RING_SECONDS},
        )
        return {
            campaign_id: (ids or [], float(shortest))
            for campaign_id, ids, shortest in self.env.cr.fetchall()
        }

    def _numbers_over_limits(self, campaigns):
        """{campaign id: [(number id, most calls in a day, calls in all)]} of
        the numbers called more often than the campaign allows, per day or in
        all. Days are UTC days, as the dialer counts attempts_today."""
        self.env.cr.execute(
            """
            WITH per_day AS (
                SELECT campaign_number_id AS number_id,
                       queued_at::date AS day,
                       count(*) AS calls
                  FROM contact_center_interaction
                 WHERE campaign_id = ANY(%(ids)s)
                   AND campaign_number_id IS NOT NULL
                 GROUP BY 1, 2
            ), per_number AS (
                SELECT number_id, max(calls) AS most_day, sum(calls) AS total
                  FROM per_day
                 GROUP BY number_id
            )
            SELECT c.campaign_id, n.id, COALESCE(p.most_day, 0),
                   GREATEST(n.attempts, COALESCE(p.total, 0))
              FROM contact_center_campaign_number n
              JOIN contact_center_campaign_contact c ON c.id = n.contact_id
              JOIN unnest(%(ids)s::int[], %(per_day)s::int[], %(total)s::int[])
                   AS w(campaign_id, per_day, total)
                ON w.campaign_id = c.campaign_id
              LEFT JOIN per_number p ON p.number_id = n.id
             WHERE COALESCE(p.most_day, 0) > w.per_day
                OR GREATEST(n.attempts, COALESCE(p.total, 0)) > w.total
             ORDER BY n.id
            """,
            {
                "ids": campaigns.ids,
                "per_day": campaigns.mapped("attempts_per_number_day"),
                "total": campaigns.mapped("attempts_per_number"),
            },
        )
        result = defaultdict(list)
        for campaign_id, number_id, most_day, total in self.env.cr.fetchall():
            result[campaign_id].append((number_id, most_day, total))
        return result

    def _calls_outside_window(self, campaigns):
        """{campaign id: ids of calls started outside the campaign's windows
        in the contact's time zone}: the calls in one query, checked here.
        A contact whose time zone is unknown counts as outside (nobody can
        show the call was inside)."""
        self.env.cr.execute(
            """
            SELECT i.campaign_id, i.id, i.queued_at, c.tz
              FROM contact_center_interaction i
              LEFT JOIN contact_center_campaign_contact c
                     ON c.id = i.campaign_contact_id
             WHERE i.campaign_id = ANY(%s)
             ORDER BY i.id
            """,
            (campaigns.ids,),
        )
        rows = self.env.cr.fetchall()
        windows_of = campaigns._windows_many()
        settings = {
            campaign.id: (windows_of[campaign.id], campaign._default_contact_tz())
            for campaign in campaigns
        }
        result = defaultdict(list)
        for campaign_id, call_id, queued_at, tz in rows:
            windows, default_tz = settings[campaign_id]
            try:
                inside = calling_window.is_callable(
                    queued_at, tz or default_tz, windows
                )
            except ValueError:
                inside = False
            if not inside:
                result[campaign_id].append(call_id)
        return result

    def _calls_to_blocked_numbers(self, campaigns):
        """{campaign id: ids of calls to a number that was on Odoo's
        do-not-call list (``phone.blacklist``) when it was called}: from the
        entry's creation on, and, for an entry since removed, until its last
        change."""
        self.env.cr.execute(
            """
            SELECT DISTINCT i.campaign_id, i.id
              FROM contact_center_interaction i
              LEFT JOIN contact_center_campaign_number n
                     ON n.id = i.campaign_number_id
              JOIN phone_blacklist b
                ON b.number = COALESCE(n.phone_e164, i.phone_e164)
             WHERE i.campaign_id = ANY(%s)
               AND i.queued_at >= b.create_date
               AND (b.active OR i.queued_at < b.write_date)
             ORDER BY i.id
            """,
            (campaigns.ids,),
        )
        result = defaultdict(list)
        for campaign_id, call_id in self.env.cr.fetchall():
            result[campaign_id].append(call_id)
        return result
