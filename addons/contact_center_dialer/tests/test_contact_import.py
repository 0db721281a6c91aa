import io
from pathlib import Path

import openpyxl

from odoo.tests import BaseCase, tagged

from ..tools import contact_import

DATA = Path(__file__).parent / "data"
BLOCKED = frozenset({"+3225551299"})
OPTED_OUT = frozenset({"+32479001122"})

# messy_contacts.csv, worked out by hand (semicolons, UTF-8 BOM, line 6 in
# cp1252, CRLF): 19 lines, the header on line 1, line 11 entirely blank.
CSV_ERRORS = [
    {"line": 7, "reason": "row set aside: no phone number"},
    {"line": 8, "reason": 'row set aside: phone "abc": not a number'},
    {"line": 9, "reason": 'phone "123": impossible for BE (too short)'},
    {
        "line": 10,
        "reason": 'row set aside: phone "+32 2 555 12 99": on the do-not-call list',
    },
    {"line": 12, "reason": "row set aside: 8 columns, expected 7"},
    {"line": 13, "reason": "row set aside: 2 columns, expected 7"},
    {"line": 15, "reason": 'phone "+32 2 555 12 99": on the do-not-call list'},
    {"line": 16, "reason": 'row set aside: phone "0479 00 11 22": opted out'},
    {
        "line": 18,
        "reason": 'row set aside: phone "+1 212 123 4567": invalid for US',
    },
]


def _numbers(contact):
    return [(number["kind"], number["e164"]) for number in contact["numbers"]]


