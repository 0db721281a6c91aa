"""Contact-list import engine: read a CSV or XLSX file, recognise its columns,
normalise every phone number to E.164 and decide, row by row, what becomes a
campaign contact.

Nothing here imports Odoo. The campaign model calls, in this order::

    headers, rows = read_rows(data, filename)
    column_map = map_headers(headers, mapping)        # the wizard shows it
    result = prepare(rows, column_map, default_region, blocked, opted_out)
    result["contacts"]   # what to create
    result["report"]     # {"imported", "merged", "invalid", "excluded", "errors"}

or ``import_file(data, filename, default_region, ...)`` for all three.

Counting rules (the report a user reads):

- ``imported``: rows that became a new contact;
- ``merged``: rows with a number already on an earlier row: their other
  numbers and blank fields went to that first contact;
- ``invalid``: rows set aside with no valid number (no number, only invalid
  or impossible numbers, or a CSV row with the wrong number of columns);
- ``excluded``: numbers left out because they are on the do-not-call list
  (``blocked``) or opted out, on any row;
- ``errors``: one ``{"line", "reason"}`` per row set aside, and one per
  number set aside on a row that was kept, in file order. Lines are the
  file's own 1-based line numbers (the header is line 1).

Rows that are entirely blank are skipped without a word.
"""

import codecs
import csv
import io
import re
import unicodedata
import zipfile

import phonenumbers
from phonenumbers import NumberParseException, ValidationResult

#: the fields a column can be mapped to
FIELDS = (
    "name",
    "first_name",
    "last_name",
    "phone",
    "mobile",
    "work_phone",
    "home_phone",
    "email",
    "country",
    "lang",
    "tz",
    "consent",
)

#: number fields, in the order a contact's numbers are listed, with their kind
NUMBER_FIELDS = (
    ("mobile", "mobile"),
    ("work_phone", "work"),
    ("home_phone", "home"),
    ("phone", "phone"),
)

# Header synonyms (EN, FR, NL, ES, DE); compared without case, accents,
# spaces, dashes or underscores, so "E-mail", "e_mail" and "EMAIL" are one.
_SYNONYMS = {
    "name": (
        "name",
        "full name",
        "contact",
        "contact name",
        "customer",
        "customer name",
        "display name",
        "nom",
        "nom complet",
        "client",
        "naam",
        "volledige naam",
        "klant",
        "nombre",
        "nombre completo",
        "cliente",
        "vollständiger name",
        "kontakt",
        "kunde",
    ),
    "first_name": ("first name", "given name", "prénom", "voornaam", "vorname"),
    "last_name": (
        "last name",
        "surname",
        "family name",
        "nom de famille",
        "achternaam",
        "familienaam",
        "apellido",
        "apellidos",
        "nachname",
        "familienname",
    ),
    "phone": (
        "phone",
        "phone number",
        "telephone",
        "telephone number",
        "tel",
        "tel.",
        "number",
        "téléphone",
        "numéro de téléphone",
        "telefoon",
        "telefoonnummer",
        "teléfono",
        "número de teléfono",
        "telefon",
        "telefonnummer",
        "rufnummer",
    ),
    "mobile": (
        "mobile",
        "mobile phone",
        "mobile number",
        "cell",
        "cell phone",
        "cellular",
        "gsm",
        "portable",
        "téléphone portable",
        "tél. portable",
        "mobiel",
        "mobiele telefoon",
        "mobiel nummer",
        "gsm nummer",
        "móvil",
        "teléfono móvil",
        "celular",
        "handy",
        "handynummer",
        "mobil",
        "mobiltelefon",
        "mobilnummer",
    ),
    "work_phone": (
        "work phone",
        "work",
        "business phone",
        "office phone",
        "work number",
        "téléphone travail",
        "tél. travail",
        "téléphone professionnel",
        "tél. pro",
        "bureau",
        "werk",
        "werktelefoon",
        "telefoon werk",
        "kantoor",
        "trabajo",
        "teléfono trabajo",
        "teléfono oficina",
        "geschäftlich",
        "telefon geschäftlich",
        "diensttelefon",
        "büro",
    ),
    "home_phone": (
        "home phone",
        "home",
        "private phone",
        "téléphone domicile",
        "tél. domicile",
        "domicile",
        "privé",
        "téléphone privé",
        "thuis",
        "thuisnummer",
        "telefoon thuis",
        "casa",
        "teléfono casa",
        "particular",
        "privat",
        "telefon privat",
        "festnetz",
    ),
    "email": (
        "email",
        "email address",
        "mail",
        "courriel",
        "adresse email",
        "mél",
        "emailadres",
        "mailadres",
        "correo",
        "correo electrónico",
        "e-mail-adresse",
    ),
    "country": (
        "country",
        "country code",
        "pays",
        "code pays",
        "land",
        "landcode",
        "país",
        "código país",
        "ländercode",
    ),
    "lang": ("language", "lang", "langue", "taal", "idioma", "sprache", "locale"),
    "tz": (
        "time zone",
        "tz",
        "fuseau horaire",
        "fuseau",
        "tijdzone",
        "zona horaria",
        "zeitzone",
    ),
    "consent": (
        "consent",
        "mobile consent",
        "opt in",
        "consentement",
        "toestemming",
        "consentimiento",
        "einwilligung",
    ),
}

