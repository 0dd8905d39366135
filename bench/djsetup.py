"""Django set-up for a benchmark process. The database comes from the environment the
orchestrator (bench/run.py) prepared: SQLITE_PATH for a fresh SQLite file, or
DATABASE_URL for PostgreSQL; SELFASSESS_VAR_DIR keeps the repository's var/ untouched."""

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def setup() -> None:
    if str(REPO / "src") not in sys.path:
        sys.path.insert(0, str(REPO / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfassess.settings")
    import django

    django.setup()


def migrate() -> None:
    """Create the schema in the (fresh) benchmark database."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    # A database cache, if the settings use one (nothing happens otherwise).
    call_command("createcachetable", verbosity=0)


def database_label() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SHOW server_version")
            return f"PostgreSQL {cur.fetchone()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"
