"""scripts/serve (`make serve`): nginx, gunicorn and a consumer start together on one
port and stop together; the nginx configuration's values are checked."""

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import server_env
from .stack import REPO, free_port, request

SERVE = REPO / "scripts" / "serve"
RENDER = REPO / "scripts" / "render-nginx"


def children(pid: int) -> dict[int, str]:
    """The processes `pid` started, by pid, with their command lines."""
    out = subprocess.run(  # noqa: S603
        ["ps", "-o", "pid=,args=", "--ppid", str(pid)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return {int(line.split(None, 1)[0]): line.split(None, 1)[1] for line in out.splitlines()}


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"


class Serve:
    """scripts/serve over the test database (already migrated, so its set-up steps are
    quick) with its own queue consumer, on a queue file of the test's own."""

    def __init__(self, tmp_path: Path, static_root: Path):
        self.port = free_port()
        self.run_dir = tmp_path / "run"
        self.log = tmp_path / "serve.log"
        env = server_env(static_root) | {
            "PY": sys.executable,
            "PORT": str(self.port),
            "WORKERS": "1",
            "SERVE_RUN_DIR": str(self.run_dir),
            "QUEUE_SQLITE_PATH": str(tmp_path / "queue.sqlite3"),
        }
        for name in ("TRUSTED_PROXIES", "STATIC_MANIFEST"):
            env.pop(name)  # scripts/serve sets them
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(  # noqa: S603
                [str(SERVE)],
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.wait_until_serving()
        self.servers = children(self.proc.pid)

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()
            try:
                if request(self.port, "GET", "/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"serve did not answer:\n{self.log.read_text()}")

    def pid_of(self, name: str) -> int:
        return next(pid for pid, args in self.servers.items() if name in args)

    def wait(self) -> int:
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            raise

    def all_stopped(self) -> bool:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if all(gone(pid) for pid in self.servers):
                return True
            time.sleep(0.1)
        return False


@pytest.mark.django_db(transaction=True)
def test_serve_starts_everything_on_one_port_and_stops_it_together(
    nginx_installed, static_root, tmp_path
):
    serve = Serve(tmp_path, static_root)
    try:
        nginx, gunicorn = serve.pid_of("nginx: master"), serve.pid_of("gunicorn")
        consumer = serve.pid_of("run_huey")
        assert int((serve.run_dir / "nginx.pid").read_text()) == nginx
        # The application trusts exactly its own nginx in front.
        environ = Path(f"/proc/{gunicorn}/environ").read_bytes().split(b"\0")
        assert b"TRUSTED_PROXIES=1" in environ
        assert stat.S_IMODE(serve.run_dir.stat().st_mode) == 0o700
        assert stat.S_IMODE((serve.run_dir / "gunicorn.sock").stat().st_mode) == 0o700
        # One of them dies: the others are stopped, and serve says it failed.
        os.kill(consumer, signal.SIGKILL)
        assert serve.wait() == 1
        assert serve.all_stopped()
        assert "consumer stopped" in serve.log.read_text()
        with pytest.raises(OSError):
            request(serve.port, "GET", "/healthz", timeout=2)
    finally:
        if serve.proc.poll() is None:
            os.killpg(serve.proc.pid, signal.SIGKILL)

    # Started again and stopped as a service manager (or Ctrl-C) stops it: all go, cleanly.
    serve = Serve(tmp_path, static_root)
    try:
        os.kill(serve.proc.pid, signal.SIGTERM)
        assert serve.wait() == 0
        assert serve.all_stopped()
    finally:
        if serve.proc.poll() is None:
            os.killpg(serve.proc.pid, signal.SIGKILL)


def test_serve_refuses_to_trust_no_proxy_in_front_of_its_nginx():
    result = subprocess.run(  # noqa: S603
        [str(SERVE)],
        cwd=REPO,
        env=os.environ | {"TRUSTED_PROXIES": "0", "PY": sys.executable},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2 and "TRUSTED_PROXIES must be 1" in result.stderr


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--body-limit=25m; return 200", "The body limit must be a size"),
        ("--listen-address=0.0.0.0 ssl", "must be an IP address"),
        ("--upstream=example.org:80", "must be unix:PATH or a loopback"),
        ("--upstream=unix:/tmp/a b.sock", "has a space"),
        ("--upstream=unix:/" + "d" * 120 + ".sock", "longer than 107 bytes"),
        ("--port=70000", "from 1 to 65535"),
    ],
)
def test_the_nginx_configuration_takes_only_checked_values(tmp_path, option, message):
    args = {
        "--port": "8000",
        "--upstream": "unix:/tmp/g.sock",
        "--static-root": str(tmp_path),
        "--run-dir": str(tmp_path),
    }
    name, value = option.split("=", 1)
    args[name] = value
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(RENDER), *(f"{k}={v}" for k, v in args.items())],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and message in result.stderr and not result.stdout


def test_server_messages_lose_survey_and_invitation_tokens():
    """scripts/serve sends nginx's and gunicorn's standard error through
    scripts/redact-links; nginx quotes the request line when something goes wrong."""
    token = "Qx7_-" + "a" * 38
    lines = [
        f"2026/11/30 04:43:21 [error] 7#7: *1 client intended to send too large body: "
        f'27262976 bytes, client: 127.0.0.1, server: _, request: "POST /survey/{token}/page/2/ '
        f'HTTP/1.1", host: "127.0.0.1:8000"\n',
        f"[2026-11-30 04:43:21 +0000] [9] [ERROR] Error handling request /invitations/{token}/\n",
        "[2026-11-30 04:43:21 +0000] [9] [INFO] Booting worker with pid: 9\n",
    ]
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(REPO / "scripts" / "redact-links")],
        input="".join(lines),
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    out = result.stdout.splitlines(keepends=True)
    assert token not in result.stdout and len(out) == 3
    assert '"POST /survey/[link]/page/2/ HTTP/1.1"' in out[0]
    assert out[1].endswith("Error handling request /invitations/[link]/\n")
    assert out[2] == lines[2]
