"""Phone number normalisation to E.164, in plain Python (phonenumbers)."""

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
        number = "+" + number[2:]
    try:
        parsed = phonenumbers.parse(number, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
