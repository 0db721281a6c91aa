import logging

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import classification
from .contact_center_ticket import PRIORITIES

_logger = logging.getLogger(__name__)


class ContactCenterClassificationRule(models.Model):
    """Sets team, priority, tags, reason, language and skills on new tickets."""

    _name = "contact_center.classification.rule"
    _description = "Ticket Classification Rule"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Rules are tried in this order.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    # conditions: every condition filled in must hold
    subject_keywords = fields.Char(
        help="Comma-separated; the subject must contain one of them (any case)."
    )
    body_keywords = fields.Char(
        help="Comma-separated; the message must contain one of them (any case)."
    )
    pattern = fields.Char(
        string="Regular Expression",
        help="Python regular expression searched in the subject and the message.",
    )
    pattern_error = fields.Char(
        string="Pattern Disabled",
        readonly=True,
        copy=False,
        help="Why the regular expression was stopped: the rule is skipped "
        "until its pattern is changed.",
    )
    sender_filter = fields.Char(
        string="Senders",
        help="Comma-separated addresses or domains starting with @, e.g. "
        "'boss@example.com, @bigcustomer.com'.",
    )
    alias_ids = fields.Many2many(
        "mail.alias",
        "contact_center_classif_rule_alias_rel",
        string="Sent To",
        help="The email was sent to one of these aliases.",
    )
    tier_ids = fields.Many2many(
        "contact_center.customer.tier",
        "contact_center_classif_rule_tier_rel",
        string="Customer Tiers",
    )
    lang_ids = fields.Many2many(
        "res.lang", "contact_center_classif_rule_lang_rel", string="Languages"
    )
    # actions
    set_team_id = fields.Many2one(
        "contact_center.team", string="Set Team", check_company=True
    )
    set_priority = fields.Selection(PRIORITIES, string="Set Priority")
    set_tag_ids = fields.Many2many(
        "contact_center.ticket.tag",
        "contact_center_classif_rule_tag_rel",
        string="Add Tags",
    )
    set_reason_id = fields.Many2one(
        "contact_center.contact.reason", string="Set Contact Reason", check_company=True
    )
    set_lang = fields.Selection(
        selection=lambda self: self.env["res.lang"].get_installed(),
        string="Set Language",
    )
    set_skill_ids = fields.Many2many(
        "contact_center.skill",
        "contact_center_classif_rule_skill_rel",
        string="Require Skills",
    )
    ticket_count = fields.Integer(compute="_compute_ticket_count")

    def _compute_ticket_count(self):
        counts = dict(
            self.env["contact_center.ticket"]._read_group(
                [("classification_rule_id", "in", self.ids)],
                ["classification_rule_id"],
                ["__count"],
            )
        )
        for rule in self:
            rule.ticket_count = counts.get(rule, 0)

    @api.constrains("pattern")
    def _check_pattern(self):
        for rule in self.filtered("pattern"):
            error = classification.check_pattern(rule.pattern)
            if not error and classification.has_nested_quantifier(rule.pattern):
                error = self.env._(
                    "a repeated group contains a repetition, e.g. (a+)+, which "
                    "can take exponential time; write it without nesting, e.g. a+"
                )
            if error:
                raise ValidationError(
                    self.env._(
                        "The regular expression of rule %(rule)s is invalid: %(error)s",
                        rule=rule.name,
                        error=error,
                    )
                )

    def write(self, vals):
        if "pattern" in vals:  # a new pattern gets a new chance
            vals = dict(vals, pattern_error=False)
        return super().write(vals)

    def _report_unsafe_patterns(self, slow):
        """Stop the patterns the engine found unsafe or slow, and say so.

        ``slow``: {rule id: (why, seconds)} from the classification engine.
        The rule is skipped from then on (not retried on every email); its
        last editor gets an activity to fix the pattern.
        """
        for rule in self.browse(list(slow)).exists():
            why, seconds = slow[rule.id]
            if why == "nested":
                error = self.env._(
                    "nested repetition in the pattern (exponential time); not run"
                )
            else:
                error = self.env._(
                    "the pattern took %(ms)s ms on one email; stopped",
                    ms=int(seconds * 1000),
                )
            _logger.warning(
                "Classification rule %s: %s (pattern %r)", rule.id, error, rule.pattern
            )
            editor = rule.write_uid
            if not editor.active or editor.share or editor._is_superuser():
                editor = self.env.ref("base.user_admin", raise_if_not_found=False)
            rule.write({"pattern_error": error})
            rule.message_post(
                body=self.env._("Regular expression disabled: %s", error),
                subtype_xmlid="mail.mt_note",
            )
            if editor:
                rule.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=editor.id,
                    summary=self.env._("Fix the regular expression"),
                    note=error,
                )

    def _to_engine_rule(self):
        self.ensure_one()
        return classification.Rule(
            id=self.id,
            subject_keywords=classification.split_keywords(self.subject_keywords),
            body_keywords=classification.split_keywords(self.body_keywords),
            pattern=self.pattern or "",
            senders=classification.split_keywords(self.sender_filter),
            recipients=tuple(
                a.alias_full_name.lower() for a in self.alias_ids if a.alias_full_name
            ),
            tier_ids=frozenset(self.tier_ids.ids),
            langs=frozenset(self.lang_ids.mapped("code")),
        )

    def _ticket_values(self):
        """The values this rule writes on a ticket."""
        self.ensure_one()
        values = {"classification_rule_id": self.id}
        if self.set_team_id:
            values["team_id"] = self.set_team_id.id
        if self.set_priority:
            values["priority"] = self.set_priority
        if self.set_tag_ids:
            values["tag_ids"] = [fields.Command.link(t) for t in self.set_tag_ids.ids]
        if self.set_reason_id:
            values["reason_id"] = self.set_reason_id.id
        if self.set_lang:
            values["lang"] = self.set_lang
        if self.set_skill_ids:
            values["skill_ids"] = [
                fields.Command.link(s) for s in self.set_skill_ids.ids
            ]
        return values

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "contact_center.contact_center_ticket_action"
        )
        action["domain"] = [("classification_rule_id", "=", self.id)]
        return action
