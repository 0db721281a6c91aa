"""Phone number normalisation to E.164, with Odoo's ``phone_validation``.

``phone_validation`` (a dependency of the addon) parses numbers the way the
rest of Odoo does: the same metadata patches, ``00`` and missing ``+``
international prefixes. This module only turns its answer into the form the
contact center stores and matches on: E.164, or None for a number that is
not a valid one.

Numbers the metadata does not know as valid but that have the shape of their
country's numbers (right length, right leading digits) are accepted too: an
area code the ``phonenumbers`` metadata does not list yet, or a made-up demo
number such as ``(846) 523-2111`` in the United States, is still the number
the PBX reports for that line, so caller ID must match it.
"""

import re

from odoo.exceptions import UserError

from odoo.addons.phone_validation.tools.phone_validation import phone_parse

try:
    import phonenumbers
except ImportError:  # pragma: no cover - declared in external_dependencies
    phonenumbers = None


# Why a number cannot be used, from ``diagnose``
NO_COUNTRY = "no_country"
NOT_A_NUMBER = "not_a_number"
TOO_SHORT = "too_short"
TOO_LONG = "too_long"
INVALID = "invalid"


def _prepare(number):
    number = str(number or "").strip()
    if number.startswith("00"):
        # phone_parse reads 00 as the international prefix only when the
        # number is too long for the region; without a region it fails
        number = "+" + number[2:]
    return number


def _has_country_shape(parsed):
    """True when the national number fits its country's general pattern."""
    national = phonenumbers.national_significant_number(parsed)
    for region in phonenumbers.region_codes_for_country_code(parsed.country_code):
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
        general = metadata and metadata.general_desc
        pattern = general and general.national_number_pattern
        if pattern and re.fullmatch(pattern, national):
            return True
    return False


def _plausible(number, region):
    """The parsed number when it is possible and shaped like its country's."""
    try:
        parsed = phonenumbers.parse(number, region or None)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_possible_number(parsed) and _has_country_shape(parsed):
        return parsed
    return None


def diagnose(number, region=None):
    """Why ``number`` has no E.164 form, or None when it has one.

    One of NO_COUNTRY (a national number and no country to read it with),
    NOT_A_NUMBER, TOO_SHORT, TOO_LONG or INVALID (right length, but no
    number of its country looks like it).
    """
    if not number or not str(number).strip() or to_e164(number, region):
        return None
    if phonenumbers is None:  # pragma: no cover - declared dependency
        return NOT_A_NUMBER
    number = _prepare(number)
    try:
        parsed = phonenumbers.parse(number, (region or "").upper() or None)
    except phonenumbers.NumberParseException as error:
        if (
            error.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE
            and not region
            and not number.startswith("+")
        ):
            # a few digits are no number, whatever the country
            return TOO_SHORT if len(re.sub(r"\D", "", number)) < 6 else NO_COUNTRY
        return NOT_A_NUMBER
    reason = phonenumbers.is_possible_number_with_reason(parsed)
    reasons = phonenumbers.ValidationResult
    if reason in (reasons.TOO_SHORT, reasons.INVALID_LENGTH):
        return TOO_SHORT if reason == reasons.TOO_SHORT else INVALID
    if reason == reasons.TOO_LONG:
        return TOO_LONG
    if reason == reasons.INVALID_COUNTRY_CODE:
        return NOT_A_NUMBER
    return INVALID


def to_e164(number, region=None):
    """Return ``number`` in E.164 (``+14155550100``) or None.

    ``region`` is an ISO 3166 alpha-2 code used for numbers written without
    their international prefix.  Numbers that cannot be parsed or are not
    numbers of their region (valid, or shaped like them, see above) give
    None rather than an exception: a partner with a mistyped phone must stay
    editable.
    """
    if not number or phonenumbers is None:
        return None
    number = _prepare(number)
    if not number:
        return None
    region = (region or "").upper() or None
    try:
        parsed = phone_parse(number, region)
    except UserError:
        parsed = _plausible(number, region)
        if parsed is None:
            return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