# consent cells: yes / no in the languages above; anything else is no consent
_CONSENT_YES = frozenset(("yes", "y", "1", "true", "oui", "ja", "si", "sí"))

_IMPOSSIBLE = {
    ValidationResult.TOO_SHORT: "too short",
    ValidationResult.TOO_LONG: "too long",
    ValidationResult.INVALID_LENGTH: "wrong length",
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "area code missing",
    ValidationResult.INVALID_COUNTRY_CODE: "unknown country code",
}
_PARSE_ERRORS = {
    NumberParseException.INVALID_COUNTRY_CODE: "unknown country code",
    NumberParseException.NOT_A_NUMBER: "not a number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "too short",
    NumberParseException.TOO_SHORT_NSN: "too short",
    NumberParseException.TOO_LONG: "too long",
}
_LANG_RE = re.compile(r"^([a-z]{2,3})(?:[-_]([a-z]{2}))?(?:[.@].*)?$", re.I)
_COUNTRY_NAME_LANGS = ("en", "fr", "nl", "es", "de")
_CACHE_LIMIT = 200_000


class ImportFileError(ValueError):
    """The file cannot be read at all (unknown type, not a spreadsheet)."""


def _norm(text):
    """Comparison key of a header or a name: lower case, no accents, letters
    and digits only."""
    text = unicodedata.normalize("NFKD", str(text or "")).casefold()
    return "".join(ch for ch in text if ch.isalnum())


_HEADER_FIELD = {
    _norm(word): field for field, words in _SYNONYMS.items() for word in words
}


# ---------------------------------------------------------------------------
# Reading the file


_CP1252 = [
    bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in range(256)
]


def _cp1252_fallback(exc):
    """Decode the bytes UTF-8 rejects as Windows-1252 (Latin-1 for the five
    bytes it leaves undefined): a file saved in UTF-8 with a few lines pasted
    from a Windows export reads right on both."""
    chunk = exc.object[exc.start : exc.end]
    return "".join(_CP1252[byte] for byte in chunk), exc.end


codecs.register_error("contact_import_cp1252", _cp1252_fallback)


