"""Importing a list of a few thousand rows: the set-based path stores the
same contacts and numbers a user then reads through the ORM, and the
do-not-call and merge rules still hold."""

from unittest.mock import patch

import phonenumbers

from odoo import Command
from odoo.tests import TransactionCase, new_test_user, tagged

ROWS = 3000
# rows (0-based) given a number of another country instead of New York's
FOREIGN = {
    3: ("ES", "+34 612 345 678"),  # Spanish mobile: Canary or Madrid, unknown
    5: ("ES", "+34 91 123 45 67"),  # Madrid landline
    7: ("AU", "+61 412 345 678"),  # Australian mobile: eight zones, unknown
    11: ("AU", "+61 2 9876 5432"),  # Sydney landline
}


def _be_mobile(i, international):
    return f"+32 470 {i:06d}" if international else f"0470{i:06d}"


def generated_csv():
    """3,000 rows: even rows Belgian mobiles (two formats), odd rows New York
    landlines; every tenth row (9, 19, ...) repeats the Belgian mobile of
    nine rows before in the other format; every hundredth (99, 199, ...)
    has letters instead of a number; row 40 also has a Belgian landline."""
    lines = ["Name;Mobile;Phone;Country;Email"]
    for i in range(ROWS):
        if i % 100 == 99:
            cells = [f"Letters {i}", "abc", "", "BE", ""]
        elif i % 10 == 9:
            cells = [f"Again {i}", _be_mobile(i - 9, i % 20 != 9), "", "BE", ""]
        elif i in FOREIGN:
            country, number = FOREIGN[i]
            cells = [f"Person {i}", "", number, country, ""]
        elif i % 2 == 0:
            phone = "02 555 00 40" if i == 40 else ""
            cells = [f"Person {i}", _be_mobile(i, i % 4 == 0), phone, "BE", ""]
            cells[4] = f"p{i}@example.com"
        else:
            cells = [f"Person {i}", "", f"212-{300 + i // 1000}-{i % 1000:04d}"]
            cells += ["US", ""]
        lines.append(";".join(cells))
    return ("\n".join(lines) + "\n").encode()


