"""After 18.0.0.3.0: reports count a transferred call once.

The telephony API stores the legs of a transferred call as interactions
whose external id is the call's id followed by ``/2``, ``/3``... Flag those
legs, so a call recorded before this version is offered to its team once,
like the calls recorded after it. Then flag the resolved contacts a customer
followed up on (first-contact resolution), as new contacts now do, and give
existing tickets their first response and resolution times in business
hours, rebuilt from their tracked stage history.
"""

import logging
from datetime import datetime

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    cr.execute(
        r"""
        UPDATE contact_center_interaction leg
           SET is_transfer_leg = TRUE
         WHERE leg.provider IS NOT NULL
           AND leg.external_id ~ '/[0-9]+$'
           AND NOT COALESCE(leg.is_transfer_leg, FALSE)
           AND EXISTS (
               SELECT 1
                 FROM contact_center_interaction first_leg
                WHERE first_leg.provider = leg.provider
                  AND first_leg.external_id
                      = regexp_replace(leg.external_id, '/[0-9]+$', '')
           )
        """
    )
    _logger.info("contact_center: %s call legs flagged as transfer legs", cr.rowcount)
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["contact_center.interaction"]._cc_flag_repeat_contacts_since(
        None, datetime(1970, 1, 1)
    )
    env["contact_center.ticket"]._kpi_fill_existing()