def _decode(data):
    """Decide the text encoding: UTF-16 when it starts with its byte-order
    mark; else UTF-8 (a leading BOM dropped), any byte that is not UTF-8
    being read as Windows-1252, or Latin-1 for bytes cp1252 leaves undefined."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="contact_import_cp1252")


def _sniff_delimiter(text):
    """Decide the delimiter from the first line: the most frequent of ``;``,
    tab and ``,`` outside quotes (comma on a tie or when there is none)."""
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    first = re.sub(r'"[^"]*"', "", first)
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    best = max(counts.values())
    if not best or counts[","] == best:
        return ","
    return ";" if counts[";"] == best else "\t"


def _trim(cells):
    """Drop empty cells at the end of a row (separators with nothing after)."""
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells if end == len(cells) else cells[:end]


class _CsvRows:
    """The data rows of a decoded CSV text as ``(line, cells)`` pairs, read
    afresh on each iteration (a million rows are never all held in memory).
    ``line`` is the file line where the row starts; ``width`` the header's
    number of columns, against which ``prepare`` checks each row."""

    def __init__(self, text, delimiter, start, first_line, width):
        self._text = text
        self._delimiter = delimiter
        self._start = start
        self._first_line = first_line
        self.width = width

    def __iter__(self):
        stream = io.StringIO(self._text, newline="")
        stream.seek(self._start)
        reader = csv.reader(stream, delimiter=self._delimiter)
        offset = self._first_line - 1
        previous = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error:
                # an unreadable record: reported as a broken row, reading goes on
                cells = None
            line, previous = offset + previous + 1, reader.line_num
            yield line, cells


def _read_csv(data):
    text = _decode(data)
    text = text.replace("\x00", "")
    delimiter = _sniff_delimiter(text.lstrip("\r\n"))
    stream = io.StringIO(text, newline="")
    reader = csv.reader(stream, delimiter=delimiter)
    headers = []
    for cells in reader:
        if any(cell.strip() for cell in cells):
            headers = [cell.strip() for cell in _trim(cells)]
            break
    header_line = reader.line_num
    # the reader reads ahead by lines only: its position is the next record
    start = _offset_of_line(text, header_line)
    rows = _CsvRows(text, delimiter, start, header_line + 1, len(headers))
    return headers, rows


def _offset_of_line(text, lines):
    """Character offset just after the first ``lines`` lines (``\\r\\n``,
    ``\\n`` or ``\\r`` ends a line, as the csv module counts them)."""
    pos = 0
    for _ in range(lines):
        nl = text.find("\n", pos)
        cr = text.find("\r", pos)
        if cr >= 0 and (nl < 0 or cr < nl):
            pos = cr + 2 if text.startswith("\r\n", cr) else cr + 1
        elif nl >= 0:
            pos = nl + 1
        else:
            return len(text)
    return pos


def _cell_text(value):
    """A spreadsheet cell as the text a user typed: whole numbers without
    ``.0`` (a phone number stored as a number), nothing for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return value.strip()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


class _XlsxRows:
    """The data rows of the first sheet of a workbook as ``(line, cells)``,
    ``line`` being the sheet's row number. Short rows are padded (a sheet has
    no missing cells, only empty ones); ``prepare`` still sets aside a row
    with a value in a column that has no header."""

    def __init__(self, data, header_row, width):
        self._data = data
        self._header_row = header_row
        self.width = width

    def __iter__(self):
        workbook = _open_workbook(self._data)
        try:
            sheet = workbook.worksheets[0]
            width = self.width
            for line, values in enumerate(
                sheet.iter_rows(min_row=self._header_row + 1, values_only=True),
                start=self._header_row + 1,
            ):
                cells = [_cell_text(value) for value in values]
                if len(cells) < width:
                    cells.extend([""] * (width - len(cells)))
                yield line, cells
        finally:
            workbook.close()


def _open_workbook(data):
    import openpyxl  # noqa: PLC0415 - only needed for spreadsheets

    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(f"not a readable XLSX workbook ({exc})") from exc


def _read_xlsx(data):
    workbook = _open_workbook(data)
    try:
        if not workbook.worksheets:
            return [], _XlsxRows(data, 1, 0)
        sheet = workbook.worksheets[0]
        headers, header_row = [], 1
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(value) for value in values]
            if any(cells):
                headers, header_row = _trim(cells), line
                break
    finally:
        workbook.close()
    return headers, _XlsxRows(data, header_row, len(headers))


def read_rows(data, filename):
    """Read a contact file. Decides the format from the file name (``.csv``,
    ``.txt`` or ``.tsv`` is text, ``.xlsx``/``.xlsm`` a workbook, whose first
    sheet is read) and returns ``(headers, rows)``: the first non-blank row
    as headers, and the rows after it as an iterable of ``(line, cells)``
    with the file's 1-based line numbers. ``cells`` is ``None`` for a CSV
    record the csv module could not read. Text files: delimiter ``,``, ``;``
    or tab, sniffed from the header line; UTF-8 (with or without BOM),
    UTF-16 with BOM, Windows-1252 or Latin-1."""
    name = (filename or "").lower()
    if name.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data)
    if name.endswith((".csv", ".txt", ".tsv")):
        return _read_csv(data)
    if name.endswith(".xls"):
        raise ImportFileError(
            "old .xls workbooks are not supported: save as .xlsx or .csv"
        )
    raise ImportFileError(f"unsupported file type: {filename!r} (use .csv or .xlsx)")


