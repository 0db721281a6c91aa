from odoo import fields, models

from ..tools import survey_rules as engine

TREND_ARROWS = {"up": "↑", "down": "↓", "flat": "→"}


class ContactCenterScreenPopMixin(models.AbstractModel):
    _inherit = "contact_center.screen.pop.mixin"

    def _cc_customer_satisfaction(self, partner):
        """The customer's last survey score, how long ago, and its trend:
        "CSAT 4/5 · 3 days ago ↑"; None when they never answered.

        The last score is stored on the customer; the trend costs one query.
        """
        kind = partner.cc_survey_last_score_kind
        spec = engine.SCORE_KINDS.get(kind)
        if not spec or not partner.cc_survey_last_at:
            return None
        text = self.env._(
            "%(kind)s %(score)s/%(max)s · %(when)s",
            kind=kind.upper(),
            score=partner.cc_survey_last_score,
            max=spec.high,
            when=self._cc_survey_age(partner.cc_survey_last_at),
        )
        arrow = TREND_ARROWS.get(partner.cc_survey_trend)
        return f"{text} {arrow}" if arrow else text

    def _cc_survey_age(self, at):
        """How long ago ``at`` was, in words: today, yesterday, N days,
        months or years ago."""
        days = max((fields.Datetime.now() - at).days, 0)
        if days == 0:
            return self.env._("today")
        if days == 1:
            return self.env._("yesterday")
        if days < 60:
            return self.env._("%(days)s days ago", days=days)
        if days < 730:
            return self.env._("%(months)s months ago", months=days // 30)
        return self.env._("%(years)s years ago", years=days // 365)
