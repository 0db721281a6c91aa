"""After 18.0.0.2.0: range checks moved from SQL to Python constraints.

The Python constraints name the field that is wrong; the old SQL checks would
fire first with a generic message, and Odoo does not drop an SQL constraint a
model no longer declares. Drop them and their registry rows.
"""

OBSOLETE = {
    "contact_center_sla_policy": ("targets_positive", "at_risk_range"),
    "contact_center_sla_escalation": ("threshold_positive",),
    "contact_center_team": (
        "service_level_percent_range",
        "service_level_seconds_positive",
        "presence_timeout_minutes_positive",
        "max_queue_size_positive",
    ),
    "contact_center_agent": ("capacity_positive",),
}


def migrate(cr, version):
    for table, names in OBSOLETE.items():
        for name in names:
            conname = f"{table}_{name}"
            # names are constants of this file, never user input
            cr.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT IF EXISTS "{conname}"')
            cr.execute("DELETE FROM ir_model_constraint WHERE name = %s", (conname,))