# ---------------------------------------------------------------------------
# Columns


def map_headers(headers, mapping=None):
    """Decide which column holds which field: returns ``{field: column
    index}`` for the recognised headers (see ``FIELDS``; the first column
    wins when two mean the same). ``mapping`` overrides recognition, keyed
    by header text (compared like headers) or column index: a field name
    maps that column, a false value ignores it. Columns left out are for
    the wizard to map by hand."""
    column_map = {}
    for index, header in enumerate(headers):
        field = _HEADER_FIELD.get(_norm(header))
        if field and field not in column_map:
            column_map[field] = index
    if not mapping:
        return column_map
    by_key = {
        _norm(header): index for index, header in reversed(list(enumerate(headers)))
    }
    for key, field in mapping.items():
        index = key if isinstance(key, int) else by_key.get(_norm(key))
        if index is None or not 0 <= index < len(headers):
            raise ValueError(f"no column {key!r} in the file")
        if field and field not in FIELDS:
            raise ValueError(f"unknown field {field!r} for column {key!r}")
        # the column leaves whatever it was recognised as
        for known, known_index in list(column_map.items()):
            if known_index == index:
                del column_map[known]
        if field:
            column_map[field] = index
    return column_map


# ---------------------------------------------------------------------------
# Values


_COUNTRIES = {}


def _countries():
    """Country lookup by normalised value: ISO codes, and names in English,
    French, Dutch, Spanish and German (from phonenumbers' locale data)."""
    if _COUNTRIES:
        return _COUNTRIES
    from phonenumbers.geodata.locale import LOCALE_DATA  # noqa: PLC0415

    table = {}
    for region in phonenumbers.SUPPORTED_REGIONS:
        names = LOCALE_DATA.get(region, {})
        for lang in _COUNTRY_NAME_LANGS:
            name = names.get(lang, "")
            if name.startswith("*"):
                name = names.get(name[1:], "")
            if name:
                table.setdefault(_norm(name), region)
    for alias, region in (("usa", "US"), ("uk", "GB"), ("greatbritain", "GB")):
        table.setdefault(alias, region)
    for region in phonenumbers.SUPPORTED_REGIONS:
        table[region.lower()] = region
    _COUNTRIES.update(table)
    return _COUNTRIES


def country_code(value):
    """Decide the ISO country code of a country cell: a code (``BE``,
    ``be``), a name in EN/FR/NL/ES/DE (``Belgique``, ``België``) or a
    dialling code (``+32``, ``0032``). ``None`` when not recognised."""
    value = (value or "").strip()
    if not value:
        return None
    digits = value.lstrip("+")
    if digits.startswith("00"):
        digits = digits[2:]
    if digits.isdigit():
        region = phonenumbers.region_code_for_country_code(int(digits))
        return None if region in ("ZZ", "001") else region
    return _countries().get(_norm(value))


def lang_code(value):
    """Normalise a language cell to Odoo's form (``fr-be`` -> ``fr_BE``,
    ``NL`` -> ``nl``); ``None`` when it is not a language code."""
    match = _LANG_RE.match((value or "").strip())
    if not match:
        return None
    lang, territory = match.groups()
    return f"{lang.lower()}_{territory.upper()}" if territory else lang.lower()


_TIMEZONES = {}


def tz_name(value):
    """Return the IANA time zone named by a cell, whatever its case
    (``europe/brussels`` -> ``Europe/Brussels``); ``None`` when unknown."""
    value = (value or "").strip()
    if not value:
        return None
    if not _TIMEZONES:
        import zoneinfo  # noqa: PLC0415

        _TIMEZONES.update(
            {name.lower(): name for name in zoneinfo.available_timezones()}
        )
    return _TIMEZONES.get(value.lower())


def consent_value(value):
    """Whether a consent cell says yes (``yes``, ``1``, ``true``, ``oui``,
    ``ja``, ``sí``...); blank, ``no``, ``0``, ``false`` or anything else is
    no consent."""
    return (value or "").strip().casefold() in _CONSENT_YES


