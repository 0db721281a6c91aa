from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import phone as phone_tools
from ..tools.phone import to_e164
from .contact_center_team import CHANNELS


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "contact_center.click.to.dial.mixin"]

    cc_tier_id = fields.Many2one(
        "contact_center.customer.tier",
        string="Customer Tier",
        default=lambda self: self.env.ref(
            "contact_center.customer_tier_standard", raise_if_not_found=False
        ),
        index=True,
        tracking=True,
    )
    cc_is_vip = fields.Boolean(related="cc_tier_id.is_vip", string="VIP")
    cc_preferred_channel = fields.Selection(CHANNELS, string="Preferred Channel")
    cc_phone_e164 = fields.Char(
        string="Phone (E.164)",
        compute="_compute_cc_e164",
        store=True,
        index="btree_not_null",
    )
    cc_mobile_e164 = fields.Char(
        string="Mobile (E.164)",
        compute="_compute_cc_e164",
        store=True,
        index="btree_not_null",
    )
    cc_phone_issue = fields.Text(
        string="Phone Issue",
        compute="_compute_cc_phone_issue",
        help="Why the phone or mobile cannot be used for caller ID or dialing.",
    )
    cc_phone_needs_fix = fields.Boolean(
        string="Phone Needs Fixing",
        compute="_compute_cc_phone_issue",
        search="_search_cc_phone_needs_fix",
        help="A phone or mobile is filled in but has no E.164 form: calls "
        "from it are not recognised and it cannot be dialled.",
    )
    cc_interaction_ids = fields.One2many(
        "contact_center.interaction", "partner_id", string="Interactions"
    )
    cc_interaction_count_30d = fields.Integer(
        string="Contacts (30 days)", compute="_compute_cc_counters"
    )
    cc_interaction_count_365d = fields.Integer(
        string="Contacts (365 days)", compute="_compute_cc_counters"
    )
    cc_last_contact_at = fields.Datetime(
        string="Last Contact", compute="_compute_cc_counters"
    )
    cc_last_contact_channel = fields.Selection(
        CHANNELS, string="Last Channel", compute="_compute_cc_counters"
    )

    cc_ticket_ids = fields.One2many(
        "contact_center.ticket", "partner_id", string="Tickets"
    )
    cc_ticket_open_count = fields.Integer(
        string="Open Tickets", compute="_compute_cc_ticket_counts"
    )
    cc_ticket_closed_count = fields.Integer(
        string="Closed Tickets", compute="_compute_cc_ticket_counts"
    )
    cc_last_ticket_id = fields.Many2one(
        "contact_center.ticket",
        string="Last Ticket",
        compute="_compute_cc_ticket_counts",
    )

    @api.depends_context("uid")
    def _compute_cc_ticket_counts(self):
        counts = {}
        if self.ids and self.env["contact_center.ticket"].has_access("read"):
            groups = self.env["contact_center.ticket"]._read_group(
                [("partner_id", "in", self.ids)],
                ["partner_id", "stage_id"],
                ["__count"],
            )
            for partner, stage, count in groups:
                closed = stage.is_solved or stage.is_closed
                open_c, closed_c = counts.get(partner.id, (0, 0))
                counts[partner.id] = (
                    (open_c, closed_c + count) if closed else (open_c + count, closed_c)
                )
        last = {}
        if self.ids and self.env["contact_center.ticket"].has_access("read"):
            # latest ticket per customer the user may read, in one query
            query = self.env["contact_center.ticket"]._search(
                [("partner_id", "in", self.ids)]
            )
            self.env.cr.execute(
                SQL(
                    "SELECT DISTINCT ON (t.partner_id) t.partner_id, t.id FROM (%s) t "
                    "ORDER BY t.partner_id, t.id DESC",
                    query.select("partner_id", "id"),
                )
            )
            last = dict(self.env.cr.fetchall())
        for partner in self:
            partner.cc_ticket_open_count, partner.cc_ticket_closed_count = counts.get(
                partner.id, (0, 0)
            )
            partner.cc_last_ticket_id = last.get(partner.id, False)

    def action_cc_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "contact_center.contact_center_ticket_action"
        )
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def _cc_phone_country(self):
        """The country a national number of the partner is read in.

        The partner's own country first, then their company's, then the
        current company's.
        """
        self.ensure_one()
        return (
            self.country_id or self.company_id.country_id or self.env.company.country_id
        )

    @api.depends("phone", "mobile", "country_id", "company_id.country_id")
    def _compute_cc_e164(self):
        for partner in self:
            code = partner._cc_phone_country().code
            partner.cc_phone_e164 = to_e164(partner.phone, code) or False
            partner.cc_mobile_e164 = to_e164(partner.mobile, code) or False

    @api.depends("phone", "mobile", "country_id", "company_id.country_id")
    def _compute_cc_phone_issue(self):
        labels = {
            "phone": self.env._("Phone"),
            "mobile": self.env._("Mobile"),
        }
        for partner in self:
            country = partner._cc_phone_country()
            issues = [
                partner._cc_phone_issue_text(labels[name], partner[name], country)
                for name in ("phone", "mobile")
            ]
            issues = [issue for issue in issues if issue]
            partner.cc_phone_issue = "\n".join(issues) or False
            partner.cc_phone_needs_fix = bool(issues)

    def _cc_phone_issue_text(self, label, number, country):
        """Say why ``number`` cannot be used and how to fix it, or False."""
        reason = phone_tools.diagnose(number, country.code)
        if not reason:
            return False
        country_name = country.name or self.env._("the contact's country")
        messages = {
            phone_tools.NO_COUNTRY: self.env._(
                "%(label)s \u201c%(number)s\u201d is written without its "
                "country code and the contact has no country: write it as "
                "+<country code> <number> or set the country."
            ),
            phone_tools.NOT_A_NUMBER: self.env._(
                "%(label)s \u201c%(number)s\u201d is not a phone number."
            ),
            phone_tools.TOO_SHORT: self.env._(
                "%(label)s \u201c%(number)s\u201d has too few digits for a "
                "phone number."
            ),
            phone_tools.TOO_LONG: self.env._(
                "%(label)s \u201c%(number)s\u201d has too many digits for a "
                "number of %(country)s: correct it, or write it with its "
                "country code (+1 ..., +44 ...) if it is from another country."
            ),
            phone_tools.INVALID: self.env._(
                "%(label)s \u201c%(number)s\u201d is not a number of "
                "%(country)s: correct it, or write it with its country code "
                "(+1 ..., +44 ...) if it is from another country."
            ),
        }
        return self.env._(
            "%(problem)s Calls from it are not recognised and it cannot be dialled.",
            problem=messages[reason]
            % {"label": label, "number": number, "country": country_name},
        )

    @api.model
    def _search_cc_phone_needs_fix(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(
                self.env._("Search contacts whose phone needs fixing with = or !=.")
            )
        # a number that is filled in but got no E.164 form needs fixing
        domain = [
            "|",
            "&",
            ("phone", "not in", (False, "")),
            ("cc_phone_e164", "=", False),
            "&",
            ("mobile", "not in", (False, "")),
            ("cc_mobile_e164", "=", False),
        ]
        if (operator == "=") != value:
            return ["!", *domain]
        return domain

    def _compute_cc_counters(self):
        """Contact counters for the 360° view, in two queries for all partners."""
        partners = self.filtered("id")
        (self - partners).update(
            {
                "cc_interaction_count_30d": 0,
                "cc_interaction_count_365d": 0,
                "cc_last_contact_at": False,
                "cc_last_contact_channel": False,
            }
        )
        if not partners:
            return
        now = fields.Datetime.now()
        self.env["contact_center.interaction"].flush_model(
            ["partner_id", "queued_at", "channel"]
        )
        self.env.cr.execute(
            """
            SELECT partner_id,
                   COUNT(*) FILTER (WHERE queued_at >= %(d30)s),
                   COUNT(*)
              FROM contact_center_interaction
             WHERE partner_id = ANY(%(ids)s) AND queued_at >= %(d365)s
          GROUP BY partner_id
            """,
            {
                "ids": partners.ids,
                "d30": now - timedelta(days=30),
                "d365": now - timedelta(days=365),
            },
        )
        counts = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        self.env.cr.execute(
            """
            SELECT p.id, last.queued_at, last.channel
              FROM unnest(%(ids)s) AS p(id)
              CROSS JOIN LATERAL (
                    SELECT queued_at, channel
                      FROM contact_center_interaction i
                     WHERE i.partner_id = p.id
                  ORDER BY queued_at DESC, id DESC
                     LIMIT 1
              ) last
            """,
            {"ids": partners.ids},
        )
        last = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for partner in partners:
            c30, c365 = counts.get(partner.id, (0, 0))
            last_at, last_channel = last.get(partner.id, (False, False))
            partner.cc_interaction_count_30d = c30
            partner.cc_interaction_count_365d = c365
            partner.cc_last_contact_at = last_at
            partner.cc_last_contact_channel = last_channel

    @api.model
    def cc_find_by_phone(self, number, country_code=None):
        """Caller-ID look-up: partners whose phone or mobile is ``number``.

        ``number`` may be written in any format; it is normalised to E.164
        (with ``country_code`` or the company's country for national numbers)
        and matched against the indexed E.164 columns.
        """
        region = country_code or self.env.company.country_id.code
        e164 = to_e164(number, region)
        if not e164:
            return self.browse()
        return self.search(
            ["|", ("cc_phone_e164", "=", e164), ("cc_mobile_e164", "=", e164)],
            order="cc_tier_id desc nulls last, id",
        )

    @api.model
    def _cc_find_by_phones(self, numbers, country_code=None, company=None):
        """Caller-ID look-up of many numbers in one query.

        Returns {number as given: partner} for the numbers that match, each
        the partner ``cc_find_by_phone`` would put first. With ``company``,
        only its partners and shared ones (for callers without record rules,
        such as the telephony API).
        """
        region = country_code or self.env.company.country_id.code
        e164_of = {number: to_e164(number, region) for number in set(numbers)}
        wanted = list({e164 for e164 in e164_of.values() if e164})
        if not wanted:
            return {}
        first = {}
        domain = [
            "|",
            ("cc_phone_e164", "in", wanted),
            ("cc_mobile_e164", "in", wanted),
        ]
        if company:
            domain.append(("company_id", "in", (False, company.id)))
        for partner in self.search_fetch(
            domain,
            ["cc_phone_e164", "cc_mobile_e164"],
            order="cc_tier_id desc nulls last, id",
        ):
            for e164 in (partner.cc_phone_e164, partner.cc_mobile_e164):
                if e164:
                    first.setdefault(e164, partner)
        return {
            number: first[e164]
            for number, e164 in e164_of.items()
            if e164 and e164 in first
        }

    def write(self, vals):
        result = super().write(vals)
        if "cc_tier_id" in vals:
            # a new tier tightens or relaxes the SLA of the open tickets now,
            # not at their next change; sudo: SLA lines are system records
            self.env["contact_center.ticket"].sudo().search(
                [("partner_id", "in", self.ids), ("is_open", "=", True)]
            )._sla_sync()
        return result

    def action_cc_view_interactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "contact_center.contact_center_interaction_action"
        )
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_cc_open_timeline(self):
        self.ensure_one()
        return {
            "type": "ir.actions.client",
            "tag": "contact_center.customer_timeline",
            "name": self.env._("Timeline of %s", self.display_name),
            "params": {"partner_id": self.id},
        }

    def _cc_dial_partner(self):
        return self

    @api.depends("cc_phone_e164", "cc_mobile_e164")
    def _compute_cc_dial_ok(self):
        # the numbers were read once, when stored: no second parse
        for partner in self:
            partner.cc_dial_phone_ok = bool(partner.cc_phone_e164)
            partner.cc_dial_mobile_ok = bool(partner.cc_mobile_e164)
