"""Phone number normalisation to E.164, with Odoo's ``phone_validation``.

``phone_validation`` (a dependency of the addon) parses numbers the way the
rest of Odoo does: the same metadata patches, ``00`` and missing ``+``
international prefixes. This module only turns its answer into the form the
contact center stores and matches on: E.164, or None for a number that is
not a valid one.
"""

from odoo.exceptions import UserError

from odoo.addons.phone_validation.tools.phone_validation import phone_parse

try:
    import phonenumbers
except ImportError:  # pragma: no cover - declared in external_dependencies
    phonenumbers = None


def to_e164(number, region=None):
    """Return ``number`` in E.164 (``+14155550100``) or None.

    ``region`` is an ISO 3166 alpha-2 code used for numbers written without
    their international prefix.  Numbers that cannot be parsed or are not
    valid numbers of their region give None rather than an exception: a
    partner with a mistyped phone must stay editable.
    """
    if not number or phonenumbers is None:
        return None
    number = str(number).strip()
    if not number:
        return None
    if number.startswith("00"):
        # phone_parse reads 00 as the international prefix only when the
        # number is too long for the region; without a region it fails
        number = "+" + number[2:]
    try:
        parsed = phone_parse(number, (region or "").upper() or None)
    except UserError:
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