def _xlsx(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


@tagged("post_install", "-at_install")
class TestContactImport(BaseCase):
    def _import_csv(self, **options):
        data = (DATA / "messy_contacts.csv").read_bytes()
        return contact_import.import_file(
            data,
            "messy_contacts.csv",
            "BE",
            blocked=BLOCKED,
            opted_out=OPTED_OUT,
            **options,
        )

    def test_messy_csv_report_counts_and_error_lines(self):
        report = self._import_csv()["report"]
        self.assertEqual(
            report,
            {
                "imported": 8,
                "merged": 2,
                "invalid": 5,
                "excluded": 3,
                "errors": CSV_ERRORS,
            },
        )

    def test_messy_csv_numbers_in_e164_and_duplicates_merged(self):
        contacts = self._import_csv()["contacts"]
        by_name = {contact["name"]: contact for contact in contacts}
        self.assertEqual(
            [contact["line"] for contact in contacts], [2, 3, 4, 6, 9, 15, 17, 19]
        )
        # line 5 (0032 475 12 34 56) is Alice's mobile: merged into her
        alice = by_name["Alice Martin"]
        self.assertEqual(alice["lines"], [2, 5])
        self.assertEqual(
            _numbers(alice), [("mobile", "+32475123456"), ("phone", "+3225551212")]
        )
        self.assertEqual(alice["email"], "alice@example.com")
        # line 14 (02 555 12 13) is Bob's number: its new mobile and its
        # country go to Bob, Bob's own values stay
        bob = by_name["Bob Peeters"]
        self.assertEqual(bob["lines"], [3, 14])
        self.assertEqual(
            _numbers(bob), [("phone", "+3225551213"), ("mobile", "+32477112233")]
        )
        self.assertEqual(bob["email"], "bob@example.com")
        self.assertEqual(bob["country_code"], "BE")
        self.assertEqual(bob["lang"], "nl")
        carol = by_name["Carol Smith"]
        self.assertEqual(_numbers(carol), [("phone", "+12125550100")])
        self.assertEqual(carol["numbers"][0]["region"], "US")
        self.assertEqual(carol["numbers"][0]["raw"], "(212) 555-0100")
        self.assertEqual(carol["lang"], "en_US")
        # the one kept number of a row that also had an impossible one
        self.assertEqual(_numbers(by_name["Hugo Short"]), [("mobile", "+32476987654")])
        self.assertEqual(_numbers(by_name["Mia Mixed"]), [("mobile", "+32478556677")])
        quinten = by_name["Quinten de Vries"]
        self.assertEqual(quinten["country_code"], "NL")
        self.assertEqual(
            _numbers(quinten), [("mobile", "+31612345678"), ("phone", "+31201234567")]
        )

    def test_messy_csv_decodes_bom_cp1252_line_and_quotes(self):
        result = self._import_csv()
        self.assertEqual(
            result["headers"],
            ["Nom", "Téléphone", "GSM", "E-mail", "Pays", "Langue", "Remarque"],
        )
        names = [contact["name"] for contact in result["contacts"]]
        self.assertIn("Émile Lefèvre", names)
        self.assertIn('Olivia "Liv" Quoted; Jr', names)
        emile = result["contacts"][names.index("Émile Lefèvre")]
        self.assertEqual(emile["country_code"], "FR")
        self.assertEqual(_numbers(emile), [("phone", "+33123456789")])

    def test_xlsx_with_the_same_rows_gives_the_same_report(self):
        # the CSV's rows, one per line, cells separated by "|"
        sheet = """
Nom|Téléphone|GSM|E-mail|Pays|Langue|Remarque
Alice Martin|+32 2 555 12 12|0475 12 34 56|alice@example.com|BE|fr_BE
Bob Peeters|02/555.12.13||bob@example.com||nl
Carol Smith|(212) 555-0100||carol@example.com|US|en-us
Didier Dupont|0032 475 12 34 56||didier@example.com
Émile Lefèvre|tel: +33 1 23 45 67 89|||France|fr
Frank Blank|||frank@example.com
Gina Letters|abc||gina@example.com
Hugo Short
Iris Blocked|+32 2 555 12 99

Jan Too Many|+32 2 555 12 14||jan@example.com|BE|nl|extra|more
Kim Too Few|+32 2 555 12 15
Léa Merge|02 555 12 13|0477 11 22 33|lea@example.com|BE
Mia Mixed|+32 2 555 12 99|+32 478 55 66 77
Noah Opted Out|0479 00 11 22
Olivia "Liv" Quoted; Jr|+44 20 7946 0018|||GB|en_GB|note; with a semicolon
Paul Unassigned|+1 212 123 4567
Quinten de Vries|020 123 4567|06 12345678||Nederland|nl_NL
"""
        rows = [
            [cell or None for cell in line.split("|")] if line else []
            for line in sheet.strip("\n").split("\n")
        ]
        # numbers typed as numbers: Excel dropped the mobile's leading 0
        rows[8] += [123, 476987654]
        result = contact_import.import_file(
            _xlsx(rows),
            "contacts.xlsx",
            "BE",
            blocked=BLOCKED,
            opted_out=OPTED_OUT,
        )
        # a sheet has no short rows, only empty cells: line 13 (Kim) is a
        # good row there, while it is broken in the CSV; all else is equal
        expected_errors = [error for error in CSV_ERRORS if error["line"] != 13]
        self.assertEqual(
            result["report"],
            {
                "imported": 9,
                "merged": 2,
                "invalid": 4,
                "excluded": 3,
                "errors": expected_errors,
            },
        )
        by_name = {contact["name"]: contact for contact in result["contacts"]}
        self.assertEqual(_numbers(by_name["Kim Too Few"]), [("phone", "+3225551215")])
        self.assertEqual(_numbers(by_name["Hugo Short"]), [("mobile", "+32476987654")])
        self.assertEqual(by_name["Alice Martin"]["lines"], [2, 5])

    def test_headers_recognised_in_several_languages(self):
        cases = {
            "fr": "Nom|Téléphone|Portable|Courriel|Pays|Langue|Fuseau horaire",
            "nl": "Naam|Telefoon|GSM|E-mailadres|Land|Taal|Tijdzone",
            "es": "Nombre|Teléfono|Móvil|Correo electrónico|País|Idioma|Zona horaria",
            "de": "Name|Telefon|Handy|E-Mail-Adresse|Land|Sprache|Zeitzone",
            "en": "FULL_NAME|Phone Number|mobile phone|E-mail|country|language|tz",
        }
        expected = {
            "name": 0,
            "phone": 1,
            "mobile": 2,
            "email": 3,
            "country": 4,
            "lang": 5,
            "tz": 6,
        }
        for lang, headers in cases.items():
            with self.subTest(lang=lang):
                self.assertEqual(
                    contact_import.map_headers(headers.split("|")), expected
                )

    def test_work_and_home_phone_headers_give_number_kinds_in_order(self):
        headers = [
            "Home Phone",
            "Work_Phone",
            "tel. travail",
            "Téléphone privé",
            "Mobile",
        ]
        self.assertEqual(
            contact_import.map_headers(headers),
            {"home_phone": 0, "work_phone": 1, "mobile": 4},
        )
        data = "Home Phone,Work_Phone,Mobile\n02 555 12 20,02 555 12 21,0475 00 00 01\n"
        result = contact_import.import_file(data.encode(), "x.csv", "BE")
        self.assertEqual(
            _numbers(result["contacts"][0]),
            [
                ("mobile", "+32475000001"),
                ("work", "+3225551221"),
                ("home", "+3225551220"),
            ],
        )

    def test_unrecognised_column_mapped_by_hand(self):
        headers = ["Client", "GSM privé", "Remarque", "Phone"]
        self.assertEqual(contact_import.map_headers(headers), {"name": 0, "phone": 3})
        mapping = {"gsm prive": "mobile", "Phone": False}
        self.assertEqual(
            contact_import.map_headers(headers, mapping), {"name": 0, "mobile": 1}
        )
        data = "Client;GSM privé;Remarque;Phone\nZoé;0475 99 88 77;VIP;02 555 12 30\n"
        result = contact_import.import_file(
            data.encode(), "x.csv", "BE", mapping=mapping
        )
        self.assertEqual(result["report"]["imported"], 1)
        self.assertEqual(_numbers(result["contacts"][0]), [("mobile", "+32475998877")])
        with self.assertRaises(ValueError):
            contact_import.map_headers(headers, {"Nope": "mobile"})
        with self.assertRaises(ValueError):
            contact_import.map_headers(headers, {"Remarque": "fax"})

    def test_tab_and_comma_delimiters_and_cp1252_only_file(self):
        tab = "Name\tPhone\tTime zone\nAnn\t+32 2 555 12 40\teurope/brussels\n"
        result = contact_import.import_file(tab.encode("utf-8"), "a.tsv", "BE")
        self.assertEqual(_numbers(result["contacts"][0]), [("phone", "+3225551240")])
        self.assertEqual(result["contacts"][0]["tz"], "Europe/Brussels")
        comma = 'Name,Phone\n"Doe, John",+1 212 555 0100\n'.encode("cp1252")
        result = contact_import.import_file(comma, "b.csv", "BE")
        self.assertEqual(result["contacts"][0]["name"], "Doe, John")
        latin = "Nom;Téléphone\nFrançois Noël;02 555 12 41\n".encode("cp1252")
        result = contact_import.import_file(latin, "c.csv", "BE")
        self.assertEqual(result["headers"], ["Nom", "Téléphone"])
        self.assertEqual(result["contacts"][0]["name"], "François Noël")

    def test_row_numbers_count_lines_of_quoted_multiline_cells(self):
        data = b'Name,Phone\n"Two\nlines",abc\nNext,xyz\n'
        report = contact_import.import_file(data, "m.csv", "BE")["report"]
        self.assertEqual(
            [error["line"] for error in report["errors"]],
            [2, 4],
        )

    def test_unclosed_quote_sets_aside_the_row_and_keeps_the_rows_before(self):
        data = b'Name,Phone\nAnn,0475123456\n"Ben,0475000000\nCid,0475111111\n'
        report = contact_import.import_file(data, "q.csv", "BE")["report"]
        self.assertEqual(
            report,
            {
                "imported": 1,
                "merged": 0,
                "invalid": 1,
                "excluded": 0,
                "errors": [
                    {
                        "line": 3,
                        "reason": "row set aside: 1 column, expected 2"
                        " (a quote left open?)",
                    }
                ],
            },
        )

    def test_unsupported_file_is_refused(self):
        with self.assertRaises(contact_import.ImportFileError):
            contact_import.read_rows(b"whatever", "contacts.pdf")
        with self.assertRaises(contact_import.ImportFileError):
            contact_import.read_rows(b"not a zip", "contacts.xlsx")

    def test_file_without_phone_column_is_refused(self):
        headers, rows = contact_import.read_rows(b"Name,Email\nAnn,a@b.c\n", "x.csv")
        with self.assertRaises(ValueError):
            contact_import.prepare(rows, contact_import.map_headers(headers), "BE")
