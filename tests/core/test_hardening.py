"""Web hardening: the headers every page carries, cookies, and Django's deployment check
with production settings."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_every_page_carries_the_security_headers(council, editor, login, client):
    for c, path in (
        (client, "/"),
        (client, "/accounts/login/"),
        (login(editor), "/councils/example/"),
    ):
        resp = c.get(path)
        assert resp.status_code == 200
        csp = resp["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert "frame-ancestors 'none'" in csp
        assert resp["X-Frame-Options"] == "DENY"
        assert resp["Referrer-Policy"] == "same-origin"
        assert resp["X-Content-Type-Options"] == "nosniff"


def test_session_cookie_is_http_only(council, editor, client):
    client.post("/accounts/login/", {"login": editor.email, "password": "a long test password"})
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    # The browser tests' process-wide escape hatch is not part of a production set-up.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = inherited | {
        "DJANGO_SETTINGS_MODULE": "selfassess.settings",
        "DJANGO_SECURE": "1",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "selfassess.example.org",
        "SELFASSESS_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
