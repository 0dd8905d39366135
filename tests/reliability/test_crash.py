"""Nothing acknowledged is lost: the production server (gunicorn, two workers, DEBUG off)
over the test database takes a stream of saves from three threads and is killed with
SIGKILL, master and workers, while saves are still in flight. After a restart every save
that was acknowledged is there exactly once with every field as sent, nothing is
half-written, and the only saves the database holds beyond those are ones whose answer
the kill cut off."""

import datetime
import http.client
import itertools
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from selfassess.assessments import services
from selfassess.plans.models import Action, PlanChange
from tests.servers import app_env

pytestmark = pytest.mark.django_db(transaction=True)

REPO = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
ACKNOWLEDGED_BEFORE_KILL = 30
THREADS = 3
REFS = ["1.1", "1.2", "2.3", "3.3", "4.5", "5.1"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env() -> dict[str, str]:
    return app_env(ALLOWED_HOSTS="127.0.0.1")


class Server:
    """gunicorn as `make serve` runs it, in its own process group so that one killpg
    reaches the master and every worker."""

    def __init__(self, log: Path):
        self.port = free_port()
        self.log = log.open("ab")
        self.proc = subprocess.Popen(  # noqa: S603 - our own fixed command
            [
                str(GUNICORN),
                "selfassess.wsgi:application",
                "--workers=2",
                f"--bind=127.0.0.1:{self.port}",
                "--timeout=60",
                "--graceful-timeout=2",
            ],
            cwd=REPO,
            env=server_env(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            self.wait_until_serving(log)
        except BaseException:
            self.kill()
            raise

    def wait_until_serving(self, log: Path) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"gunicorn exited:\n{log.read_text()[-3000:]}")
            try:
                if request(self.port, "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"gunicorn did not start:\n{log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL to master and workers at once: no shutdown code runs anywhere."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.log.close()


def request(port, method, path, body=None, cookies=None, timeout=30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Host": "127.0.0.1"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


def sent_values(n: int) -> dict:
    """What save N sends: every field of an action, different for every save."""
    return {
        "title": f"Crash save {n}",
        "description": f"What will be done, save {n}.\nA second line for save {n}.",
        "lead": f"Lead officer {n}",
        "partners": f"Partner {n}, Police",
        "target_date": datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
        "priority": ("high", "medium", "low")[n % 3],
        "status": ("not_started", "in_progress", "complete", "deferred")[n % 4],
        "refs": sorted({REFS[n % len(REFS)], REFS[(n * 7 + 1) % len(REFS)]}),
    }


def form_body(n: int, csrf: str) -> str:
    v = sent_values(n)
    return urlencode(
        [
            ("csrfmiddlewaretoken", csrf),
            ("title", v["title"]),
            ("description", v["description"]),
            ("lead", v["lead"]),
            ("partners", v["partners"]),
            ("target_date_day", str(v["target_date"].day)),
            ("target_date_month", str(v["target_date"].month)),
            ("target_date_year", str(v["target_date"].year)),
            ("priority", v["priority"]),
            ("status", v["status"]),
            *(("statements", ref) for ref in v["refs"]),
        ]
    )


def test_acknowledged_saves_survive_sigkill(framework, council, editor, tmp_path):
    assessment = services.create_assessment(
        council=council, user=editor, title="Crash test", assessed_on=datetime.date(2024, 6, 1)
    )
    plan = f"/councils/{council.slug}/assessments/{assessment.pk}/plan/"
    client = Client()
    client.force_login(editor)
    cookies = {"sessionid": client.cookies[settings.SESSION_COOKIE_NAME].value}
    log = tmp_path / "gunicorn.log"

    servers: list[Server] = []
    try:
        server = Server(log)
        servers.append(server)
        status, headers, page = request(server.port, "GET", plan + "actions/new/", cookies=cookies)
        assert status == 200, page[:500]
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        set_cookie = SimpleCookie("\n".join(headers.get_all("Set-Cookie") or []))
        cookies["csrftoken"] = set_cookie[settings.CSRF_COOKIE_NAME].value

        numbers = itertools.count()
        lock = threading.Lock()
        acknowledged: dict[int, int] = {}  # save number -> action id from the redirect
        refused: dict[int, str] = {}  # answered, but not with the redirect
        cut_off: set[int] = set()  # no answer: the kill came first
        stop = threading.Event()
        enough = threading.Event()

        def saver():
            while not stop.is_set():
                n = next(numbers)
                try:
                    status, headers, body = request(
                        server.port, "POST", plan + "actions/new/", form_body(n, csrf), cookies
                    )
                except (OSError, http.client.HTTPException):
                    with lock:
                        cut_off.add(n)
                    continue
                found = re.fullmatch(rf"{plan}actions/(\d+)/", headers.get("Location") or "")
                with lock:
                    if status == 302 and found:
                        acknowledged[n] = int(found.group(1))
                        if len(acknowledged) >= ACKNOWLEDGED_BEFORE_KILL:
                            enough.set()
                    else:
                        refused[n] = f"{status} {body[:300]}"

        threads = [threading.Thread(target=saver) for _ in range(THREADS)]
        for t in threads:
            t.start()
        try:
            assert enough.wait(timeout=60), f"only {len(acknowledged)} saves: {refused}"
            server.kill()  # the other threads' saves are on their way
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=60)
        assert not refused, refused
        assert cut_off  # the kill came while saves were on their way
        assert len(acknowledged) >= ACKNOWLEDGED_BEFORE_KILL

        if connection.vendor == "sqlite":
            with sqlite3.connect(connection.settings_dict["NAME"]) as db:
                assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)

        # The restarted server serves the plan, acknowledged saves included.
        server = Server(log)
        servers.append(server)
        status, _, page = request(server.port, "GET", plan, cookies=cookies)
        assert status == 200 and "Crash save" in page

        saved = {
            a.title: a
            for a in Action.objects.filter(assessment=assessment).prefetch_related("statements")
        }
        assert len(saved) == Action.objects.filter(assessment=assessment).count()  # once each
        numbers_saved = {int(title.removeprefix("Crash save ")) for title in saved}
        # Every acknowledged save is there, under the id its redirect named.
        for n, pk in acknowledged.items():
            assert saved[f"Crash save {n}"].pk == pk
        # Nothing beyond them but saves whose answer the kill cut off.
        assert numbers_saved - set(acknowledged) <= cut_off
        # Whatever is there is whole: every field as sent, its statements, its history.
        created = {
            c.action_id: c
            for c in PlanChange.objects.filter(
                assessment=assessment, field=PlanChange.Field.ACTION_CREATED
            )
        }
        assert len(created) == len(saved)
        for title, a in saved.items():
            n = int(title.removeprefix("Crash save "))
            expected = sent_values(n)
            got = {
                "title": a.title,
                "description": a.description,
                "lead": a.lead,
                "partners": a.partners,
                "target_date": a.target_date,
                "priority": a.priority,
                "status": a.status,
                "refs": sorted(s.ref for s in a.statements.all()),
            }
            assert got == expected, n
            assert a.created_by_id == editor.pk
            assert created[a.pk].after == title
    finally:
        for s in servers:
            s.kill()
