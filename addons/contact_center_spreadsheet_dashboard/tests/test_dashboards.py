"""The shipped dashboards: where they are, who sees them, and that every
model, field, measure and grouping their spreadsheets read exists on the
report models, so a renamed report field breaks this test, not a manager's
dashboard."""

import base64
import json
import re

from odoo.tests import TransactionCase, new_test_user, tagged

PREFIX = "contact_center_spreadsheet_dashboard.spreadsheet_dashboard_contact_center"
DASHBOARDS = {
    f"{PREFIX}_overview": (
        "Contact Center Overview",
        "contact_center.report.interaction",
    ),
    f"{PREFIX}_tickets": ("Ticket Desk", "contact_center.report.ticket"),
    f"{PREFIX}_sla": ("SLA Compliance", "contact_center.report.sla"),
}
GRANULARITIES = {"day", "week", "month", "quarter", "year"}
PIVOT_FORMULA = re.compile(r"PIVOT\.(VALUE|HEADER)\((\d+),([^)]*)\)")


@tagged("post_install", "-at_install")
class TestDashboards(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supervisor = new_test_user(
            cls.env,
            "cc_dash_supervisor",
            groups="contact_center.group_contact_center_supervisor",
        )
        cls.agent = new_test_user(
            cls.env, "cc_dash_agent", groups="contact_center.group_contact_center_agent"
        )

    def _spreadsheet(self, dashboard):
        return json.loads(base64.b64decode(dashboard.spreadsheet_binary_data))

    def _fields(self, model):
        self.assertIn(model, self.env, f"model {model} does not exist")
        return self.env[model].fields_get(
            attributes=["type", "relation", "groupable", "aggregator", "store"]
        )

    def _check_groupby(self, model, spec, where):
        name, _sep, granularity = spec.partition(":")
        fields = self._fields(model)
        self.assertTrue(name in fields, f"{where}: {model} has no field {name}")
        self.assertTrue(
            fields[name].get("groupable"),
            f"{where}: {model}.{name} cannot be grouped by",
        )
        if granularity:
            self.assertIn(fields[name]["type"], ("date", "datetime"), where)
            self.assertIn(granularity, GRANULARITIES, where)

    def _check_measure(self, model, name, aggregator, where):
        if name == "__count":
            return
        fields = self._fields(model)
        self.assertTrue(name in fields, f"{where}: {model} has no field {name}")
        # the dashboard aggregates as the report means it (avg of a rate,
        # sum of a count): a rate summed would read as nonsense
        self.assertEqual(
            fields[name].get("aggregator"),
            aggregator,
            f"{where}: {model}.{name} is not aggregated by {aggregator}",
        )

    def _check_domain(self, model, domain, where):
        fields = self._fields(model)
        for leaf in domain:
            if isinstance(leaf, list):
                self.assertTrue(leaf[0].split(".")[0] in fields, where)

    def _check_matching(self, model, matching, filters, where):
        fields = self._fields(model)
        self.assertEqual(
            set(matching), set(filters), f"{where}: every global filter applies"
        )
        for filter_id, match in matching.items():
            chain = match["chain"]
            self.assertTrue(chain in fields, f"{where}: {model} has no field {chain}")
            field = fields[chain]
            global_filter = filters[filter_id]
            if global_filter["type"] == "date":
                self.assertIn(field["type"], ("date", "datetime"), where)
                self.assertEqual(match["type"], field["type"], where)
            else:
                self.assertEqual(field["type"], "many2one", where)
                self.assertEqual(field["relation"], global_filter["modelName"], where)

    def test_dashboards_are_in_the_contact_center_group(self):
        group = self.env.ref(
            "contact_center_spreadsheet_dashboard.spreadsheet_dashboard_group_contact_center"
        )
        self.assertEqual(group.name, "Contact Center")
        self.assertEqual(
            group.published_dashboard_ids.mapped("name"),
            ["Contact Center Overview", "Ticket Desk", "SLA Compliance"],
        )

    def test_dashboards_are_for_supervisors(self):
        supervisor_group = self.env.ref(
            "contact_center.group_contact_center_supervisor"
        )
        Dashboard = self.env["spreadsheet.dashboard"]
        for xmlid, (name, _model) in DASHBOARDS.items():
            dashboard = self.env.ref(xmlid)
            self.assertEqual(dashboard.group_ids, supervisor_group, name)
        group = self.env.ref(
            "contact_center_spreadsheet_dashboard.spreadsheet_dashboard_group_contact_center"
        )
        domain = [("dashboard_group_id", "=", group.id)]
        self.assertEqual(
            sorted(Dashboard.with_user(self.supervisor).search(domain).mapped("name")),
            ["Contact Center Overview", "SLA Compliance", "Ticket Desk"],
        )
        # agents have "My Performance"; the team dashboards are not theirs
        self.assertFalse(Dashboard.with_user(self.agent).search(domain))

    def test_dashboard_data_opens_for_a_supervisor(self):
        for xmlid, (name, _model) in DASHBOARDS.items():
            dashboard = self.env.ref(xmlid).with_user(self.supervisor)
            data = dashboard.get_readonly_dashboard()
            self.assertEqual(data["snapshot"]["version"], 21, name)
            self.assertFalse(data.get("is_sample"), name)

    def test_spreadsheets_read_existing_fields(self):
        for xmlid, (name, main_model) in DASHBOARDS.items():
            dashboard = self.env.ref(xmlid)
            self.assertEqual(dashboard.name, name)
            self.assertEqual(dashboard.main_data_model_ids.model, main_model)
            data = self._spreadsheet(dashboard)
            filters = {f["id"]: f for f in data["globalFilters"]}
            self.assertEqual(
                sorted(f["label"] for f in filters.values() if f["type"] == "relation"),
                ["Agent", "Team"],
                name,
            )
            self.assertEqual(
                [f["rangeType"] for f in filters.values() if f["type"] == "date"],
                ["relative"],
                name,
            )
            for global_filter in filters.values():
                if global_filter["type"] == "relation":
                    self.assertIn(global_filter["modelName"], self.env, name)
            self.assertTrue(data["pivots"], name)
            for pivot_id, pivot in data["pivots"].items():
                where = f"{name}, pivot {pivot_id} ({pivot['name']})"
                model = pivot["model"]
                self.assertEqual(model, main_model, where)
                self._check_domain(model, pivot["domain"], where)
                for measure in pivot["measures"]:
                    self.assertEqual(
                        measure["id"],
                        f"{measure['fieldName']}:{measure['aggregator']}",
                        where,
                    )
                    self._check_measure(
                        model, measure["fieldName"], measure["aggregator"], where
                    )
                for groupby in pivot["rows"] + pivot["columns"]:
                    self._check_groupby(model, groupby["fieldName"], where)
                self._check_matching(model, pivot["fieldMatching"], filters, where)
            for list_id, spec in data["lists"].items():
                where = f"{name}, list {list_id}"
                fields = self._fields(spec["model"])
                for column in spec["columns"]:
                    self.assertTrue(column in fields, f"{where}: no field {column}")
                self._check_domain(spec["model"], spec["domain"], where)
                self._check_matching(
                    spec["model"], spec["fieldMatching"], filters, where
                )
            charts = [
                figure["data"]
                for sheet in data["sheets"]
                for figure in sheet["figures"]
                if figure["data"]["type"].startswith("odoo_")
            ]
            self.assertTrue(charts, name)
            for chart in charts:
                where = f"{name}, chart {chart['title']['text']}"
                model = chart["metaData"]["resModel"]
                self.assertEqual(model, main_model, where)
                measure = chart["metaData"]["measure"]
                if measure != "__count":
                    self.assertTrue(
                        self._fields(model)[measure].get("aggregator"), where
                    )
                for groupby in chart["metaData"]["groupBy"]:
                    self._check_groupby(model, groupby, where)
                self._check_domain(model, chart["searchParams"]["domain"], where)
                self._check_matching(model, chart["fieldMatching"], filters, where)

    def test_formulas_name_existing_pivots_measures_and_groups(self):
        for xmlid, (name, _model) in DASHBOARDS.items():
            data = self._spreadsheet(self.env.ref(xmlid))
            cells = {
                f"{sheet['name']}!{ref}": cell.get("content", "")
                for sheet in data["sheets"]
                for ref, cell in sheet["cells"].items()
            }
            formulas = 0
            for ref, content in cells.items():
                for kind, pivot_id, args in PIVOT_FORMULA.findall(content):
                    formulas += 1
                    where = f"{name}, {ref}: {content}"
                    self.assertIn(pivot_id, data["pivots"], where)
                    pivot = data["pivots"][pivot_id]
                    args = [arg.strip().strip('"') for arg in args.split(",")]
                    if kind == "VALUE":
                        measure, *args = args
                        self.assertIn(
                            measure, [m["id"] for m in pivot["measures"]], where
                        )
                    groupbys = [arg.lstrip("#") for arg in args[::2]]
                    rows = [r["fieldName"] for r in pivot["rows"] + pivot["columns"]]
                    for groupby in groupbys:
                        self.assertIn(groupby, rows, where)
            self.assertGreater(formulas, 20, name)
            # scorecards show a figure of the Data sheet
            for sheet in data["sheets"]:
                for figure in sheet["figures"]:
                    chart = figure["data"]
                    if chart["type"] == "scorecard":
                        for key in ("keyValue", "baseline"):
                            self.assertIn("PIVOT.VALUE", cells[chart[key]], name)
