"""18.0.0.3.0: every campaign gets its outcome lines (the dispositions
agents record and what each does), as new campaigns do at creation."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["contact_center.campaign"].search([])._add_default_outcomes()
