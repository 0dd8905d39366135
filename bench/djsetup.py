"""Django set-up for a benchmark process. The database comes from the environment the
orchestrator (bench/run.py) prepared: SQLITE_PATH for a fresh SQLite file, or
DATABASE_URL for PostgreSQL; VAR_DIR keeps the repository's var/ untouched."""

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


def setup_in_process(db_dir: Path, name: str, env: dict | None = None) -> None:
    """For a tool that measures in its own process (pagecost, surveycost): a kept SQLite
    file `name`.sqlite3 in `db_dir`, DEBUG off, then setup()."""
    db_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("VAR_DIR", str(db_dir))
    os.environ.setdefault("SQLITE_PATH", str(db_dir / f"{name}.sqlite3"))
    os.environ.setdefault("SECRET_KEY", f"{name}-not-secret")
    for key, value in (env or {}).items():
        os.environ.setdefault(key, value)
    os.environ["DEBUG"] = "0"
    os.environ.pop("DATABASE_URL", None)
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    setup()


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
