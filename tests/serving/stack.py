"""The production front on loopback for the tests: the project's own nginx configuration
(scripts/render-nginx from deploy/nginx/) in front of a real gunicorn, and clients that
send a request one byte at a time."""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(
    port: int,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict | None = None,
    timeout: float = 10,
) -> tuple[int, dict[str, str], bytes]:
    """(status, headers with lower-case names and repeated ones joined, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        joined: dict[str, str] = {}
        for name, value in resp.getheaders():
            name = name.lower()
            joined[name] = f"{joined[name]}, {value}" if name in joined else value
        return resp.status, joined, resp.read()
    finally:
        conn.close()


class Process:
    """A server in its own process group, its output in a file; stopped with SIGTERM
    to the group (SIGKILL if it lingers)."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log: Path):
        self.name = name
        self.log_path = log
        self.log = log.open("ab")
        self.proc = subprocess.Popen(  # noqa: S603 - our own fixed commands
            args,
            cwd=REPO,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.log.close()


def wait_until_answering(port: int, *, servers: list[Process], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for server in servers:
            if not server.alive():
                raise AssertionError(f"{server.name} exited:\n{server.output()}")
        try:
            if request(port, "GET", "/healthz", timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    logs = "\n".join(f"{s.name}:\n{s.output()}" for s in servers)
    raise AssertionError(f"nothing answered /healthz on port {port}:\n{logs}")


def start_gunicorn(
    bind: str, env: dict[str, str], run_dir: Path, *, workers: int = 2, access_log: bool = False
) -> Process:
    """gunicorn as scripts/serve starts it (sync workers), over the worktree's code; the
    access log, which production never writes, shows the tests what reached Django."""
    args = [
        str(GUNICORN),
        "selfassess.wsgi:application",
        f"--pythonpath={REPO / 'src'}",
        f"--workers={workers}",
        f"--bind={bind}",
        "--umask=0o077",
        "--timeout=60",
        "--graceful-timeout=2",
        f"--control-socket={run_dir / 'gunicorn.ctl'}",
    ]
    if access_log:
        args.append(f"--access-logfile={run_dir / 'access.log'}")
    return Process("gunicorn", args, env, run_dir / "gunicorn.log")


def render_nginx(*, port: int, upstream: str, static_root: Path, run_dir: Path) -> Path:
    """scripts/render-nginx, as scripts/serve calls it; the configuration's path."""
    conf = run_dir / "nginx.conf"
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            str(REPO / "scripts" / "render-nginx"),
            f"--port={port}",
            f"--upstream={upstream}",
            f"--static-root={static_root}",
            f"--run-dir={run_dir}",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    conf.write_text(result.stdout)
    return conf


def start_nginx(conf: Path, run_dir: Path) -> Process:
    args = [NGINX, "-p", str(run_dir), "-e", "stderr", "-c", str(conf), "-g", "daemon off;"]
    return Process("nginx", args, dict(os.environ), run_dir / "nginx.log")


class SlowClients:
    """`count` connections that each send a request one byte every `interval` seconds
    and never finish it: the headers (kind "header") or, after complete headers, a
    promised body (kind "body")."""

    def __init__(self, port: int, count: int, *, kind: str = "header", interval: float = 1.0):
        if kind == "header":
            start = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
        else:
            # A CSRF cookie, so that Django reads the form (for the token it must match)
            # instead of refusing before it reads the body.
            start = (
                b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Cookie: csrftoken=" + b"a" * 32 + b"\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: 100000\r\n\r\n"
            )
        self.interval = interval
        self.sockets = []
        for _ in range(count):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(start)
            self.sockets.append(s)
        self.closed_by_server = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._drip, daemon=True)
        self._thread.start()

    def _drip(self) -> None:
        while not self._stop.wait(self.interval):
            for s in list(self.sockets):
                try:
                    s.sendall(b"a")
                except OSError:
                    self.sockets.remove(s)
                    self.closed_by_server += 1

    def still_open(self) -> int:
        """How many the server has not closed (a closed one reads as EOF at once)."""
        open_ = 0
        for s in self.sockets:
            s.setblocking(False)
            try:
                open_ += s.recv(1) != b""
            except BlockingIOError:
                open_ += 1
            except OSError:
                pass
            finally:
                s.setblocking(True)
        return open_

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for s in self.sockets:
            s.close()


def timed_get(port: int, path: str, timeout: float = 5) -> tuple[float, int | None]:
    """Seconds until the answer, and its status (None when none came in `timeout`)."""
    start = time.monotonic()
    try:
        status = request(port, "GET", path, timeout=timeout)[0]
    except (TimeoutError, OSError):
        status = None
    return time.monotonic() - start, status
