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
        "HTTPS_ONLY": "1",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "selfassess.example.org",
        "VAR_DIR": str(tmp_path),
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


def _settings_in_a_new_process(tmp_path, extra: dict) -> subprocess.CompletedProcess:
    names = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "DJANGO_DEBUG", "VAR_DIR", "SELFASSESS_VAR_DIR", "HTTPS_ONLY"}
    }
    code = (
        "import selfassess.settings as s; "
        "print(s.DEBUG, s.VAR_DIR, s.HTTPS_ONLY, getattr(s, 'SECURE_SSL_REDIRECT', False))"
    )
    return subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", code],
        cwd=REPO / "src",
        env=names | extra,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_names_are_the_settings_and_the_old_names_still_work_with_a_warning(tmp_path):
    new = _settings_in_a_new_process(
        tmp_path, {"DEBUG": "1", "VAR_DIR": str(tmp_path / "new"), "HTTPS_ONLY": "1"}
    )
    assert new.stdout.split() == ["True", str(tmp_path / "new"), "True", "True"]
    assert "deprecated" not in new.stderr
    old = _settings_in_a_new_process(
        tmp_path,
        {"DJANGO_DEBUG": "1", "SELFASSESS_VAR_DIR": str(tmp_path / "old"), "DJANGO_SECURE": "1"},
    )
    assert old.stdout.split() == ["True", str(tmp_path / "old"), "True", "True"]
    for old_name, name in [
        ("DJANGO_DEBUG", "DEBUG"),
        ("SELFASSESS_VAR_DIR", "VAR_DIR"),
        ("DJANGO_SECURE", "HTTPS_ONLY"),
    ]:
        warning = f"{old_name} is deprecated and will stop working in the next release"
        assert f"{warning}: set {name} instead" in old.stderr
