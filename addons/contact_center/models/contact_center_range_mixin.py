from odoo import api, models
from odoo.exceptions import ValidationError

# Ranges of numeric fields (the values of ``_cc_ranges``)
NOT_NEGATIVE = "not_negative"  # 0 or more
POSITIVE = "positive"  # more than 0
PERCENT = "percent"  # 0 to 100
POSITIVE_PERCENT = "positive_percent"  # more than 0, up to 100


class ContactCenterRangeMixin(models.AbstractModel):
    """Numeric fields kept in range, with messages that name the field.

    A model lists its fields in ``_cc_ranges`` ({field name: range}); saving an
    out-of-range value is refused with every wrong field named as the form
    labels it, and the record. For a warning while typing, the model adds an
    ``@api.onchange(*_cc_ranges)`` method returning ``_cc_range_warning()``
    (onchange methods cannot take their fields from the model).
    """

    _name = "contact_center.range.mixin"
    _description = "Checked Numeric Ranges"
    _cc_ranges = {}

    def _cc_range_problems(self):
        """Messages naming each field whose value is out of range."""
        problems = []
        for record in self:
            for name, kind in self._cc_ranges.items():
                value = record[name] or 0
                if kind == NOT_NEGATIVE and value < 0:
                    message = self.env._(
                        "%(field)s cannot be negative: enter 0 or more."
                    )
                elif kind == POSITIVE and value <= 0:
                    message = self.env._("%(field)s must be more than 0.")
                elif kind == PERCENT and not 0 <= value <= 100:
                    message = self.env._("%(field)s is a percentage: enter 0 to 100.")
                elif kind == POSITIVE_PERCENT and not 0 < value <= 100:
                    message = self.env._(
                        "%(field)s is a percentage: enter more than 0, up to 100."
                    )
                else:
                    continue
                field = self._fields[name]._description_string(self.env)
                text = message % {"field": field}
                if record.display_name:
                    text = self.env._(
                        "%(record)s: %(problem)s",
                        record=record.display_name,
                        problem=text,
                    )
                problems.append(text)
        return problems

    @api.constrains(lambda self: list(self._cc_ranges))
    def _check_cc_ranges(self):
        problems = self._cc_range_problems()
        if problems:
            raise ValidationError("\n".join(problems))

    def _cc_range_warning(self):
        """An onchange answer that warns about out-of-range fields, or None."""
        problems = self._cc_range_problems()
        if not problems:
            return None
        return {
            "warning": {
                "title": self.env._("Check these values"),
                "message": "\n".join(problems),
                # a notice while typing, not a dialog to dismiss
                "type": "notification",
            }
        }
