"""Open an Odoo environment on an installed database, for the bench scripts."""

import argparse
import contextlib
import os
import sys

_CONFIGURED = []
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def odoo_addons_paths():
    import odoo  # noqa: PLC0415 - after argument parsing, so --help works without Odoo

    pkg = os.path.dirname(os.path.abspath(odoo.__file__))
    candidates = [os.path.join(pkg, "addons"), os.path.join(pkg, "..", "addons")]
    paths = [
        os.path.normpath(p)
        for p in candidates
        if os.path.isfile(os.path.join(p, "base", "__manifest__.py"))
        or os.path.isfile(os.path.join(p, "web", "__manifest__.py"))
    ]
    return paths + [os.path.join(REPO, "addons")]


def argument_parser(description, database_required=True):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "-d", "--database", required=database_required, help="installed database"
    )
    parser.add_argument("--db-host", default=os.environ.get("PGHOST", "127.0.0.1"))
    parser.add_argument("--db-port", default=os.environ.get("PGPORT", "5432"))
    parser.add_argument("--db-user", default=os.environ.get("PGUSER", "odoo"))
    parser.add_argument("--db-password", default=os.environ.get("PGPASSWORD", ""))
    return parser


def configure(args):
    """Parse Odoo's configuration once: database access and the addons path.

    After it, ``odoo.addons.contact_center`` (and ``datagen``) can be imported.
    """
    import odoo  # noqa: PLC0415

    if _CONFIGURED:
        return
    options = [
        f"--db_host={args.db_host}",
        f"--db_port={args.db_port}",
        f"--db_user={args.db_user}",
        f"--addons-path={','.join(odoo_addons_paths())}",
        "--log-level=warn",
    ]
    if args.db_password:
        options.append(f"--db_password={args.db_password}")
    odoo.tools.config.parse_config(options)  # Odoo's parser runs once a process
    _CONFIGURED.append(True)


@contextlib.contextmanager
def environment(args, uid=None):
    """Yield an ``odoo.api.Environment`` (superuser by default); commit at the end."""
    import odoo  # noqa: PLC0415
    from odoo import api  # noqa: PLC0415

    configure(args)
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, uid or api.SUPERUSER_ID, {})
        if "contact_center.interaction" not in env:
            sys.exit(f"contact_center is not installed in {args.database}")
        yield env


def autocommit_connection(dbname):
    """A connection of its own, outside any transaction (VACUUM needs one).

    Call after ``environment()``: it connects as Odoo's configuration says.
    """
    import psycopg2  # noqa: PLC0415

    from odoo.sql_db import connection_info_for  # noqa: PLC0415

    _db, info = connection_info_for(dbname)
    connection = psycopg2.connect(**info)
    connection.autocommit = True
    return connection


def vacuum_analyze(connection, tables):
    """VACUUM ANALYZE each table (names from the caller's own constants)."""
    with connection.cursor() as cr:
        for table in tables:
            cr.execute(f"VACUUM ANALYZE {table}")
