import logging
import secrets
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from odoo.addons.contact_center.models.contact_center_team import CHANNELS

from ..tools import survey_rules as engine

_logger = logging.getLogger(__name__)

# how far back a rule looks past its last scan: a contact ended by a
# transaction that committed after the scan is still found
SCAN_OVERLAP = timedelta(minutes=10)
# a new rule surveys the contacts of the last day, not the whole history
FIRST_SCAN = timedelta(days=1)
BATCH_SIZE = 1000
# a contact found this long after its invitation was due (the cron was down,
# a rule was re-run) is not surveyed any more: too late to ask
STALE_AFTER = timedelta(days=1)
# incentive codes: no 0/O, 1/I/L
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


class ContactCenterSurveyRule(models.Model):
    """When, to whom and how a customer is asked how a contact went.

    A rule watches one trigger (a ticket solved, a call or chat ended...).
    The cron gathers the contacts that fired it since its last scan in one
    query, runs the plain engine (``tools/survey_rules.py``) on them and
    creates the invitations (``survey.user_input``) in batch; invitations
    due now are sent in the same run, the others (a delay, quiet hours) by a
    later run.

    Triggers are a registry (:meth:`_cc_survey_triggers`): an addon adds its
    own (the dialer's campaign outcome) by extending it.
    """

    _name = "contact_center.survey.rule"
    _description = "Survey Rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(
        default=10,
        help="When several rules match one contact, the first one invites.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    survey_id = fields.Many2one(
        "survey.survey",
        required=True,
        domain=[("cc_score_kind", "!=", False)],
        help="A survey that measures a score (CSAT, NPS or CES) with a score question.",
    )
    score_kind = fields.Selection(related="survey_id.cc_score_kind")
    trigger = fields.Selection(
        selection="_selection_trigger", required=True, default="ticket_solved"
    )
    # ---- which contacts
    team_ids = fields.Many2many(
        "contact_center.team",
        string="Teams",
        check_company=True,
        help="Only the contacts of these teams; none: every team.",
    )
    channel = fields.Selection(
        CHANNELS,
        string="Contact Channel",
        help="Only the contacts on this channel; empty: every channel.",
    )
    disposition_ids = fields.Many2many(
        "contact_center.disposition",
        string="Dispositions",
        help="Calls and chats: only those wrapped up with one of these "
        "dispositions; none: any.",
    )
    include_automatic_close = fields.Boolean(
        string="Survey Automatic Closes",
        help="Tickets: also survey the tickets solved or closed by the "
        "system (a cron, an automation, OdooBot) rather than by a person.",
    )
    # ---- when
    delay_minutes = fields.Integer(
        string="Delay (minutes)",
        help="0: at once. Else the invitation goes this long after the contact ended.",
    )
    quiet_start = fields.Float(
        string="Quiet Hours From",
        default=21.0,
        help="In the customer's time zone: an invitation due in the quiet "
        "hours waits until they end.",
    )
    quiet_end = fields.Float(string="Quiet Hours Until", default=8.0)
    default_tz = fields.Selection(
        "_tz_get",
        string="Default Time Zone",
        default=lambda self: self.env.user.tz or "UTC",
        help="For customers without a time zone.",
    )
    # ---- how
    send_channel = fields.Selection(
        [("email", "Email"), ("sms", "SMS"), ("preferred", "Customer's preferred")],
        string="Send By",
        required=True,
        default="preferred",
        help="Preferred: the customer's preferred channel, else whichever "
        "the customer has (email first).",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain=[("model", "=", "survey.user_input")],
        default=lambda self: self.env.ref(
            "contact_center_survey.mail_template_invitation", raise_if_not_found=False
        ),
    )
    reminder_template_id = fields.Many2one(
        "mail.template",
        string="Reminder Template",
        domain=[("model", "=", "survey.user_input")],
        default=lambda self: self.env.ref(
            "contact_center_survey.mail_template_reminder", raise_if_not_found=False
        ),
    )
    sms_template_id = fields.Many2one(
        "sms.template",
        string="SMS Template",
        domain=[("model", "=", "survey.user_input")],
        default=lambda self: self.env.ref(
            "contact_center_survey.sms_template_invitation", raise_if_not_found=False
        ),
    )
    # ---- how often
    sample_percent = fields.Float(
        string="Sample (%)",
        default=100.0,
        help="The share of the matching contacts whose customer is invited.",
    )
    sample_seed = fields.Char(
        default=lambda self: secrets.token_hex(8),
        copy=False,
        help="Draws the sample: the same seed always picks the same contacts.",
    )
    min_days_between = fields.Integer(
        string="Not Again Within (days)",
        default=7,
        help="A customer invited less than this many days ago is not "
        "invited again (by any rule). 0: no limit.",
    )
    max_per_month = fields.Integer(
        string="At Most per Month",
        default=2,
        help="At most this many invitations per customer in 30 days (by any "
        "rule). 0: no limit.",
    )
    min_duration_seconds = fields.Integer(
        string="Shortest Contact (seconds)",
        help="Calls and chats shorter than this are not surveyed.",
    )
    # ---- incentive
    incentive = fields.Selection(
        [
            ("none", "None"),
            ("list", "Codes from a list"),
            ("generated", "Generated codes"),
        ],
        required=True,
        default="none",
    )
    incentive_text = fields.Char(
        translate=True,
        help="What the code gives, shown with it: '10% off your next order'.",
    )
    incentive_prefix = fields.Char(help="Generated codes start with this.")
    # the codes themselves are worth money: administrators only
    incentive_code_ids = fields.One2many(
        "contact_center.survey.incentive.code",
        "rule_id",
        string="Codes",
        groups="contact_center.group_contact_center_manager",
    )
    incentive_codes_left = fields.Integer(compute="_compute_incentive_codes_left")
    # ---- after
    expiry_days = fields.Integer(
        string="Expires After (days)",
        default=7,
        help="The link stops working this many days after it is sent. 0: never.",
    )
    reminder_hours = fields.Integer(
        string="Remind After (hours)",
        default=48,
        help="One email reminder for an unanswered invitation. 0: no reminder.",
    )
    low_threshold = fields.Integer(
        string="Low Score At or Under",
        help="A score at or under this opens an activity for the team's "
        "supervisor. 0: the survey kind's own, CSAT 2, NPS 6, CES 3.",
    )
    reopen_ticket = fields.Boolean(
        string="Reopen Ticket on Low Score",
        help="A low score on a solved ticket reopens it.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        help="Gets the low-score activities of contacts without a team supervisor.",
    )
    scanned_until = fields.Datetime(
        readonly=True,
        copy=False,
        help="Contacts ended up to this moment have been considered.",
    )
    invitation_ids = fields.One2many("survey.user_input", "cc_rule_id")
    invitation_count = fields.Integer(compute="_compute_invitation_stats")
    response_count = fields.Integer(compute="_compute_invitation_stats")
    response_rate = fields.Float(
        compute="_compute_invitation_stats", string="Response Rate (%)"
    )

    _sql_constraints = [
        (
            "sample_percent_range",
            "CHECK(sample_percent >= 0 AND sample_percent <= 100)",
            "The sample is a percentage between 0 and 100.",
        ),
        (
            "limits_positive",
            "CHECK(delay_minutes >= 0 AND min_days_between >= 0 AND "
            "max_per_month >= 0 AND min_duration_seconds >= 0 AND "
            "expiry_days >= 0 AND reminder_hours >= 0)",
            "Delays, limits and durations cannot be negative.",
        ),
        (
            "quiet_hours_range",
            "CHECK(quiet_start >= 0 AND quiet_start <= 24 AND "
            "quiet_end >= 0 AND quiet_end <= 24)",
            "Quiet hours are times of day, from 00:00 to 24:00.",
        ),
    ]

    @api.model
    def _tz_get(self):
        return self.env["res.partner"]._fields["tz"]._description_selection(self.env)

    # ------------------------------------------------------------------
    # Trigger registry
    # ------------------------------------------------------------------
    @api.model
    def _cc_survey_triggers(self):
        """{code: (label, method name)}: the triggers rules can watch.

        The method, called on one rule with ``(since, until)`` (naive UTC),
        returns the candidates (dicts, see :meth:`_candidates_interactions`)
        whose contact ended in ``(since, until]`` and that hold no invitation
        yet. An addon adds a trigger by extending this dict.
        """
        return {
            "ticket_solved": (self.env._("Ticket solved"), "_candidates_tickets"),
            "call_ended": (self.env._("Call ended"), "_candidates_calls"),
            "chat_closed": (self.env._("Chat closed"), "_candidates_chats"),
        }

    @api.model
    def _selection_trigger(self):
        return [
            (code, label) for code, (label, _m) in self._cc_survey_triggers().items()
        ]

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------
    @api.depends("incentive_code_ids.user_input_id")
    def _compute_incentive_codes_left(self):
        # sudo: how many codes are left, not the codes, for the supervisors
        counts = dict(
            self.env["contact_center.survey.incentive.code"]
            .sudo()
            ._read_group(
                [("rule_id", "in", self.ids), ("user_input_id", "=", False)],
                ["rule_id"],
                ["__count"],
            )
        )
        for rule in self:
            rule.incentive_codes_left = counts.get(rule, 0)

    def _compute_invitation_stats(self):
        Input = self.env["survey.user_input"]
        sent = dict(
            Input._read_group(
                [("cc_rule_id", "in", self.ids), ("cc_sent_at", "!=", False)],
                ["cc_rule_id"],
                ["__count"],
            )
        )
        answered = dict(
            Input._read_group(
                [
                    ("cc_rule_id", "in", self.ids),
                    ("cc_sent_at", "!=", False),
                    ("cc_answered_at", "!=", False),
                ],
                ["cc_rule_id"],
                ["__count"],
            )
        )
        for rule in self:
            rule.invitation_count = sent.get(rule, 0)
            rule.response_count = answered.get(rule, 0)
            rule.response_rate = (
                100.0 * rule.response_count / rule.invitation_count
                if rule.invitation_count
                else 0.0
            )

    @api.constrains("survey_id")
    def _check_survey(self):
        for rule in self:
            survey = rule.survey_id
            if not survey.cc_score_kind or not survey.cc_score_question_id:
                raise ValidationError(
                    self.env._(
                        "%(survey)s cannot be used by a survey rule: set its "
                        "Contact Center Score and mark its score question.",
                        survey=survey.display_name,
                    )
                )

    @api.constrains("quiet_start", "quiet_end")
    def _check_quiet_hours(self):
        for rule in self:
            start, end = rule._quiet_minutes()
            if start is not None and start % 1440 == end % 1440 and start != end:
                raise ValidationError(
                    self.env._(
                        "Quiet hours cannot cover the whole day: nothing would be sent."
                    )
                )

    @api.constrains("low_threshold", "survey_id")
    def _check_low_threshold(self):
        for rule in self.filtered(lambda r: r.low_threshold and r.score_kind):
            kind = engine.SCORE_KINDS[rule.score_kind]
            if not kind.low <= rule.low_threshold <= kind.high:
                raise ValidationError(
                    self.env._(
                        "A %(kind)s score goes from %(low)s to %(high)s: the low "
                        "score threshold must be within.",
                        kind=rule.score_kind.upper(),
                        low=kind.low,
                        high=kind.high,
                    )
                )

    @api.constrains("incentive", "incentive_text")
    def _check_incentive(self):
        for rule in self:
            if rule.incentive != "none" and not rule.incentive_text:
                raise ValidationError(
                    self.env._(
                        "Say what the incentive code gives (Incentive Text): the "
                        "customer reads it in the invitation."
                    )
                )

    def _quiet_minutes(self):
        """(start, end) in minutes from local midnight, or (None, None)."""
        self.ensure_one()
        start = round(self.quiet_start * 60)
        end = round(self.quiet_end * 60)
        if start == end:
            return None, None
        return start, end

    def _low_threshold(self):
        self.ensure_one()
        return self.low_threshold or engine.SCORE_KINDS[self.score_kind].low_threshold

    # ------------------------------------------------------------------
    # Candidates
    # ------------------------------------------------------------------
    def _interaction_candidates(self, channel, since, until):
        """Contacts on ``channel`` finished (wrapped up) in ``(since, until]``."""
        self.ensure_one()
        Interaction = self.env["contact_center.interaction"]
        Interaction.flush_model()
        self.env["survey.user_input"].flush_model(["cc_trigger_key"])
        conditions = [
            SQL("i.state = 'done'"),
            SQL("i.channel = %s", channel),
            SQL("i.partner_id IS NOT NULL"),
            SQL("NOT COALESCE(i.is_transferred, FALSE)"),
            SQL("i.company_id = %s", self.company_id.id),
            SQL("COALESCE(i.wrap_up_ended_at, i.ended_at) > %s", since),
            SQL("COALESCE(i.wrap_up_ended_at, i.ended_at) <= %s", until),
        ]
        if self.team_ids:
            conditions.append(SQL("i.team_id IN %s", tuple(self.team_ids.ids)))
        if self.disposition_ids:
            conditions.append(
                SQL("i.disposition_id IN %s", tuple(self.disposition_ids.ids))
            )
        conditions.extend(self._interaction_extra_conditions())
        rows = self.env.execute_query_dict(
            SQL(
                """
                SELECT i.id AS interaction_id,
                       CASE WHEN i.res_model = 'contact_center.ticket'
                            THEN i.res_id END AS ticket_id,
                       i.partner_id, i.team_id, i.agent_id, i.reason_id,
                       i.channel AS contact_channel,
                       COALESCE(i.wrap_up_ended_at, i.ended_at) AS ended_at,
                       COALESCE(NULLIF(i.talk_seconds, 0), i.handle_seconds)
                           AS duration_seconds,
                       'interaction:' || i.id AS trigger_key
                  FROM contact_center_interaction i
                 WHERE %s
                   AND NOT EXISTS (
                       SELECT 1 FROM survey_user_input u
                        WHERE u.cc_trigger_key = 'interaction:' || i.id)
              ORDER BY COALESCE(i.wrap_up_ended_at, i.ended_at), i.id
                """,
                SQL(" AND ").join(conditions),
            )
        )
        return rows

    def _interaction_extra_conditions(self):
        """More SQL conditions on ``i`` (the interaction); for extensions."""
        return []

    def _candidates_calls(self, since, until):
        return self._interaction_candidates("phone", since, until)

    def _candidates_chats(self, since, until):
        return self._interaction_candidates("chat", since, until)

    def _candidates_tickets(self, since, until):
        """Tickets solved (or closed) in ``(since, until]``, each solve once:
        a ticket reopened and solved again is a new candidate."""
        self.ensure_one()
        self.env["contact_center.ticket"].flush_model()
        self.env["contact_center.interaction"].flush_model()
        self.env["survey.user_input"].flush_model(["cc_trigger_key"])
        conditions = [
            SQL("(s.is_solved OR s.is_closed)"),
            SQL("t.partner_id IS NOT NULL"),
            SQL("NOT COALESCE(t.is_automatic, FALSE)"),
            SQL("t.company_id = %s", self.company_id.id),
            SQL("t.solved_at > %s", since),
            SQL("t.solved_at <= %s", until),
        ]
        if not self.include_automatic_close:
            conditions.append(SQL("NOT COALESCE(t.cc_solved_automatically, FALSE)"))
        if self.team_ids:
            conditions.append(SQL("t.team_id IN %s", tuple(self.team_ids.ids)))
        if self.channel:
            conditions.append(SQL("t.channel = %s", self.channel))
        return self.env.execute_query_dict(
            SQL(
                """
                SELECT t.id AS ticket_id,
                       (SELECT i.id FROM contact_center_interaction i
                         WHERE i.res_model = 'contact_center.ticket'
                           AND i.res_id = t.id
                      ORDER BY i.queued_at DESC, i.id DESC LIMIT 1)
                           AS interaction_id,
                       t.partner_id, t.team_id, t.agent_id, t.reason_id,
                       t.channel AS contact_channel,
                       t.solved_at AS ended_at,
                       NULL::integer AS duration_seconds,
                       'ticket:' || t.id || ':' || COALESCE(t.reopen_count, 0)
                           AS trigger_key
                  FROM contact_center_ticket t
                  JOIN contact_center_ticket_stage s ON s.id = t.stage_id
                 WHERE %s
                   AND NOT EXISTS (
                       SELECT 1 FROM survey_user_input u
                        WHERE u.cc_trigger_key =
                              'ticket:' || t.id || ':' || COALESCE(t.reopen_count, 0))
              ORDER BY t.solved_at, t.id
                """,
                SQL(" AND ").join(conditions),
            )
        )

    # ------------------------------------------------------------------
    # Planning
    # ------------------------------------------------------------------
    def _customers(self, partner_ids):
        """{partner id: facts the engine needs}, in one query."""
        if not partner_ids:
            return {}
        self.env["res.partner"].flush_model()
        rows = self.env.execute_query_dict(
            SQL(
                """
                SELECT p.id, p.email_normalized, p.tz, p.cc_preferred_channel,
                       COALESCE(p.cc_survey_opt_out, FALSE) AS opted_out,
                       COALESCE(p.cc_mobile_e164, p.cc_phone_e164) AS mobile,
                       EXISTS (SELECT 1 FROM res_users u
                                WHERE u.partner_id = p.id AND u.active
                                  AND NOT u.share) AS is_internal_user,
                       EXISTS (SELECT 1 FROM mail_blacklist b
                                WHERE b.active AND b.email = p.email_normalized)
                           AS email_blacklisted,
                       EXISTS (SELECT 1 FROM phone_blacklist b
                                WHERE b.active AND b.number =
                                      COALESCE(p.cc_mobile_e164, p.cc_phone_e164))
                           AS phone_blacklisted
                  FROM res_partner p
                 WHERE p.id = ANY(%s)
                """,
                list(partner_ids),
            )
        )
        return {row["id"]: row for row in rows}

    @api.model
    def _recent_invitations(self, partner_ids, now, days=engine.MONTH_DAYS):
        """{partner id: [planned send times]} of the invitations of the last
        ``days`` days (and those planned later), across every rule."""
        if not partner_ids:
            return {}
        self.env["survey.user_input"].flush_model(["cc_send_at", "partner_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner_id, cc_send_at
                  FROM survey_user_input
                 WHERE partner_id = ANY(%s)
                   AND cc_send_at > %s
                   AND cc_state IN ('planned', 'sent', 'answered')
                """,
                list(partner_ids),
                now - timedelta(days=days),
            )
        )
        result = defaultdict(list)
        for partner_id, send_at in rows:
            result[partner_id].append(send_at)
        return result

    def _decide(self, candidates, now):
        """Run the engine on ``candidates``: the values of the invitations
        to create, in the candidates' order. Sampling, exclusions, channel,
        throttling (across the batch too) and the send time."""
        self.ensure_one()
        customers = self._customers({c["partner_id"] for c in candidates})
        oldest = min((c["ended_at"] for c in candidates), default=now)
        history = self._recent_invitations(
            set(customers),
            min(oldest, now),
            max(engine.MONTH_DAYS, self.min_days_between),
        )
        quiet_start, quiet_end = self._quiet_minutes()
        seed = self.sample_seed or f"rule-{self.id}"
        survey = self.survey_id
        deciding = []
        for candidate in candidates:
            customer = customers.get(candidate["partner_id"])
            if not customer:
                continue
            if not engine.is_sampled(
                candidate["trigger_key"], self.sample_percent, seed
            ):
                continue
            preferred = customer["cc_preferred_channel"]
            channel = engine.choose_channel(
                self.send_channel,
                preferred if preferred in engine.CHANNELS else None,
                has_email=bool(customer["email_normalized"]),
                has_mobile=bool(customer["mobile"]),
            )
            if engine.is_excluded(
                channel,
                opted_out=customer["opted_out"],
                is_internal_user=customer["is_internal_user"],
                email_blacklisted=customer["email_blacklisted"],
                phone_blacklisted=customer["phone_blacklisted"],
                duration_seconds=candidate["duration_seconds"],
                min_seconds=self.min_duration_seconds,
            ):
                continue
            tz = customer["tz"] or self.default_tz or "UTC"
            try:
                send_at = engine.send_at(
                    candidate["ended_at"],
                    self.delay_minutes,
                    tz,
                    quiet_start,
                    quiet_end,
                )
            except ValueError:
                # a time zone Python does not know: the rule's own
                send_at = engine.send_at(
                    candidate["ended_at"],
                    self.delay_minutes,
                    self.default_tz or "UTC",
                    quiet_start,
                    quiet_end,
                )
            send_at = max(send_at, candidate["ended_at"])
            if now - send_at > STALE_AFTER:
                continue
            sent_times = history[candidate["partner_id"]]
            if not engine.throttle_ok(
                sent_times, send_at, self.min_days_between, self.max_per_month
            ):
                continue
            sent_times.append(send_at)
            deciding.append(
                {
                    "survey_id": survey.id,
                    "partner_id": candidate["partner_id"],
                    "email": customer["email_normalized"] or False,
                    "cc_mobile": customer["mobile"] or False,
                    "cc_rule_id": self.id,
                    "cc_trigger_key": candidate["trigger_key"],
                    "cc_interaction_id": candidate["interaction_id"],
                    "cc_ticket_id": candidate["ticket_id"],
                    "cc_agent_id": candidate["agent_id"],
                    "cc_team_id": candidate["team_id"],
                    "cc_reason_id": candidate["reason_id"],
                    "cc_contact_channel": candidate["contact_channel"],
                    "cc_ended_at": candidate["ended_at"],
                    "cc_channel": channel,
                    "cc_send_at": send_at,
                    "cc_state": "planned",
                    "cc_score_kind": self.score_kind,
                    **self._candidate_extra_values(candidate),
                }
            )
        return deciding

    def _candidate_extra_values(self, candidate):
        """More invitation values from a candidate; for extensions."""
        return {}

    def _assign_incentives(self, vals_list):
        """Give each new invitation its incentive code: the next unused code
        of the rule's list (locked, so two workers never hand out one code
        twice) or a generated one. A list that runs out leaves the rest
        without a code, said in the log and on the rule."""
        self.ensure_one()
        if self.incentive == "none" or not vals_list:
            return []
        if self.incentive == "generated":
            prefix = (self.incentive_prefix or "").strip().upper()
            for vals in vals_list:
                vals["cc_incentive_code"] = prefix + "".join(
                    secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH)
                )
            return []
        self.env["contact_center.survey.incentive.code"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT id, code FROM contact_center_survey_incentive_code
                 WHERE rule_id = %s AND user_input_id IS NULL
              ORDER BY id
                 LIMIT %s
                   FOR UPDATE SKIP LOCKED
                """,
                self.id,
                len(vals_list),
            )
        )
        if len(rows) < len(vals_list):
            _logger.warning(
                "Survey rule %s ran out of incentive codes: %d invitation(s) "
                "without a code",
                self.id,
                len(vals_list) - len(rows),
            )
        for vals, (_code_id, code) in zip(vals_list, rows, strict=False):
            vals["cc_incentive_code"] = code
        return [code_id for code_id, _code in rows]

    def _lock(self):
        """Whether this transaction holds the rule (one worker plans a rule
        at a time; the other skips it)."""
        self.ensure_one()
        return self.env.execute_query(
            SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", 461_116, self.id)
        )[0][0]

    def _plan(self, now=None, commit=False):
        """Create the invitations of the contacts that fired this rule since
        its last scan. Returns the invitations created."""
        self.ensure_one()
        now = now or fields.Datetime.now()
        Input = self.env["survey.user_input"]
        created = Input
        if not self._lock():
            return created
        until = now - timedelta(minutes=self.delay_minutes)
        since = (
            (self.scanned_until - SCAN_OVERLAP)
            if self.scanned_until
            else (until - FIRST_SCAN)
        )
        if until <= since:
            return created
        method = self._cc_survey_triggers()[self.trigger][1]
        candidates = getattr(self, method)(since, until)
        # one draw of the questions for the whole batch, unless the survey
        # draws them at random per respondent
        questions = (
            self.survey_id._prepare_user_input_predefined_questions()
            if self.survey_id.questions_selection != "random"
            else None
        )
        for start in range(0, len(candidates), BATCH_SIZE):
            chunk = candidates[start : start + BATCH_SIZE]
            vals_list = self._decide(chunk, now)
            code_ids = self._assign_incentives(vals_list)
            for vals in vals_list if questions is not None else ():
                vals["predefined_question_ids"] = [fields.Command.set(questions.ids)]
            # no chatter line on each invitation: nobody reads them there
            inputs = Input.with_context(
                tracking_disable=True, mail_create_nolog=True
            ).create(vals_list)
            if code_ids:
                codes = self.env["contact_center.survey.incentive.code"].browse(
                    code_ids
                )
                for code, invitation in zip(codes, inputs, strict=False):
                    code.user_input_id = invitation
            created |= inputs
            if commit and start + BATCH_SIZE < len(candidates):
                self.scanned_until = chunk[-1]["ended_at"]
                self.env.cr.commit()  # pylint: disable=invalid-commit
                if not self._lock():
                    return created
        self.scanned_until = until
        return created

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_send_invitations(self, commit=True):
        """Plan the invitations of every active rule, send those due, remind
        the unanswered ones. Safe to run twice or on two workers."""
        now = fields.Datetime.now()
        for rule in self.search([]):
            rule._plan(now, commit=commit)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        Input = self.env["survey.user_input"]
        Input._cc_send_due(now, commit=commit)
        Input._cc_send_reminders(now, commit=commit)

    @api.model
    def _cc_demo_responses(self, rule_ids):
        """Demo data: NPS answers on the demo database's finished calls with
        a customer, as if the rule had surveyed them."""
        rule = self.browse(rule_ids)
        calls = self.env["contact_center.interaction"].search(
            [
                ("partner_id", "!=", False),
                ("agent_id", "!=", False),
                ("channel", "=", "phone"),
            ],
            order="id",
            limit=12,
        )
        scores = [10, 9, 9, 8, 10, 3, 7, 9, 6, 10, 9, 2]
        comments = {3: "I had to call three times.", 2: "Nobody called me back."}
        now = fields.Datetime.now()
        for call, score in zip(calls, scores, strict=False):
            ended = call.ended_at or call.queued_at
            invitation = (
                self.env["survey.user_input"]
                .with_context(tracking_disable=True)
                .create(
                    {
                        "survey_id": rule.survey_id.id,
                        "partner_id": call.partner_id.id,
                        "email": call.partner_id.email,
                        "cc_rule_id": rule.id,
                        "cc_trigger_key": f"interaction:{call.id}",
                        "cc_interaction_id": call.id,
                        "cc_agent_id": call.agent_id.id,
                        "cc_team_id": call.team_id.id,
                        "cc_reason_id": call.reason_id.id,
                        "cc_contact_channel": call.channel,
                        "cc_ended_at": ended,
                        "cc_channel": "email",
                        "cc_state": "sent",
                        "cc_score_kind": rule.score_kind,
                        "cc_send_at": min(ended, now),
                        "cc_sent_at": min(ended, now),
                        # answered within the hours after the invitation
                        "cc_answered_at": min(ended + timedelta(hours=1 + score), now),
                    }
                )
            )
            invitation._cc_record_score(score, comments.get(score, False))
        rule.scanned_until = now

    def action_view_invitations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "contact_center_survey.survey_user_input_action_invitations"
        )
        action["domain"] = [("cc_rule_id", "=", self.id)]
        action["context"] = {"create": False}
        return action


class ContactCenterSurveyIncentiveCode(models.Model):
    _name = "contact_center.survey.incentive.code"
    _description = "Survey Incentive Code"
    _order = "id"
    _rec_name = "code"

    rule_id = fields.Many2one(
        "contact_center.survey.rule", required=True, ondelete="cascade", index=True
    )
    code = fields.Char(required=True)
    user_input_id = fields.Many2one(
        "survey.user_input", string="Given To", readonly=True, ondelete="set null"
    )

    _sql_constraints = [
        ("code_unique", "unique(rule_id, code)", "This code is already in the list."),
    ]

    def init(self):
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS contact_center_survey_incentive_code_free_idx
                ON contact_center_survey_incentive_code (rule_id, id)
             WHERE user_input_id IS NULL
            """
        )
