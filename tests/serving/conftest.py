"""The serving tests run the project's nginx configuration in front of a real gunicorn on
loopback. Outside CI they are skipped when nginx is missing (`apt-get install
nginx-light`); in CI, where .ci/run installs it, a missing nginx fails them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..feedback.conftest import open_round, scored  # noqa: F401 - a round with a shared link
from ..servers import app_env
from .stack import (
    NGINX,
    REPO,
    free_port,
    render_nginx,
    start_gunicorn,
    start_nginx,
    wait_until_answering,
)


@pytest.fixture(scope="session")
def nginx_installed() -> None:
    if not Path(NGINX).exists():
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed: .ci/run installs it (apt-get install nginx)")
        pytest.skip("nginx is not installed (apt-get install nginx-light)")


def server_env(static_root: Path, **extra: str) -> dict[str, str]:
    """The environment of a production server over the test database: DEBUG off, hashed
    static files, nginx's one proxy trusted."""
    return app_env(
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_MANIFEST="1",
        STATIC_ROOT=str(static_root),
        TRUSTED_PROXIES="1",
        **extra,
    )


@pytest.fixture(scope="session")
def static_root(tmp_path_factory) -> Path:
    """collectstatic as scripts/serve runs it: hashed names, a .gz beside each file."""
    root = tmp_path_factory.mktemp("static")
    env = os.environ | {"STATIC_MANIFEST": "1", "STATIC_ROOT": str(root)}
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=REPO,
        env=env,
        check=True,
        timeout=120,
    )
    return root


class Front:
    def __init__(self, port: int, run_dir: Path, static_root: Path, servers: list):
        self.port = port
        self.run_dir = run_dir
        self.static_root = static_root
        self.servers = servers

    def reached_django(self) -> str:
        """gunicorn's access log so far: every request that got past nginx."""
        log = self.run_dir / "access.log"
        return log.read_text() if log.exists() else ""


@pytest.fixture(scope="session")
def front(nginx_installed, static_root, django_db_setup, tmp_path_factory):
    """nginx (the project's configuration) on a free loopback port in front of gunicorn
    (two sync workers, on a unix socket, over the test database); once per session, as
    pytest-django may run this module's database tests apart from the others."""
    run_dir = tmp_path_factory.mktemp("run")
    socket = run_dir / "gunicorn.sock"
    port = free_port()
    gunicorn = start_gunicorn(f"unix:{socket}", server_env(static_root), run_dir, access_log=True)
    conf = render_nginx(
        port=port, upstream=f"unix:{socket}", static_root=static_root, run_dir=run_dir
    )
    nginx = start_nginx(conf, run_dir)
    servers = [gunicorn, nginx]
    try:
        wait_until_answering(port, servers=servers)
        yield Front(port, run_dir, static_root, servers)
    finally:
        for server in servers:
            server.stop()
