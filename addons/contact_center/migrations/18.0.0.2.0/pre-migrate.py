"""Before 18.0.0.2.0: data the new constraints of this version would refuse.

- SLA policies and classification rules without a company applied to every
  company; a company is now required. They go to the company of the team they
  name, else to the first company, and the log says which.
- Extensions are unique per company: where agents of one company share one,
  the agent created first keeps it and the others lose it (logged), so that the
  administrator gives them their own instead of calls ringing two people.
"""

import logging

_logger = logging.getLogger(__name__)


def _fill_company(cr, table, team_sql):
    cr.execute(f"SELECT id FROM {table} WHERE company_id IS NULL")  # noqa: S608
    ids = [row[0] for row in cr.fetchall()]
    if not ids:
        return
    cr.execute(
        f"""
        UPDATE {table} rec
           SET company_id = COALESCE(({team_sql}),
                                     (SELECT min(id) FROM res_company))
         WHERE rec.id = ANY(%s)
        """,  # noqa: S608 - table names are constants of this file
        (ids,),
    )
    _logger.warning(
        "%s: %s records without a company now belong to one (ids %s); copy them "
        "for the other companies that need them",
        table,
        len(ids),
        ids,
    )


def migrate(cr, version):
    if not version:
        return
    _fill_company(
        cr,
        "contact_center_sla_policy",
        """SELECT t.company_id FROM contact_center_sla_policy_team_rel r
             JOIN contact_center_team t ON t.id = r.contact_center_team_id
            WHERE r.contact_center_sla_policy_id = rec.id ORDER BY t.id LIMIT 1""",
    )
    _fill_company(
        cr,
        "contact_center_classification_rule",
        """SELECT t.company_id FROM contact_center_team t
            WHERE t.id = rec.set_team_id""",
    )
    cr.execute(
        """
        UPDATE contact_center_agent a
           SET extension = NULL
          FROM contact_center_agent first
         WHERE first.company_id = a.company_id
           AND first.extension = a.extension
           AND first.id < a.id
     RETURNING a.id, a.name
        """
    )
    for agent_id, name in cr.fetchall():
        _logger.warning(
            "Agent %s (id %s) shared an extension with an earlier agent of the "
            "same company: it was cleared, give the agent their own",
            name,
            agent_id,
        )
