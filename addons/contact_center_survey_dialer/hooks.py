from odoo.tools import SQL

from odoo.addons.contact_center_dialer.models.contact_center_campaign_contact import (
    OUTCOMES,
)


def post_init_hook(env):
    """Give the campaign calls made before this addon their outcome where
    it is still known: the contact's last outcome is that of its latest
    call, unless a call is in progress."""
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            UPDATE contact_center_interaction i
               SET campaign_outcome = c.last_outcome
              FROM contact_center_campaign_contact c
             WHERE c.interaction_id IS NULL
               AND c.last_outcome IN %s
               AND i.campaign_outcome IS NULL
               AND i.id = (SELECT MAX(a.id) FROM contact_center_interaction a
                            WHERE a.res_model = 'contact_center.campaign.contact'
                              AND a.res_id = c.id)
            """,
            tuple(code for code, _label in OUTCOMES),
        )
    )