@tagged("post_install", "-at_install")
class TestCampaignImportBulk(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.be")
        team = cls.env["contact_center.team"].create({"name": "Bulk"})
        cls.campaign = cls.env["contact_center.campaign"].create(
            {"name": "Bulk list", "team_id": team.id}
        )
        # row 20's mobile is on the do-not-call list (and so row 29's)
        cls.env["phone.blacklist"].sudo().add("+32470000020")
        # row 40's mobile belongs to a contact of an earlier import
        cls.known = cls.env["contact_center.campaign.contact"].create(
            {
                "campaign_id": cls.campaign.id,
                "name": "Known",
                "number_ids": [Command.create({"phone_e164": "+32470000040"})],
            }
        )

    def _contact(self, name):
        return self.env["contact_center.campaign.contact"].search(
            [("campaign_id", "=", self.campaign.id), ("name", "=", name)]
        )

    def test_thousands_of_rows_are_counted_as_the_user_expects(self):
        report = self.campaign._import_contacts(generated_csv(), "big.csv")
        # 3,000 rows: 30 with letters (invalid); 300 - 30 = 270 repeats
        # (merged), less row 29 whose number is on the DNC list; row 40
        # merges into the known contact; 2,700 others less rows 20 (DNC)
        # and 40 are new
        self.assertEqual(report["imported"], 2698)
        self.assertEqual(report["merged"], 270)
        self.assertEqual(report["invalid"], 30)
        self.assertEqual(report["excluded"], 2)
        lines = {error["line"] for error in report["errors"]}
        # file lines are 1-based with the header on line 1: row i is i + 2
        self.assertEqual(len(lines), 32)
        self.assertIn(22, lines)  # row 20, DNC
        self.assertIn(31, lines)  # row 29, DNC through its repeat
        self.assertIn(101, lines)  # row 99, letters
        self.assertEqual(
            self.env["contact_center.campaign.contact"].search_count(
                [("campaign_id", "=", self.campaign.id)]
            ),
            2699,
        )
        self.assertEqual(self.campaign.contact_count, 2699)
        self.assertEqual(
            self.env["contact_center.campaign.number"].search_count(
                [("contact_id.campaign_id", "=", self.campaign.id)]
            ),
            2700,
        )
        self.assertFalse(self._contact("Person 20"))
        self.assertFalse(self._contact("Again 29"))

    def test_contacts_and_numbers_read_back_with_their_fields(self):
        self.campaign._import_contacts(generated_csv(), "big.csv")
        person = self._contact("Person 2")
        self.assertEqual(person.state, "pending")
        self.assertEqual(person.priority, 0)
        self.assertEqual(person.attempts, 0)
        self.assertEqual(person.tz, "Europe/Brussels")
        self.assertEqual(person.email, "p2@example.com")
        self.assertEqual(person.company_id, self.env.company)
        self.assertEqual(person.create_uid, self.env.user)
        self.assertTrue(person.create_date)
        self.assertEqual(person.number_ids.phone_e164, "+32470000002")
        self.assertEqual(person.number_ids.phone, "0470000002")
        self.assertEqual(person.number_ids.kind, "mobile")
        self.assertEqual(person.number_ids.sequence, 0)
        self.assertTrue(person.number_ids.active)
        # the repeat of row 2 brought nothing new
        self.assertFalse(self._contact("Again 11"))
        new_york = self._contact("Person 1")
        self.assertEqual(new_york.number_ids.phone_e164, "+12123000001")
        self.assertEqual(new_york.number_ids.kind, "phone")
        self.assertEqual(new_york.tz, "America/New_York")
        self.assertEqual(self._contact("Person 2997").tz, "America/New_York")
        # countries with several zones: landlines have one, mobiles none
        self.assertEqual(self._contact("Person 5").tz, "Europe/Madrid")
        self.assertEqual(self._contact("Person 11").tz, "Australia/Sydney")
        self.assertFalse(self._contact("Person 3").tz)
        self.assertFalse(self._contact("Person 7").tz)
        # row 40's landline joins the known contact, after its own number
        self.assertEqual(
            self.known.number_ids.mapped("phone_e164"),
            ["+32470000040", "+3225550040"],
        )
        self.assertEqual(self.known.number_ids.mapped("sequence"), [10, 100])
        self.assertEqual(self.known.name, "Known")

    def test_imported_contacts_can_be_handed_out(self):
        self.campaign._import_contacts(generated_csv(), "big.csv")
        user = new_test_user(
            self.env, "bulk_ann", groups="contact_center.group_contact_center_agent"
        )
        agent = self.env["contact_center.agent"].create({"user_id": user.id})
        self.campaign.write(
            {
                "agent_ids": [Command.set(agent.ids)],
                "default_tz": "UTC",
                "window_ids": [Command.clear()]
                + [
                    Command.create({"weekday": str(day), "hour_from": 0, "hour_to": 24})
                    for day in range(7)
                ],
            }
        )
        self.campaign.action_start()
        taken = self.campaign._take_next_contact(agent)
        self.assertEqual(taken.name, "Known")
        self.assertEqual(taken.state, "in_progress")
        self.assertEqual(taken.number_id.phone_e164, "+32470000040")

    def test_time_zones_cost_no_extra_parse(self):
        calls = []
        parse = phonenumbers.parse

        def counting(*args, **kwargs):
            calls.append(args)
            return parse(*args, **kwargs)

        with patch.object(phonenumbers, "parse", counting):
            self.campaign._import_contacts(generated_csv(), "big.csv")
        # one parse per number cell of the file (3,000 rows, row 40 has two):
        # none more to find the contacts' time zones
        self.assertLessEqual(len(calls), 3001)
