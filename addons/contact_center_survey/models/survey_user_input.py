import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.tools import SQL, html_escape

from odoo.addons.contact_center.models.contact_center_team import CHANNELS

from ..tools import survey_rules as engine
from .survey_survey import SCORE_KIND_LABELS

_logger = logging.getLogger(__name__)

SEND_BATCH = 1000
INVITATION_STATES = [
    ("planned", "Planned"),
    ("sent", "Sent"),
    ("answered", "Answered"),
    ("cancelled", "Cancelled"),
]


class SurveyUserInput(models.Model):
    """A survey invitation after a contact is a ``survey.user_input``.

    It carries the contact it asks about (interaction, ticket), the agent and
    team recorded when it was created (a later reassignment leaves the score
    with the people who handled the contact), the channel and times of the
    sending, the incentive code and, once answered, the score and comment.
    """

    _inherit = "survey.user_input"

    cc_rule_id = fields.Many2one(
        "contact_center.survey.rule",
        string="Survey Rule",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    # one invitation per contact (and per solve of a ticket): the unique
    # index makes a second worker's or a second run's copy impossible
    cc_trigger_key = fields.Char(readonly=True, copy=False)
    cc_interaction_id = fields.Many2one(
        "contact_center.interaction",
        string="Interaction",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    cc_ticket_id = fields.Many2one(
        "contact_center.ticket",
        string="Ticket",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    cc_agent_id = fields.Many2one(
        "contact_center.agent",
        string="Agent",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    cc_team_id = fields.Many2one(
        "contact_center.team",
        string="Team",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    cc_reason_id = fields.Many2one(
        "contact_center.contact.reason",
        string="Contact Reason",
        readonly=True,
        ondelete="set null",
    )
    cc_contact_channel = fields.Selection(
        CHANNELS, string="Contact Channel", readonly=True
    )
    cc_ended_at = fields.Datetime(string="Contact Ended", readonly=True)
    cc_channel = fields.Selection(
        [("email", "Email"), ("sms", "SMS")], string="Sent By", readonly=True
    )
    cc_mobile = fields.Char(string="Mobile", readonly=True)
    cc_state = fields.Selection(
        INVITATION_STATES, string="Invitation", readonly=True, index="btree_not_null"
    )
    cc_send_at = fields.Datetime(string="Send At", readonly=True)
    cc_sent_at = fields.Datetime(string="Sent", readonly=True)
    cc_reminded_at = fields.Datetime(string="Reminded", readonly=True)
    cc_answered_at = fields.Datetime(string="Answered", readonly=True)
    cc_score_kind = fields.Selection(
        SCORE_KIND_LABELS, string="Score Kind", readonly=True
    )
    cc_score = fields.Integer(string="Score", readonly=True, aggregator="avg")
    cc_comment = fields.Text(string="Comment", readonly=True)
    cc_is_low = fields.Boolean(string="Low Score", readonly=True)
    cc_low_activity_id = fields.Many2one(
        "mail.activity", string="Follow-up Activity", readonly=True, ondelete="set null"
    )
    cc_ticket_reopened = fields.Boolean(readonly=True)
    cc_incentive_code = fields.Char(string="Incentive Code", readonly=True, copy=False)
    cc_incentive_text = fields.Char(related="cc_rule_id.incentive_text")
    cc_survey_url = fields.Char(compute="_compute_cc_urls")
    cc_opt_out_url = fields.Char(compute="_compute_cc_urls")

    def init(self):
        cr = self.env.cr
        cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS survey_user_input_cc_trigger_key_uniq
                ON survey_user_input (cc_trigger_key)
             WHERE cc_trigger_key IS NOT NULL;
            CREATE INDEX IF NOT EXISTS survey_user_input_cc_due_idx
                ON survey_user_input (cc_send_at)
             WHERE cc_state = 'planned';
            CREATE INDEX IF NOT EXISTS survey_user_input_cc_partner_idx
                ON survey_user_input (partner_id, cc_send_at)
             WHERE cc_state IS NOT NULL;
            CREATE INDEX IF NOT EXISTS survey_user_input_cc_reminder_idx
                ON survey_user_input (cc_sent_at)
             WHERE cc_state = 'sent' AND cc_reminded_at IS NULL;
            CREATE UNIQUE INDEX IF NOT EXISTS survey_user_input_cc_incentive_code_uniq
                ON survey_user_input (cc_incentive_code)
             WHERE cc_incentive_code IS NOT NULL;
            """
        )

    # ------------------------------------------------------------------
    # Links
    # ------------------------------------------------------------------
    @api.depends("access_token", "survey_id.access_token")
    def _compute_cc_urls(self):
        base = self[:1].get_base_url()
        for invitation in self:
            token = invitation.access_token
            invitation.cc_survey_url = (
                f"{base}/survey/start/{invitation.survey_id.access_token}"
                f"?answer_token={token}"
            )
            invitation.cc_opt_out_url = f"{base}/contact_center/survey/{token}/opt-out"

    def _cc_score_url(self, value):
        """The one-click link that records ``value`` as the score."""
        self.ensure_one()
        base = self.get_base_url()
        return f"{base}/contact_center/survey/{self.access_token}/score/{int(value)}"

    def _cc_score_choices(self):
        """[(value, url)] of the score question's scale, for the buttons of
        the invitation email."""
        self.ensure_one()
        question = self.survey_id.cc_score_question_id
        if not question:
            return []
        return [
            (value, self._cc_score_url(value))
            for value in range(question.scale_min, question.scale_max + 1)
        ]

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------
    @api.model
    def _cc_send_due(self, now=None, commit=False):
        """Send the planned invitations due at ``now``: in batches locked
        with SKIP LOCKED, so two workers send disjoint batches and nothing
        twice."""
        now = now or fields.Datetime.now()
        sent = self.browse()
        while True:
            self.flush_model(["cc_state", "cc_send_at"])
            ids = [
                row[0]
                for row in self.env.execute_query(
                    SQL(
                        """
                        SELECT id FROM survey_user_input
                         WHERE cc_state = 'planned' AND cc_send_at <= %s
                      ORDER BY cc_send_at, id
                         LIMIT %s
                           FOR UPDATE SKIP LOCKED
                        """,
                        now,
                        SEND_BATCH,
                    )
                )
            ]
            if not ids:
                return sent
            batch = self.browse(ids)
            batch._cc_send(now)
            sent |= batch
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            if len(ids) < SEND_BATCH:
                return sent

    def _cc_send(self, now):
        """Send these planned invitations (locked by the caller): cancel the
        ones whose customer opted out since, queue the emails and texts."""
        opted_out = self.filtered(lambda i: i.partner_id.cc_survey_opt_out)
        if opted_out:
            opted_out.write({"cc_state": "cancelled"})
        todo = self - opted_out
        for rule in todo.cc_rule_id:
            invitations = todo.filtered(lambda i, r=rule: i.cc_rule_id == r)
            deadline = (
                now + timedelta(days=rule.expiry_days) if rule.expiry_days else False
            )
            # the deadline first: the invitation says until when it works
            invitations.write(
                {"cc_state": "sent", "cc_sent_at": now, "deadline": deadline}
            )
            by_email = invitations.filtered(lambda i: i.cc_channel == "email")
            by_sms = invitations - by_email
            if by_email and rule.mail_template_id:
                by_email._cc_queue_emails(rule.mail_template_id)
            if by_sms and rule.sms_template_id:
                by_sms._cc_queue_sms(rule.sms_template_id)

    def _cc_queue_emails(self, template):
        """Queue one email per invitation, rendered by ``template`` in each
        customer's language, in Odoo's mail queue (``mail.mail``, sent by its
        cron). Built in one batch: the body goes out as the email's HTML
        only, without a second sanitised copy on the message, which nobody
        reads (the invitation is not posted in a chatter)."""
        rendered = template._generate_template(
            self.ids,
            (
                "subject",
                "body_html",
                "email_from",
                "reply_to",
                "partner_to",
                "email_to",
                "email_cc",
                "mail_server_id",
                "auto_delete",
                "scheduled_date",
            ),
        )
        values_list = []
        for invitation in self:
            values = rendered[invitation.id]
            values_list.append(
                {
                    "subject": values.get("subject") or "",
                    "body_html": values.get("body_html") or "",
                    "email_from": values.get("email_from") or False,
                    "reply_to": values.get("reply_to") or False,
                    "email_to": values.get("email_to") or False,
                    "email_cc": values.get("email_cc") or False,
                    "recipient_ids": [
                        Command.link(pid) for pid in values.get("partner_ids") or ()
                    ],
                    "mail_server_id": values.get("mail_server_id") or False,
                    "auto_delete": values.get("auto_delete", True),
                    "scheduled_date": values.get("scheduled_date") or False,
                    "model": self._name,
                    "res_id": invitation.id,
                    "message_type": "email_outgoing",
                    "is_notification": False,
                }
            )
        # sudo: the cron queues what the rule's template rendered, to the
        # invitation's own customer
        return self.env["mail.mail"].sudo().create(values_list)

    def _cc_queue_sms(self, template):
        """Queue one text per invitation through Odoo's SMS queue."""
        bodies = template._render_field("body", self.ids, compute_lang=True)
        self.env["sms.sms"].sudo().create(
            [
                {
                    "number": invitation.cc_mobile,
                    "partner_id": invitation.partner_id.id,
                    "body": bodies[invitation.id],
                    "state": "outgoing",
                }
                for invitation in self
            ]
        )

    @api.model
    def _cc_send_reminders(self, now=None, commit=False):
        """One reminder per unanswered invitation, ``reminder_hours`` after
        it was sent, while its link still works."""
        now = now or fields.Datetime.now()
        self.flush_model()
        self.env["contact_center.survey.rule"].flush_model()
        ids = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    """
                    SELECT u.id
                      FROM survey_user_input u
                      JOIN contact_center_survey_rule r ON r.id = u.cc_rule_id
                      JOIN res_partner p ON p.id = u.partner_id
                     WHERE u.cc_state = 'sent' AND u.cc_reminded_at IS NULL
                       AND r.reminder_hours > 0
                       AND u.cc_sent_at <= %s - make_interval(hours => r.reminder_hours)
                       AND (u.deadline IS NULL OR u.deadline > %s)
                       AND NOT COALESCE(p.cc_survey_opt_out, FALSE)
                  ORDER BY u.cc_sent_at
                     LIMIT %s
                       FOR UPDATE OF u SKIP LOCKED
                    """,
                    now,
                    now,
                    SEND_BATCH,
                )
            )
        ]
        reminded = self.browse(ids)
        for rule in reminded.cc_rule_id:
            invitations = reminded.filtered(lambda i, r=rule: i.cc_rule_id == r)
            by_email = invitations.filtered(lambda i: i.cc_channel == "email")
            if by_email and rule.reminder_template_id:
                by_email._cc_queue_emails(rule.reminder_template_id)
            by_sms = invitations - by_email
            if by_sms and rule.sms_template_id:
                by_sms._cc_queue_sms(rule.sms_template_id)
        reminded.write({"cc_reminded_at": now})
        if commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        return reminded

    # ------------------------------------------------------------------
    # Scores
    # ------------------------------------------------------------------
    def _cc_is_open(self):
        """Whether this invitation still takes an answer."""
        self.ensure_one()
        if self.state == "done" or self.cc_state == "cancelled":
            return False
        return not (self.deadline and self.deadline < fields.Datetime.now())

    def _cc_save_score(self, value):
        """Record a one-click score: the score question's answer, and the
        score itself, so it counts even if the rest is never filled in."""
        self.ensure_one()
        value = engine.score_kind_value(self.cc_score_kind, value)
        question = self.survey_id.cc_score_question_id
        if self.state == "new":
            self._mark_in_progress()
        self._save_lines(question, str(value))
        self._cc_record_score(value)

    def _save_lines(self, question, answer, comment=None, overwrite_existing=True):
        # the one-click score of the invitation answered the score question
        # already; the survey page shows it chosen and submits it again (or
        # another value), which must replace it, not fail
        if self.cc_score_kind and question == self.survey_id.cc_score_question_id:
            overwrite_existing = True
        return super()._save_lines(
            question, answer, comment=comment, overwrite_existing=overwrite_existing
        )

    def _mark_done(self):
        result = super()._mark_done()
        for invitation in self.filtered("cc_score_kind"):
            value, comment = invitation._cc_read_answers()
            if value is not None:
                invitation._cc_record_score(value, comment)
        return result

    def _cc_read_answers(self):
        """(score, comment) from the answer lines: the score question's
        value, and the text of the other questions' answers and comments."""
        self.ensure_one()
        question = self.survey_id.cc_score_question_id
        value = None
        texts = []
        for line in self.user_input_line_ids.sorted("question_sequence"):
            if line.skipped:
                continue
            if line.question_id == question and line.answer_type == "scale":
                value = line.value_scale
            elif line.answer_type in ("text_box", "char_box"):
                text = (line.value_text_box or line.value_char_box or "").strip()
                if text:
                    texts.append(text)
            elif line.answer_type == "suggestion" and line.suggested_answer_id:
                texts.append(line.suggested_answer_id.value)
        return value, "\n".join(texts) or False

    def _cc_record_score(self, value, comment=None):
        """Store the score (and comment) on the invitation, write it back to
        the interaction, the ticket and the customer, and close the loop on
        a low score."""
        self.ensure_one()
        value = engine.score_kind_value(self.cc_score_kind, value)
        rule = self.cc_rule_id
        threshold = (
            rule._low_threshold()
            if rule
            else engine.SCORE_KINDS[self.cc_score_kind].low_threshold
        )
        now = fields.Datetime.now()
        vals = {
            "cc_score": value,
            "cc_is_low": engine.is_low(self.cc_score_kind, value, threshold),
            "cc_state": "answered",
            "cc_answered_at": self.cc_answered_at or now,
        }
        if comment is not None:
            vals["cc_comment"] = comment
        self.write(vals)
        if value == 0 and self.id:
            # the ORM reads an empty integer column as 0 and skips writing a
            # 0 over it: store the NPS of 0 itself, so every reader (SQL,
            # grouped reads, averages) sees an answer's score as it is
            self.flush_recordset(["cc_score"])
            self.env.cr.execute(
                SQL(
                    "UPDATE survey_user_input SET cc_score = 0"
                    " WHERE id = %s AND cc_score IS NULL",
                    self.id,
                )
            )
        back = {
            "cc_survey_input_id": self.id,
            "cc_survey_score": value,
            "cc_survey_score_kind": self.cc_score_kind,
            "cc_survey_comment": self.cc_comment or False,
        }
        # sudo: the customer answering is the public user; they write only
        # the score of the contact their own personal link is about
        if self.cc_interaction_id:
            self.cc_interaction_id.sudo().write(back)
        if self.cc_ticket_id:
            self.cc_ticket_id.sudo().write(back)
        if self.partner_id:
            self.partner_id.sudo().write(
                {
                    "cc_survey_last_score": value,
                    "cc_survey_last_score_kind": self.cc_score_kind,
                    "cc_survey_last_at": self.cc_answered_at,
                }
            )
        if self.cc_is_low:
            self.sudo()._cc_close_the_loop()

    def _cc_close_the_loop(self):
        """A low score: an activity for the team's supervisor (once, its note
        updated when the comment comes), and the ticket reopened if the rule
        says so."""
        self.ensure_one()
        note = self._cc_low_score_note()
        if self.cc_low_activity_id:
            self.cc_low_activity_id.note = note
        else:
            target = self.cc_ticket_id or self
            user = (
                self.cc_team_id.supervisor_ids[:1]
                or self.cc_rule_id.user_id
                or self.env.ref("base.user_admin", raise_if_not_found=False)
            )
            activity = target.activity_schedule(
                "contact_center_survey.mail_activity_type_low_score",
                summary=self.env._(
                    "%(kind)s %(score)s from %(customer)s",
                    kind=(self.cc_score_kind or "").upper(),
                    score=self.cc_score,
                    customer=self.partner_id.display_name or self.email or "",
                ),
                note=note,
                user_id=user.id,
            )
            self.cc_low_activity_id = activity
        ticket = self.cc_ticket_id
        if (
            ticket
            and self.cc_rule_id.reopen_ticket
            and not self.cc_ticket_reopened
            and (ticket.is_solved or ticket.is_closed)
        ):
            stage = ticket._cc_reopen_stage()
            if stage:
                ticket.write(
                    {"stage_id": stage.id, "reopen_count": ticket.reopen_count + 1}
                )
                ticket.message_post(
                    body=self.env._(
                        "Reopened after a low %(kind)s score (%(score)s).",
                        kind=(self.cc_score_kind or "").upper(),
                        score=self.cc_score,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
            self.cc_ticket_reopened = True

    def _cc_low_score_note(self):
        self.ensure_one()
        base = self.get_base_url()
        links = []
        for record in (
            self.cc_ticket_id,
            self.cc_interaction_id,
            self.partner_id,
            self,
        ):
            if record:
                links.append(
                    Markup('<a href="%s/odoo/%s/%s">%s</a>')
                    % (base, record._name, record.id, record.display_name)
                )
        comment = self.cc_comment or self.env._("(no comment)")
        return Markup("<p>%s</p><p>%s</p><p>%s</p>") % (
            self.env._(
                "%(kind)s score %(score)s, agent %(agent)s.",
                kind=(self.cc_score_kind or "").upper(),
                score=self.cc_score,
                agent=self.cc_agent_id.name or "-",
            ),
            Markup("<br/>").join(html_escape(line) for line in comment.splitlines()),
            Markup(" · ").join(links),
        )

    # ------------------------------------------------------------------
    # Opt-out
    # ------------------------------------------------------------------
    def _cc_opt_out(self):
        """The customer asks for no more surveys: honoured by every rule;
        invitations still planned for them are cancelled."""
        self.ensure_one()
        partner = self.partner_id.sudo()
        if not partner:
            return
        partner.cc_survey_opt_out = True
        self.sudo().search(
            [("partner_id", "=", partner.id), ("cc_state", "=", "planned")]
        ).write({"cc_state": "cancelled"})
        partner.message_post(
            body=self.env._("Opted out of satisfaction surveys."),
            subtype_xmlid="mail.mt_note",
        )
