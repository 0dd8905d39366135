"""var/, the secret key, the SQLite database and its -wal and -shm files are readable by
their owner only, even when the process starts with a permissive umask (settings.py sets
0o077 before anything is written)."""

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Opens the database as the application does (WAL), writes, and reports every file's mode
# while the connection is open, which is when the -wal and -shm files exist.
SNIPPET = """
import json, os, stat
import django
django.setup()
from django.conf import settings
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE probe (x)")
    cursor.execute("INSERT INTO probe VALUES (1)")
    db = settings.DATABASES["default"]["NAME"]
    paths = {"var": settings.VAR_DIR, "secret_key": settings.VAR_DIR / "secret_key",
             "db": db, "db-wal": db + "-wal", "db-shm": db + "-shm"}
    print(json.dumps({k: stat.S_IMODE(os.stat(p).st_mode) for k, p in paths.items()}))
"""


def modes_when_started_with_umask_022(var_dir: Path) -> dict[str, int]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH"}}
    env |= {
        "VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "selfassess.settings",
        "PYTHONPATH": str(REPO / "src"),
    }
    for name in ("SECRET_KEY", "DJANGO_SECRET_KEY", "SELFASSESS_VAR_DIR"):
        env.pop(name, None)
    result = subprocess.run(  # noqa: S603
        ["/bin/sh", "-c", 'umask 022 && exec "$0" -c "$1"', sys.executable, SNIPPET],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_var_the_key_and_the_database_are_the_owners_only(tmp_path):
    modes = modes_when_started_with_umask_022(tmp_path / "var")
    assert modes == {
        "var": 0o700,
        "secret_key": 0o600,
        "db": 0o600,
        "db-wal": 0o600,
        "db-shm": 0o600,
    }


def test_a_var_made_before_is_closed_to_others(tmp_path):
    var_dir = tmp_path / "var"
    var_dir.mkdir(mode=0o755)
    var_dir.chmod(0o755)
    assert modes_when_started_with_umask_022(var_dir)["var"] == 0o700