def _region_label(country_calling_code):
    region = phonenumbers.region_code_for_country_code(country_calling_code)
    return f"+{country_calling_code}" if region in ("ZZ", "001") else region


def normalize_number(raw, region):
    """Decide what a phone cell is worth: returns ``(e164, number_region,
    None)`` for a valid number, read in ``region`` when it is not in
    international form, or ``(None, None, reason)``: "not a number",
    "impossible for BE (too short)", "invalid for BE" (possible length but
    no such number range), "unknown country code"."""
    try:
        number = phonenumbers.parse(raw, region)
    except NumberParseException as exc:
        return None, None, _PARSE_ERRORS.get(exc.error_type, "not a number")
    number_region = phonenumbers.region_code_for_number(number)
    if not number_region or not phonenumbers.is_valid_number_for_region(
        number, number_region
    ):
        # only a number that is not valid pays for the finer diagnosis
        label = _region_label(number.country_code)
        possible = phonenumbers.is_possible_number_with_reason(number)
        if possible != ValidationResult.IS_POSSIBLE:
            reason = _IMPOSSIBLE.get(possible, "wrong length")
            return None, None, f"impossible for {label} ({reason})"
        return None, None, f"invalid for {label}"
    e164 = f"+{number.country_code}{phonenumbers.national_significant_number(number)}"
    return e164, number_region, None


# ---------------------------------------------------------------------------
# Rows to contacts


def _check_map(column_map):
    unknown = set(column_map) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown fields in the column map: {sorted(unknown)}")
    if not any(field in column_map for field, _kind in NUMBER_FIELDS):
        raise ValueError("no phone column: map at least one column to a number")


def _broken_row(cells, width):
    """The reason a CSV row with the wrong number of cells is set aside."""
    count = len(cells)
    reason = (
        f"row set aside: {count} column{'' if count == 1 else 's'}, expected {width}"
    )
    if count < width and any("\n" in cell or "\r" in cell for cell in cells):
        # an opening quote never closed swallows the lines after it
        reason += " (a quote left open?)"
    return reason


