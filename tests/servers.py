"""The environment of a process of the product run beside the tests (gunicorn, scripts/
serve, the queue consumer) over the test database."""

import os
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

REPO = Path(__file__).resolve().parents[1]


def database_env() -> dict[str, str]:
    """DATABASE_URL or SQLITE_PATH naming the test database this process uses."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"SQLITE_PATH": str(db["NAME"])}
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    return {
        "DATABASE_URL": (
            f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    }


def app_env(**extra: str) -> dict[str, str]:
    """This process's environment for a production-like process: DEBUG off, the same
    secret key, the test database."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH"}}
    env |= {
        "DJANGO_SETTINGS_MODULE": "selfassess.settings",
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "0",
        "PYTHONPATH": str(REPO / "src"),
    }
    return env | database_env() | extra
