"""The real queue: a consumer (`manage.py run_huey`, the command `make run` and `make
serve` start) in its own process over the test database, on Huey's SQLite storage and on
a real Redis server started here on a free loopback port (as tests start PostgreSQL).
Outside CI the Redis runs are skipped when redis-server is missing; in CI, where .ci/run
installs it, they fail.

Tests that use the consumer commit their data (transaction=True) so its process sees it.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from huey.contrib.djhuey import HUEY
from huey.storage import RedisStorage, SqliteStorage

from ..conftest import free_port
from ..servers import REPO, app_env

REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A throwaway Redis server on loopback, for the whole run."""
    if not Path(REDIS).exists():
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed: .ci/run installs it")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    directory = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(  # noqa: S603 - Debian's redis-server, our own arguments
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
         "no", "--dir", str(directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        import redis

        client = redis.Redis(host="127.0.0.1", port=port)
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise AssertionError("redis-server did not start") from None
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


class Consumer:
    """`manage.py run_huey` in its own process group, so one signal reaches it all."""

    def __init__(self, env: dict[str, str], log: Path):
        self.env, self.log = env, log
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Consumer":
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(  # noqa: S603 - our own fixed command
                [sys.executable, "manage.py", "run_huey", "--workers", "2",
                 "--worker-type", "thread", "--delay", "0.1", "--max-delay", "0.5"],
                cwd=REPO,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while "consumer started" not in self.log.read_text().lower():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the consumer did not start:\n{self.log.read_text()}")
            time.sleep(0.1)
        return self

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, tasks in hand are lost mid-way."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture(params=["sqlite", "redis"])
def queue(request, tmp_path, settings):
    """This process enqueues into the same storage the consumer reads: Huey's SQLite
    file of the test's own, or the Redis server. Returns a factory of consumers over
    the test database, stopped at the end."""
    name = f"test-{os.getpid()}-{request.node.name}"[:60]
    if request.param == "sqlite":
        path = tmp_path / "queue.sqlite3"
        storage = SqliteStorage(name, filename=str(path))
        env = {"QUEUE_SQLITE_PATH": str(path)}
    else:
        url = request.getfixturevalue("redis_url")
        storage = RedisStorage(name, url=url)
        env = {"REDIS_URL": url}
    saved = HUEY.storage
    HUEY.immediate = False
    HUEY.storage = storage
    started: list[Consumer] = []

    def consumer(**extra: str) -> Consumer:
        # The same store of rendered PDFs as this process (tests/conftest.py gives each
        # test its own).
        reports = settings.CACHES["reports"]["LOCATION"]
        c = Consumer(
            app_env(QUEUE_NAME=name, REPORT_CACHE_DIR=reports, **env, **extra),
            tmp_path / f"consumer-{len(started)}.log",
        )
        started.append(c)
        return c.start()

    consumer.kind = request.param
    yield consumer
    for c in started:
        c.stop()
    storage.flush_all()
    HUEY.storage = saved
    HUEY.immediate = True


def wait_for(check, timeout: float = 60, every: float = 0.1, what: str = ""):
    """Poll `check()` until it returns something true; that value."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or check}")
        time.sleep(every)