def prepare(
    rows,
    column_map,
    default_region,
    blocked=frozenset(),
    opted_out=frozenset(),
    width=None,
):
    """Decide which rows become contacts, which merge, and which are set
    aside, following the counting rules of this module's docstring.

    ``rows``: ``(line, cells)`` pairs (from ``read_rows``); ``column_map``:
    ``{field: index}`` (from ``map_headers``); ``default_region``: ISO code
    used for numbers in national form when the row has no recognisable
    country; ``blocked`` and ``opted_out``: sets of E.164 numbers; ``width``:
    the expected number of cells per row (defaults to ``rows.width``; rows
    with more non-empty cells or, in a CSV, fewer cells are set aside).

    Returns ``{"contacts": [...], "report": {...}}``. Each contact is a dict:
    ``line`` (of its first row), ``lines`` (all rows merged into it),
    ``name``, ``email``, ``country_code``, ``lang``, ``tz`` (``None`` when
    absent) and ``numbers``: a list of ``{"kind", "raw", "e164",
    "region", "consent"}`` in column order mobile, work, home, phone, then in
    the order merged rows brought them; ``region`` is the number's own
    country; ``consent`` is true for a mobile on a row whose consent column
    says yes (autodialing it may need it), false otherwise."""
    _check_map(column_map)
    if width is None:
        width = getattr(rows, "width", None)
    pad_short = isinstance(rows, _XlsxRows)
    get = column_map.get
    name_i, first_i, last_i = get("name"), get("first_name"), get("last_name")
    email_i, country_i, lang_i, tz_i = (
        get("email"),
        get("country"),
        get("lang"),
        get("tz"),
    )
    consent_i = get("consent")
    number_cols = [
        (column_map[field], kind)
        for field, kind in NUMBER_FIELDS
        if field in column_map
    ]
    needed = max(column_map.values()) + 1
    blocked = blocked or frozenset()
    opted_out = opted_out or frozenset()

    cache = {}
    countries = {}
    owner = {}  # E.164 -> the contact that holds it
    contacts, errors = [], []
    imported = merged = invalid = excluded = 0
    for line, cells in rows:
        if cells is None:
            invalid += 1
            errors.append({"line": line, "reason": "row set aside: unreadable row"})
            continue
        count = len(cells)
        if width and count != width:
            if count > width and not any(cell.strip() for cell in cells[width:]):
                cells = cells[:width]
            elif count < width and pad_short:
                cells = cells + [""] * (width - count)
            elif any(cell.strip() for cell in cells):
                invalid += 1
                errors.append({"line": line, "reason": _broken_row(cells, width)})
                continue
            else:
                continue
        if count < needed:
            cells = cells + [""] * (needed - count)

        region = default_region
        country = None
        if country_i is not None:
            value = cells[country_i]
            if value:
                country = countries.get(value, False)
                if country is False:
                    country = countries[value] = country_code(value)
                if country:
                    region = country

        good, problems, dropped = [], [], 0
        consent = consent_i is not None and consent_value(cells[consent_i])
        for index, kind in number_cols:
            raw = cells[index].strip()
            if not raw:
                continue
            key = (raw, region)
            found = cache.get(key)
            if found is None:
                if len(cache) >= _CACHE_LIMIT:
                    cache.clear()
                found = cache[key] = normalize_number(raw, region)
            e164, number_region, reason = found
            if reason:
                problems.append(f'{kind} "{raw}": {reason}')
            elif e164 in blocked:
                problems.append(f'{kind} "{raw}": on the do-not-call list')
                dropped += 1
            elif e164 in opted_out:
                problems.append(f'{kind} "{raw}": opted out')
                dropped += 1
            elif all(e164 != number["e164"] for number in good):
                good.append(
                    {
                        "kind": kind,
                        "raw": raw,
                        "e164": e164,
                        "region": number_region,
                        "consent": consent and kind == "mobile",
                    }
                )
        excluded += dropped

        if not good:
            if problems:
                if not dropped:
                    invalid += 1
                errors.append(
                    {"line": line, "reason": "row set aside: " + "; ".join(problems)}
                )
            elif any(cell.strip() for cell in cells):
                invalid += 1
                errors.append(
                    {"line": line, "reason": "row set aside: no phone number"}
                )
            continue
        for problem in problems:
            errors.append({"line": line, "reason": problem})

        name = cells[name_i].strip() if name_i is not None else ""
        if not name and (first_i is not None or last_i is not None):
            parts = (cells[i].strip() for i in (first_i, last_i) if i is not None)
            name = " ".join(part for part in parts if part)
        values = {
            "name": name or None,
            "email": (cells[email_i].strip() or None) if email_i is not None else None,
            "country_code": country or None,
            "lang": lang_code(cells[lang_i]) if lang_i is not None else None,
            "tz": tz_name(cells[tz_i]) if tz_i is not None else None,
        }

        target = None
        for number in good:
            holder = owner.get(number["e164"])
            if holder is not None and (
                target is None or holder["_seq"] < target["_seq"]
            ):
                target = holder
        if target is None:
            contact = {"line": line, "lines": [line], "_seq": len(contacts)}
            contact.update(values)
            contact["numbers"] = good
            contacts.append(contact)
            for number in good:
                owner[number["e164"]] = contact
            imported += 1
            continue
        merged += 1
        target["lines"].append(line)
        for field, value in values.items():
            if value and not target[field]:
                target[field] = value
        for number in good:
            if number["e164"] not in owner:
                owner[number["e164"]] = target
                target["numbers"].append(number)

    for contact in contacts:
        del contact["_seq"]
    report = {
        "imported": imported,
        "merged": merged,
        "invalid": invalid,
        "excluded": excluded,
        "errors": errors,
    }
    return {"contacts": contacts, "report": report}


def import_file(
    data,
    filename,
    default_region,
    mapping=None,
    blocked=frozenset(),
    opted_out=frozenset(),
):
    """Read, map and prepare a file in one call; returns ``prepare``'s result
    with the file's ``headers`` and the ``column_map`` used."""
    headers, rows = read_rows(data, filename)
    column_map = map_headers(headers, mapping)
    result = prepare(rows, column_map, default_region, blocked, opted_out)
    result["headers"] = headers
    result["column_map"] = column_map
    return result
