from odoo import api, fields, models
from odoo.tools import formataddr

from .contact_center_campaign_contact import OUTCOMES, RETRIED
from .contact_center_dialer_panel import PANEL_OUTCOMES


class ContactCenterCampaignOutcome(models.Model):
    """One disposition of a campaign and what it does besides the built-in
    rule of its code (retry, callback, do not call, CRM): whether agents are
    offered it, the label of its button, calling the contact's next number
    at once, and the email and SMS sent to the contact after it.

    Every campaign has one line per outcome code (created with the
    campaign); the lines are edited, never added or removed by hand.
    """

    _name = "contact_center.campaign.outcome"
    _description = "Campaign Outcome"
    _order = "campaign_id, sequence, id"
    _check_company_auto = True

    campaign_id = fields.Many2one(
        "contact_center.campaign", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="campaign_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    outcome = fields.Selection(OUTCOMES, required=True, readonly=True)
    label = fields.Char(
        required=True,
        translate=True,
        help="What the button in the agent's panel says.",
    )
    active = fields.Boolean(
        string="Offered",
        default=True,
        help="Offered in the agent's panel; a campaign that does not sell may "
        "hide Sale, for example.",
    )
    next_number = fields.Boolean(
        string="Call Next Number",
        help="No answer, busy, voicemail, failed: call the contact's next "
        "number right away instead of waiting the retry delay on the same "
        "number. With no other number left the normal retry applies.",
    )
    is_retried = fields.Boolean(compute="_compute_is_retried")
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email",
        domain="[('model', '=', 'contact_center.campaign.contact')]",
        help="Sent to the contact's email address after this outcome; "
        "contacts without one get nothing.",
    )
    sms_template_id = fields.Many2one(
        "sms.template",
        string="SMS",
        domain="[('model', '=', 'contact_center.campaign.contact')]",
        help="Sent to the number called after this outcome.",
    )

    _sql_constraints = [
        (
            "outcome_unique",
            "unique(campaign_id, outcome)",
            "A campaign has one line per outcome.",
        )
    ]

    @api.depends("outcome")
    def _compute_is_retried(self):
        for line in self:
            line.is_retried = line.outcome in RETRIED

    def _default_values(self, campaigns):
        """Create values of the lines ``campaigns`` lack, in the panel's
        order, labelled as the panel labels them by default (in English; see
        :meth:`_translate_default_labels`)."""
        have = {(line.campaign_id.id, line.outcome) for line in campaigns.outcome_ids}
        return [
            {
                "campaign_id": campaign.id,
                "outcome": code,
                "label": label._translate("en_US"),
                "sequence": sequence,
            }
            for campaign in campaigns
            for sequence, (code, label, _key) in enumerate(PANEL_OUTCOMES, start=1)
            if (campaign.id, code) not in have
        ]

    def _translate_default_labels(self):
        """Give default lines their label in every installed language."""
        labels = {code: label for code, label, _key in PANEL_OUTCOMES}
        langs = [
            code
            for code, _name in self.env["res.lang"].get_installed()
            if code != "en_US"
        ]
        if not langs:
            return
        for line in self:
            label = labels[line.outcome]
            line.update_field_translations(
                "label", {lang: label._translate(lang) for lang in langs}
            )

    def _panel_data(self):
        """These lines as the agent's panel shows them, in the panel's
        order, each with the key that records it there."""
        order = {
            code: (index, key) for index, (code, _l, key) in enumerate(PANEL_OUTCOMES)
        }
        return [
            {"code": line.outcome, "label": line.label, "key": order[line.outcome][1]}
            for line in self.sorted(lambda line: order[line.outcome][0])
        ]

    def _send_templates(self, contacts, numbers):
        """Send these lines' email and SMS after their outcome to
        ``contacts`` (a contact whose outcome has no line here gets
        nothing): the email to the contact's address, none without one,
        the SMS queued to ``numbers`` (E.164 by contact id, the number
        called). One render per template for all its contacts."""
        by_outcome = {line.outcome: line for line in self}
        mail_groups, sms_groups = {}, {}
        for contact in contacts:
            line = by_outcome.get(contact.last_outcome)
            if not line:
                continue
            email = contact.email or contact.partner_id.email
            if line.mail_template_id and email:
                mail_groups.setdefault(line.mail_template_id, []).append(
                    (contact, email)
                )
            if line.sms_template_id and numbers.get(contact.id):
                sms_groups.setdefault(line.sms_template_id, []).append(contact)
        for template, pairs in mail_groups.items():
            # sudo: the supervisor chose the template for the campaign; the
            # agent who records the outcome needs no mail rights
            mails = template.sudo().send_mail_batch(
                [contact.id for contact, _email in pairs],
                email_values={"recipient_ids": []},
            )
            for mail, (contact, email) in zip(mails, pairs, strict=True):
                mail.email_to = formataddr((contact.name or "", email))
        sms_values = []
        for template, group in sms_groups.items():
            # sudo: as above, the texts are the campaign's, not the agent's
            bodies = template.sudo()._render_field(
                "body", [contact.id for contact in group], compute_lang=True
            )
            sms_values += [
                {
                    "number": numbers[contact.id],
                    "body": bodies[contact.id],
                    "partner_id": contact.partner_id.id,
                    "state": "outgoing",
                }
                for contact in group
            ]
        if sms_values:
            # sudo: queued for Odoo's SMS cron; agents have no SMS rights
            self.env["sms.sms"].sudo().create(sms_values)
