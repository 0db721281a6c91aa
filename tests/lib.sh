# Shared by tests/run and tests/serve: find Odoo, build its command line.
# Sourced, not executed.

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ADDONS="contact_center,contact_center_dialer,contact_center_survey,contact_center_spreadsheet_dashboard,contact_center_gamification,contact_center_survey_dialer,contact_center_livechat"
export PGHOST=${PGHOST:-127.0.0.1}
export PGPORT=${PGPORT:-5432}
export PGUSER=${PGUSER:-odoo}

die() { echo "error: $*" >&2; exit 1; }

# Odoo must be importable by python3, and be 18.0.
python3 - <<'PY' || die "python3 cannot import Odoo 18.0: install Odoo 18.0 so that 'python3 -c \"import odoo\"' works (see README)."
import odoo.release as r
assert r.version_info[:2] == (18, 0), f"Odoo {r.version} found, 18.0 needed"
PY

# Odoo's own addons: inside the package (packaged installs, the Docker image)
# and beside it (a git checkout).
odoo_addons_path() {
    python3 - <<'PY'
import os, odoo
pkg = os.path.dirname(os.path.abspath(odoo.__file__))
dirs = [os.path.join(pkg, "addons"), os.path.normpath(os.path.join(pkg, "..", "addons"))]
print(",".join(d for d in dirs if os.path.isfile(os.path.join(d, "web", "__manifest__.py"))
               or os.path.isfile(os.path.join(d, "base", "__manifest__.py"))))
PY
}

ADDONS_PATH="$(odoo_addons_path),$REPO_ROOT/addons"

# Write an Odoo configuration file for database $1 into $2.
write_odoo_conf() {
    {
        echo "[options]"
        echo "db_host = $PGHOST"
        echo "db_port = $PGPORT"
        echo "db_user = $PGUSER"
        [ -n "${PGPASSWORD:-}" ] && echo "db_password = $PGPASSWORD"
        echo "db_name = $1"
        echo "addons_path = $ADDONS_PATH"
        echo "http_interface = ${CC_HTTP_INTERFACE:-127.0.0.1}"
    } > "$2"
}

pg_ready() {
    python3 - <<'PY'
import os, sys, psycopg2
try:
    psycopg2.connect(dbname="postgres", host=os.environ["PGHOST"], port=os.environ["PGPORT"],
                     user=os.environ["PGUSER"], password=os.environ.get("PGPASSWORD"),
                     connect_timeout=5).close()
except Exception as exc:
    print(f"error: PostgreSQL is not reachable as {os.environ['PGUSER']}@{os.environ['PGHOST']}:{os.environ['PGPORT']}: {exc}".strip(), file=sys.stderr)
    sys.exit(1)
PY
}

db_exists() {
    python3 - "$1" <<'PY'
import os, sys, psycopg2
conn = psycopg2.connect(dbname="postgres", host=os.environ["PGHOST"], port=os.environ["PGPORT"],
                        user=os.environ["PGUSER"], password=os.environ.get("PGPASSWORD"))
cur = conn.cursor()
cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (sys.argv[1],))
sys.exit(0 if cur.fetchone() else 1)
PY
}

drop_db() {
    python3 - "$1" <<'PY'
import os, sys, psycopg2
from psycopg2 import sql
conn = psycopg2.connect(dbname="postgres", host=os.environ["PGHOST"], port=os.environ["PGPORT"],
                        user=os.environ["PGUSER"], password=os.environ.get("PGPASSWORD"))
conn.autocommit = True
cur = conn.cursor()
cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (sys.argv[1],))
cur.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(sys.argv[1])))
PY
}
