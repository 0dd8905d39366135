"""A production-like server for the benchmark: gunicorn, several workers, DEBUG off.

    with Gunicorn(workers=4) as server:
        ...  # server.url, server.worker_pids(), server.memory()

The server runs `selfassess.wsgi:application` with the same environment as this process
(so the same benchmark database), DEBUG=0 and ALLOWED_HOSTS=127.0.0.1, on
a free port of 127.0.0.1. Leaving the block always stops it: SIGTERM to the master
(which stops its workers), then SIGKILL to the master and any worker left.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    """Direct children of `pid`, from /proc."""
    out = []
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        pass
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # pid (comm) state ppid ...; comm may contain spaces, so split after the ")".
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            out.append(int(entry))
    return out


def proc_memory(pid: int) -> dict:
    """VmHWM (peak RSS) and VmRSS of a process, and its Pss (its share of pages shared
    with other processes, such as the other workers), in MiB."""
    out = {}
    for name, keys in (("status", {"VmHWM", "VmRSS"}), ("smaps_rollup", {"Pss"})):
        try:
            with open(f"/proc/{pid}/{name}") as f:
                for line in f:
                    key, _, value = line.partition(":")
                    if key in keys:
                        out[key] = round(int(value.split()[0]) / 1024, 1)
        except OSError:
            pass
    return out


class Gunicorn:
    def __init__(
        self,
        *,
        workers: int = 4,
        worker_class: str = "sync",
        threads: int = 1,
        preload: bool = False,
        env: dict | None = None,
        log_dir: str | None = None,
    ):
        self.workers = workers
        self.worker_class = worker_class
        self.threads = threads
        self.preload = preload
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = (
            dict(os.environ)
            | {
                "DEBUG": "0",
                "ALLOWED_HOSTS": "127.0.0.1",
                "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "src")]),
            }
            | (env or {})
        )
        self.log_dir = Path(log_dir or tempfile.mkdtemp(prefix="bench-gunicorn-"))
        self.proc: subprocess.Popen | None = None
        self._known_workers: set[int] = set()

    @property
    def command(self) -> list[str]:
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "selfassess.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            self.worker_class,
            "--timeout",
            "60",
            "--backlog",
            "2048",
            "--error-logfile",
            str(self.log_dir / "error.log"),
            "--log-level",
            "warning",
        ]
        if self.worker_class == "gthread":
            cmd += ["--threads", str(self.threads)]
        if self.preload:
            cmd.append("--preload")
        return cmd

    def __enter__(self) -> Gunicorn:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self, timeout: float = 60) -> None:
        self.proc = subprocess.Popen(  # noqa: S603 - our own fixed command
            self.command,
            cwd=REPO,
            env=self.env,
            stdout=open(self.log_dir / "stdout.log", "wb"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited early:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/accounts/login/", timeout=5) as r:  # noqa: S310
                    if r.status == 200 and len(self.worker_pids()) >= self.workers:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn did not start in {timeout} s:\n{self.log_tail()}")

    def worker_pids(self) -> list[int]:
        if self.proc is None or self.proc.poll() is not None:
            return []
        pids = _children(self.proc.pid)
        self._known_workers.update(pids)
        return pids

    def memory(self) -> dict:
        """Peak (VmHWM) and current RSS of each worker, and of the master, in MiB."""
        workers = {pid: proc_memory(pid) for pid in self.worker_pids()}
        return {
            "workers": workers,
            "master": proc_memory(self.proc.pid) if self.proc else {},
            "max_worker_hwm_mib": max((m.get("VmHWM", 0) for m in workers.values()), default=0),
        }

    def log_tail(self, lines: int = 40) -> str:
        out = []
        for name in ("error.log", "stdout.log"):
            path = self.log_dir / name
            if path.exists():
                out += path.read_text(errors="replace").splitlines()[-lines:]
        return "\n".join(out)

    def stop(self) -> None:
        if self.proc is None:
            return
        self.worker_pids()  # remember the workers, to be sure they are gone too
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        for pid in self._known_workers:
            # Only a worker of ours still alive: a gunicorn process by that id.
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    cmdline = f.read()
                if b"gunicorn" in cmdline and b"selfassess.wsgi" in cmdline:
                    os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        self.proc = None
