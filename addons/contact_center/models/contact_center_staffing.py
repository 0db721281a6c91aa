import math
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import erlang, forecast
from ..tools.kpi import LIVE_CHANNELS
from .contact_center_team import CHANNELS

# a slot is "over by much" when it has this many agents too many, and at
# least this share of the agents to schedule
OVER_AGENTS = 2
OVER_SHARE = 0.25
MODELS = ("erlang_c", "erlang_a")


class ContactCenterStaffing(models.AbstractModel):
    """Busiest times and the staffing forecast of a team.

    Both read the contacts offered to the team's queue: inbound, not a later
    leg of a transferred call, and for calls and chats answered or abandoned
    after the team's short-abandon threshold (the same rule as the offered
    contacts of the KPIs). They are counted by the half hour they arrived in
    (``queued_at``), in the team's time zone, by one grouped SQL query.
    """

    _name = "contact_center.staffing"
    _description = "Contact Center Staffing"

    # ------------------------------------------------------------------
    # Scope and periods
    # ------------------------------------------------------------------
    @api.model
    def _check_teams(self, team_ids):
        """Teams the user may plan: supervisors their teams, managers all.
        Agents and supervisors of other teams get an AccessError."""
        return self.env["contact_center.kpi"]._check_teams(team_ids)

    @api.model
    def _team_choices(self):
        teams = self.env["contact_center.kpi"]._visible_teams()
        return [{"id": team.id, "name": team.display_name} for team in teams]

    @api.model
    def _local_monday(self, tz, moment=None):
        """Monday of the local week containing ``moment`` (naive UTC, now by
        default) in the zone ``tz``."""
        moment = moment or fields.Datetime.now()
        local = pytz.utc.localize(moment).astimezone(tz).date()
        return local - timedelta(days=local.weekday())

    @api.model
    def _offered_sql(self, team_ids, channels, date_from, date_to):
        """WHERE clause of the contacts offered to the teams' queues, arrived
        between the naive UTC bounds (coarse: the local week cut is made by
        the caller on ``local_at``)."""
        return SQL(
            """
                i.team_id = ANY(%(team_ids)s)
            AND i.direction = 'inbound'
            AND NOT COALESCE(i.is_transfer_leg, FALSE)
            AND i.channel = ANY(%(channels)s)
            AND i.ended_at IS NOT NULL
            AND i.ended_at >= %(date_from)s
            AND i.queued_at >= %(date_from)s
            AND i.queued_at < %(date_to)s
            AND (
                i.channel != ALL(%(live)s)
                OR i.answered_at IS NOT NULL
                OR (i.state = 'abandoned'
                    AND i.wait_seconds >= COALESCE(t.short_abandon_seconds, 5))
            )
            """,
            team_ids=list(team_ids),
            channels=list(channels),
            date_from=date_from,
            date_to=date_to,
            live=list(LIVE_CHANNELS),
        )

    # ------------------------------------------------------------------
    # Busiest times
    # ------------------------------------------------------------------
    @api.model
    def get_busiest_times(self, team_ids=None, channel=None, weeks=None):
        """Heatmap of the contacts offered per half hour and weekday: the
        average per week over the last ``weeks`` complete local weeks (the
        teams' forecast history by default), each contact in its team's
        time zone. ``channel``: one channel, or calls and chats together.

        Returns {"teams", "team_ids", "channel", "channels", "weeks",
        "rows": [{"slot", "label", "values": [Mon..Sun]}], "max", "total"}.
        """
        teams = self._check_teams(team_ids or [])
        channel_codes = dict(CHANNELS)
        if channel and channel not in channel_codes:
            raise UserError(self.env._("Unknown channel: %s", channel))
        weeks = int(weeks or max(teams.mapped("forecast_weeks") or [8]) or 8)
        if not 1 <= weeks <= 104:
            raise UserError(self.env._("Choose between 1 and 104 weeks."))
        now = fields.Datetime.now()
        channels = [channel] if channel else list(LIVE_CHANNELS)
        values = [[0.0] * forecast.DAYS for _slot in range(forecast.SLOTS_PER_DAY)]
        if teams:
            # one day of margin either side for the time zones
            date_from = now - timedelta(weeks=weeks, days=8)
            self.env.cr.execute(
                SQL(
                    """
                WITH offered AS (
                    SELECT (i.queued_at AT TIME ZONE 'UTC') AT TIME ZONE t.tz
                               AS local_at,
                           date_trunc(
                               'week', (%(now)s AT TIME ZONE 'UTC') AT TIME ZONE t.tz
                           ) AS week_end
                      FROM contact_center_interaction i
                      JOIN contact_center_team t ON t.id = i.team_id
                     WHERE %(where)s
                )
                SELECT extract(isodow FROM local_at)::int - 1,
                       (extract(hour FROM local_at) * 2
                        + floor(extract(minute FROM local_at) / 30))::int,
                       count(*)
                  FROM offered
                 WHERE local_at >= week_end - make_interval(weeks => %(weeks)s)
                   AND local_at < week_end
                 GROUP BY 1, 2
                    """,
                    now=now,
                    weeks=weeks,
                    where=self._offered_sql(teams.ids, channels, date_from, now),
                )
            )
            for weekday, slot, count in self.env.cr.fetchall():
                values[slot][weekday] = count / weeks
        rows = [
            {"slot": slot, "label": forecast.slot_label(slot), "values": row}
            for slot, row in enumerate(values)
        ]
        return {
            "teams": self._team_choices(),
            "team_ids": teams.ids,
            "channel": channel or False,
            "channels": [[code, label] for code, label in CHANNELS],
            "weeks": weeks,
            "tz": teams[:1].tz or self.env.user.tz or "UTC",
            "rows": rows,
            "max": max((value for row in values for value in row), default=0.0),
            "total": sum(value for row in values for value in row),
        }

    # ------------------------------------------------------------------
    # Staffing forecast
    # ------------------------------------------------------------------
    @api.model
    def _history(self, team, history_end, weeks):
        """Counts per (week, weekday, slot) of the ``weeks`` local weeks before
        the local Monday ``history_end`` (week 1 the most recent), and the
        measured AHT and mean patience over the same weeks."""
        tz = pytz.timezone(team.tz or "UTC")
        local_from = datetime.combine(history_end - timedelta(weeks=weeks), time.min)
        local_to = datetime.combine(history_end, time.min)
        # naive UTC bounds, a day of margin for DST; the exact cut is local
        date_from = tz.localize(local_from).astimezone(pytz.utc).replace(
            tzinfo=None
        ) - timedelta(days=1)
        date_to = tz.localize(local_to).astimezone(pytz.utc).replace(
            tzinfo=None
        ) + timedelta(days=1)
        # one pass over the calls and chats that queued: the offered ones
        # are counted per slot; AHT over the handled ones; patience: time
        # waited by every queued caller (answered: until the answer;
        # abandoned: until hanging up) over the number of abandons, the
        # maximum-likelihood estimate of an exponential patience censored by
        # the answer
        self.env.cr.execute(
            SQL(
                """
            WITH queued AS (
                SELECT (i.queued_at AT TIME ZONE 'UTC') AT TIME ZONE t.tz AS local_at,
                       i.answered_at IS NOT NULL
                       OR i.wait_seconds >= COALESCE(t.short_abandon_seconds, 5)
                           AS offered,
                       CASE WHEN i.answered_at IS NOT NULL AND i.agent_id IS NOT NULL
                            THEN i.handle_seconds END AS handle,
                       i.wait_seconds AS wait,
                       i.answered_at IS NULL AS abandoned
                  FROM contact_center_interaction i
                  JOIN contact_center_team t ON t.id = i.team_id
                 WHERE i.team_id = %(team_id)s
                   AND i.direction = 'inbound'
                   AND NOT COALESCE(i.is_transfer_leg, FALSE)
                   AND i.channel = ANY(%(live)s)
                   AND i.ended_at IS NOT NULL
                   AND i.ended_at >= %(date_from)s
                   AND i.queued_at >= %(date_from)s
                   AND i.queued_at < %(date_to)s
                   AND (i.answered_at IS NOT NULL OR i.state = 'abandoned')
            )
            SELECT (%(local_to)s::date - local_at::date - 1) / 7 + 1,
                   extract(isodow FROM local_at)::int - 1,
                   (extract(hour FROM local_at) * 2
                    + floor(extract(minute FROM local_at) / 30))::int,
                   count(*) FILTER (WHERE offered),
                   sum(handle), count(handle),
                   sum(wait), count(*) FILTER (WHERE abandoned)
              FROM queued
             WHERE local_at >= %(local_from)s AND local_at < %(local_to)s
             GROUP BY 1, 2, 3
                """,
                team_id=team.id,
                live=list(LIVE_CHANNELS),
                date_from=date_from,
                date_to=date_to,
                local_from=local_from,
                local_to=local_to,
            )
        )
        counts = {}
        handled_seconds = handled = waited = abandons = 0
        for (
            week,
            day,
            slot,
            offered,
            handle,
            n_handled,
            wait,
            n_abandoned,
        ) in self.env.cr.fetchall():
            if offered:
                counts[(week, day, slot)] = offered
            handled_seconds += handle or 0
            handled += n_handled
            waited += wait or 0
            abandons += n_abandoned
        aht = handled_seconds / handled if handled and handled_seconds else None
        patience = waited / abandons if abandons and waited else None
        return counts, aht, patience

    @api.model
    def _scheduled(self, team, week_start):
        """{(weekday, slot): agents scheduled} for the local week starting on
        the Monday ``week_start``: each member's working hours (the
        company's calendar when the agent has none), public holidays of the
        calendar removed; an agent working part of a half hour counts for
        that part. One ``_work_intervals_batch`` per distinct calendar."""
        tz = pytz.timezone(team.tz or "UTC")
        local_start = datetime.combine(week_start, time.min)
        start = tz.localize(local_start)
        stop = tz.localize(local_start + timedelta(days=forecast.DAYS))
        # sudo: the caller was checked as the team's supervisor or a manager;
        # the calendars of its members are only read to count them
        members = team.sudo().member_ids.filtered("active")
        by_calendar = defaultdict(int)
        for agent in members:
            calendar = (
                agent.resource_calendar_id or agent.company_id.resource_calendar_id
            )
            if calendar:
                by_calendar[calendar] += 1
        slot_seconds = forecast.SLOT_MINUTES * 60
        scheduled = defaultdict(float)
        for calendar, count in by_calendar.items():
            intervals = calendar._work_intervals_batch(start, stop)[False]
            for begin, end, _attendance in intervals:
                begin = begin.astimezone(tz).replace(tzinfo=None)
                end = end.astimezone(tz).replace(tzinfo=None)
                offset = (begin - local_start).total_seconds()
                slot_index = int(offset // slot_seconds)
                while True:
                    slot_begin = local_start + timedelta(
                        seconds=slot_index * slot_seconds
                    )
                    slot_end = slot_begin + timedelta(seconds=slot_seconds)
                    if slot_begin >= end:
                        break
                    overlap = (
                        min(end, slot_end) - max(begin, slot_begin)
                    ).total_seconds()
                    if overlap > 0 and 0 <= slot_index < forecast.DAYS * (
                        forecast.SLOTS_PER_DAY
                    ):
                        key = divmod(slot_index, forecast.SLOTS_PER_DAY)
                        scheduled[key] += count * overlap / slot_seconds
                    slot_index += 1
        return scheduled

    @api.model
    def get_forecast(self, team_id=None, week_start=None, model="erlang_c"):
        """Staffing forecast of a team for the local week starting on the
        Monday of ``week_start`` (next week by default), per half hour:
        forecast contacts (weighted moving average of the same half hour over
        the team's last ``forecast_weeks`` complete weeks), the measured AHT,
        the traffic, the agents required by Erlang C (or Erlang A with the
        measured patience) for the team's service-level target, the agents
        to schedule once shrinkage is added, the agents scheduled by their
        working calendars and the gap (scheduled - to schedule).
        Without ``team_id``: the first team the user may plan.
        """
        if model not in MODELS:
            raise UserError(self.env._("Unknown staffing model: %s", model))
        team = self._check_teams([int(team_id)] if team_id else [])[:1]
        tz = pytz.timezone(team.tz or "UTC")
        this_monday = self._local_monday(tz)
        if week_start:
            week_start = fields.Date.to_date(week_start)
            week_start -= timedelta(days=week_start.weekday())
        else:
            week_start = this_monday + timedelta(weeks=1)
        history_end = min(week_start, this_monday)
        weeks = team.forecast_weeks if team.forecast_weeks > 0 else 8
        counts, aht, patience = self._history(team, history_end, weeks)
        predicted = forecast.weighted_moving_average(counts, weeks)
        scheduled = self._scheduled(team, week_start)
        target = min(max(team.service_level_percent / 100.0, 0.01), 0.999)
        seconds = max(team.service_level_seconds, 0)
        shrinkage = min(max(team.shrinkage_percent, 0.0), 99.0) / 100.0
        use_erlang_a = model == "erlang_a" and patience
        cache = {}

        def required_for(traffic):
            key = round(traffic, 9)
            if key not in cache:
                if use_erlang_a:
                    cache[key] = erlang.erlang_a_required_agents(
                        traffic, aht, patience, seconds, target
                    )
                else:
                    cache[key] = erlang.required_agents(traffic, aht, seconds, target)
            return cache[key]

        slot_seconds = forecast.SLOT_MINUTES * 60
        days = []
        for weekday in range(forecast.DAYS):
            day = week_start + timedelta(days=weekday)
            slots = []
            for slot in range(forecast.SLOTS_PER_DAY):
                contacts = predicted[(weekday, slot)]
                on_duty = round(scheduled.get((weekday, slot), 0.0), 2)
                traffic = required = to_schedule = gap = None
                if aht:
                    traffic = contacts * aht / slot_seconds
                    required = required_for(traffic)
                    # round first: 14 / 0.7 is 20.000000000000004 in floats
                    to_schedule = math.ceil(round(required / (1 - shrinkage), 6))
                    gap = round(on_duty - to_schedule, 2)
                slots.append(
                    {
                        "slot": slot,
                        "label": forecast.slot_label(slot),
                        "forecast": round(contacts, 2),
                        "traffic": round(traffic, 3) if traffic is not None else None,
                        "required": required,
                        "to_schedule": to_schedule,
                        "scheduled": on_duty,
                        "gap": gap,
                        "status": self._gap_status(gap, to_schedule),
                    }
                )
            days.append(
                {
                    "date": fields.Date.to_string(day),
                    "weekday": weekday,
                    "forecast": round(sum(s["forecast"] for s in slots), 1),
                    "under": sum(1 for s in slots if s["status"] == "under"),
                    "over": sum(1 for s in slots if s["status"] == "over"),
                    "slots": slots,
                }
            )
        return {
            "team": {"id": team.id, "name": team.display_name, "tz": team.tz},
            "teams": self._team_choices(),
            "model": "erlang_a" if use_erlang_a else "erlang_c",
            "requested_model": model,
            "method": self.env._(
                "Weighted moving average of the same half hour over the last "
                "%(weeks)s weeks",
                weeks=weeks,
            ),
            "weeks": weeks,
            "week_start": fields.Date.to_string(week_start),
            "history_from": fields.Date.to_string(history_end - timedelta(weeks=weeks)),
            "history_to": fields.Date.to_string(history_end - timedelta(days=1)),
            "aht": round(aht, 1) if aht else None,
            "patience": round(patience, 1) if patience else None,
            "service_level_percent": team.service_level_percent,
            "service_level_seconds": seconds,
            "shrinkage_percent": team.shrinkage_percent,
            "days": days,
        }

    @api.model
    def _gap_status(self, gap, to_schedule):
        """'under' (red), 'over' (amber: OVER_AGENTS agents too many and at
        least OVER_SHARE of the agents to schedule), 'ok' (green), or False
        when there is nothing to compare."""
        if gap is None:
            return False
        if gap < 0:
            return "under"
        if gap >= OVER_AGENTS and gap >= OVER_SHARE * to_schedule:
            return "over"
        return "ok"
