"""The queue phase: an officer sends N survey invitations; the request only queues
them, and a real consumer (`manage.py run_huey`, 2 thread workers) delivers every one
to an SMTP sink on loopback. Measured on Huey's SQLite storage and on a Redis server
started here when redis-server is installed: the request's time, the time to the last
delivery, and the consumer's throughput."""

from __future__ import annotations

import datetime
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Sink:
    """Counts messages and notes when each arrived."""

    def __init__(self):
        self.arrivals: list[float] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.arrivals.append(time.monotonic())
        return "250 OK"


def _redis(directory: Path):
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(binary).exists():
        return None, None
    port = _free_port()
    proc = subprocess.Popen(  # noqa: S603 - Debian's redis-server, our own arguments
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    for _ in range(200):
        try:
            client.ping()
            return proc, f"redis://127.0.0.1:{port}/0"
        except redis.ConnectionError:
            time.sleep(0.05)
    proc.kill()
    return None, None


def _database_env() -> dict:
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"SQLITE_PATH": str(db["NAME"])}
    return {"DATABASE_URL": os.environ["DATABASE_URL"]}


def _one_run(storage: str, url: str | None, n: int, work: Path) -> dict:
    from aiosmtpd.controller import Controller
    from django.test import Client
    from django.test.utils import override_settings
    from huey.contrib.djhuey import HUEY
    from huey.storage import RedisStorage, SqliteStorage

    from selfassess.accounts.models import User
    from selfassess.councils.models import Council, Membership
    from selfassess.feedback import services as feedback
    from selfassess.frameworks.selectors import current_framework

    name = f"bench-queue-{storage}-{os.getpid()}"
    if storage == "sqlite":
        env = {"QUEUE_SQLITE_PATH": str(work / f"{storage}.sqlite3")}
        HUEY.storage = SqliteStorage(name, filename=env["QUEUE_SQLITE_PATH"])
    else:
        env = {"REDIS_URL": url}
        HUEY.storage = RedisStorage(name, url=url)
    HUEY.immediate = False

    from selfassess.assessments.services import create_assessment

    council = Council.objects.create(
        name=f"Queue {storage}", slug=f"queue-{storage}", type="county"
    )
    user = User.objects.create_user(email=f"officer-{storage}@example.org", password="x" * 20)
    Membership.objects.create(user=user, council=council, role="editor")
    assessment = create_assessment(
        council=council,
        user=user,
        title="Queue",
        assessed_on=datetime.date.today(),
        framework=current_framework(),
    )
    today = datetime.date.today()
    round_ = feedback.open_round(
        assessment=assessment,
        user=user,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=21),
        introduction="",
        shared_link=False,
    )
    feedback.add_invitations(
        round_=round_,
        people=[feedback.Invitee(f"Cllr {i}", f"cllr{i}@{storage}.example.org") for i in range(n)],
    )
    sink = _Sink()
    port = _free_port()
    smtp = Controller(sink, hostname="127.0.0.1", port=port)
    smtp.start()
    log = (work / f"consumer-{storage}.log").open("wb")
    consumer_env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}} | (
        _database_env() | env | {
            "QUEUE_NAME": name, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port),
            "SITE_URL": "http://bench.example", "DEBUG": "0",
        }
    )  # fmt: skip
    consumer = subprocess.Popen(  # noqa: S603 - our own fixed command
        [sys.executable, "manage.py", "run_huey", "--workers", "2", "--worker-type", "thread",
         "--delay", "0.05", "--max-delay", "0.5"],
        cwd=REPO, env=consumer_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        time.sleep(3)  # the consumer's start-up is not what is measured
        client = Client()
        client.force_login(user)
        url_send = (
            f"/councils/{council.slug}/assessments/{assessment.pk}/feedback/{round_.pk}/send/"
        )
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            t0 = time.monotonic()
            resp = client.post(url_send, {"what": "invitations"})
            request_s = time.monotonic() - t0
        assert resp.status_code == 302, resp.status_code
        deadline = time.monotonic() + 900
        while len(sink.arrivals) < n and time.monotonic() < deadline:
            time.sleep(0.2)
        delivered = len(sink.arrivals)
        last = max(sink.arrivals) - t0 if sink.arrivals else None
        first = min(sink.arrivals) - t0 if sink.arrivals else None
        throughput = (
            (delivered - 1) / (max(sink.arrivals) - min(sink.arrivals)) if delivered > 1 else None
        )
    finally:
        os.killpg(consumer.pid, signal.SIGKILL)
        consumer.wait()
        smtp.stop()
        log.close()
    return {
        "storage": storage,
        "invitations": n,
        "request_s": round(request_s, 3),
        "delivered": delivered,
        "first_delivery_s": round(first, 2) if first is not None else None,
        "last_delivery_s": round(last, 2) if last is not None else None,
        "messages_per_s": round(throughput, 1) if throughput else None,
    }


def phase_queue(cfg: dict) -> dict:
    from django.core.management import call_command

    from . import djsetup

    djsetup.migrate()
    call_command("load_framework", verbosity=0)
    n = cfg["queue_invitations"]
    work = Path(tempfile.mkdtemp(prefix="selfassess-bench-queue-"))
    runs = [_one_run("sqlite", None, n, work)]
    redis_proc, url = _redis(work)
    if redis_proc is not None:
        try:
            runs.append(_one_run("redis", url, n, work))
        finally:
            redis_proc.terminate()
            redis_proc.wait(timeout=10)
    shutil.rmtree(work, ignore_errors=True)
    return {"runs": runs, "redis_available": redis_proc is not None}
