import base64

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..tools import contact_import

FIELD_SELECTION = [
    ("name", "Name"),
    ("first_name", "First Name"),
    ("last_name", "Last Name"),
    ("phone", "Phone"),
    ("mobile", "Mobile"),
    ("work_phone", "Work Phone"),
    ("home_phone", "Home Phone"),
    ("email", "Email"),
    ("country", "Country"),
    ("lang", "Language"),
    ("tz", "Time Zone"),
    ("consent", "Consent (Mobile)"),
]
# errors listed on the wizard; the rest are counted
SHOWN_ERRORS = 200


class ContactCenterCampaignImport(models.TransientModel):
    """Import a CSV or XLSX contact list into a campaign: upload, check the
    columns, import, read the report."""

    _name = "contact_center.campaign.import"
    _description = "Import a Contact List"

    campaign_id = fields.Many2one(
        "contact_center.campaign", required=True, ondelete="cascade"
    )
    step = fields.Selection(
        [("upload", "Upload"), ("map", "Columns"), ("done", "Report")],
        default="upload",
        required=True,
    )
    file = fields.Binary(string="File", attachment=False)
    filename = fields.Char()
    country_id = fields.Many2one(
        "res.country",
        string="Default Country",
        default=lambda self: self.env.company.country_id,
        help="Numbers written without their country code are read as "
        "numbers of this country, unless the row has a country column.",
    )
    column_ids = fields.One2many(
        "contact_center.campaign.import.column", "wizard_id", string="Columns"
    )
    imported = fields.Integer(readonly=True)
    merged = fields.Integer(readonly=True)
    invalid = fields.Integer(readonly=True)
    excluded = fields.Integer(readonly=True)
    error_text = fields.Text(string="Rows and Numbers Set Aside", readonly=True)

    def _data(self):
        self.ensure_one()
        if not self.file:
            raise UserError(self.env._("Choose a CSV or Excel (.xlsx) file first."))
        return base64.b64decode(self.file)

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import Contacts: %s", self.campaign_id.name),
            "res_model": self._name,
            "res_id": self.id,
            "views": [(False, "form")],
            "target": "new",
        }

    def action_read_columns(self):
        """Read the file's header row and guess what each column holds."""
        self.ensure_one()
        try:
            headers, rows = contact_import.read_rows(self._data(), self.filename or "")
        except ValueError as error:
            raise UserError(
                self.env._(
                    "%(file)s cannot be read: %(error)s",
                    file=self.filename,
                    error=error,
                )
            ) from error
        guessed = {
            index: field for field, index in contact_import.map_headers(headers).items()
        }
        first = next(iter(rows), (None, []))[1]
        self.write(
            {
                "step": "map",
                "column_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "index": index,
                            "header": header,
                            "sample": str(first[index]) if index < len(first) else "",
                            "field": guessed.get(index, False),
                        }
                    )
                    for index, header in enumerate(headers)
                ],
            }
        )
        return self._reopen()

    def action_import(self):
        """Import with the columns as mapped; show what happened."""
        self.ensure_one()
        mapping = {column.index: column.field or False for column in self.column_ids}
        report = self.campaign_id._import_contacts(
            self._data(),
            self.filename or "",
            mapping=mapping,
            default_region=self.country_id.code or None,
        )
        errors = report["errors"]
        lines = [
            self.env._("Line %(line)s: %(reason)s", line=e["line"], reason=e["reason"])
            for e in errors[:SHOWN_ERRORS]
        ]
        if len(errors) > SHOWN_ERRORS:
            lines.append(self.env._("… and %s more.", len(errors) - SHOWN_ERRORS))
        self.write(
            {
                "step": "done",
                "imported": report["imported"],
                "merged": report["merged"],
                "invalid": report["invalid"],
                "excluded": report["excluded"],
                "error_text": "\n".join(lines) or False,
                "file": False,
            }
        )
        return self._reopen()

    @api.model
    def action_open(self, campaign_id):
        wizard = self.create({"campaign_id": campaign_id})
        return wizard._reopen()
