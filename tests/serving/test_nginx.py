"""The project's nginx configuration (deploy/nginx/, as scripts/serve renders and runs it)
in front of a real gunicorn on loopback: slow clients do not hold up anyone else, an
oversized body is refused before Django, pages go out compressed, static files come from
nginx with long caching, and the audit log gets the address nginx saw."""

import gzip
import http.client
import json
import re
import socket
import time
import uuid

import pytest

from selfassess.audit.models import Action, AuditEvent

from .conftest import server_env
from .stack import (
    SlowClients,
    free_port,
    request,
    start_gunicorn,
    timed_get,
    wait_until_answering,
)

MiB = 1024 * 1024


def test_slow_clients_do_not_hold_up_anyone_else(front):
    """50 connections sending their headers one byte a second, and 20 sending a body one
    byte a second, for 5 seconds: another visitor's page is answered in under a second
    throughout, while nginx still holds every slow connection open."""
    headers = SlowClients(front.port, 50, kind="header")
    bodies = SlowClients(front.port, 20, kind="body")
    try:
        timings = []
        for _ in range(5):
            time.sleep(1)
            timings.append(timed_get(front.port, "/accessibility/"))
        still_open = (headers.still_open(), bodies.still_open())
    finally:
        headers.close()
        bodies.close()
    assert all(status == 200 for _, status in timings), timings
    assert max(seconds for seconds, _ in timings) < 1.0, timings
    assert still_open == (50, 20)


def test_without_nginx_the_same_slow_clients_stop_gunicorn(
    nginx_installed, static_root, django_db_setup, tmp_path
):
    """The control: the same gunicorn (sync workers) reached directly, as `make serve`
    used to run it. The slow connections take every worker, and /healthz is not answered
    until they go; this is what the test above would see if nginx did not buffer."""
    port = free_port()
    gunicorn = start_gunicorn(f"127.0.0.1:{port}", server_env(static_root), tmp_path)
    try:
        wait_until_answering(port, servers=[gunicorn])
        slow = SlowClients(port, 50, kind="header")
        try:
            time.sleep(0.5)
            seconds, status = timed_get(port, "/healthz", timeout=3)
        finally:
            slow.close()
        assert status is None and seconds >= 3
        assert timed_get(port, "/healthz")[1] == 200
    finally:
        gunicorn.stop()


def test_an_oversized_body_is_refused_by_nginx_and_never_reaches_django(front):
    # Declared too big: refused on the headers alone, the body never read.
    conn = socket.create_connection(("127.0.0.1", front.port), timeout=5)
    with conn:
        conn.sendall(
            b"POST /accounts/login/?declared-too-big HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/octet-stream\r\n"
            + f"Content-Length: {26 * MiB}\r\n\r\n".encode()
        )
        answer = conn.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 413"), answer
    assert "Content-Security-Policy" not in answer  # nginx's answer, not Django's

    # Sent in chunks with no declared length: refused once it passes the limit.
    conn = http.client.HTTPConnection("127.0.0.1", front.port, timeout=10)
    conn.putrequest("POST", "/accounts/login/?chunked-too-big")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.putheader("Content-Type", "application/octet-stream")
    conn.endheaders()
    chunk = b"%x\r\n%s\r\n" % (MiB, b"x" * MiB)
    try:
        for _ in range(30):
            conn.send(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass  # nginx answered and stopped reading
    assert conn.getresponse().status == 413
    conn.close()

    # A 20 MB file (the import of a large Word, PDF or Excel file) gets through to Django,
    # which answers (here with its refusal of a form with no CSRF token).
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.docx"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + b"\0" * (20 * MiB)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    status, headers, _ = request(
        front.port,
        "POST",
        "/accounts/login/?twenty-megabytes",
        body=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        timeout=30,
    )
    assert status == 403 and "content-security-policy" in headers

    reached = front.reached_django()
    assert "twenty-megabytes" in reached
    assert "too-big" not in reached


def test_pages_go_out_compressed(front):
    status, headers, body = request(
        front.port, "GET", "/accessibility/", headers={"Accept-Encoding": "gzip"}
    )
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in headers["vary"]
    page = gzip.decompress(body)
    assert b"<html" in page and len(body) < len(page) / 2
    # A client that cannot take gzip gets the page as it is.
    status, headers, body = request(front.port, "GET", "/accessibility/")
    assert "content-encoding" not in headers and body == page


def test_static_files_come_from_nginx_with_long_caching(front):
    manifest = json.loads((front.static_root / "staticfiles.json").read_text())["paths"]
    hashed = manifest["build/app.css"]
    assert re.search(r"\.[0-9a-f]{12}\.css$", hashed)
    status, headers, body = request(
        front.port, "GET", f"/static/{hashed}", headers={"Accept-Encoding": "gzip"}
    )
    assert status == 200 and headers["content-type"].startswith("text/css")
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    # collectstatic's .gz copy, sent as it is
    assert headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == (front.static_root / hashed).read_bytes()
    assert headers["x-content-type-options"] == "nosniff"

    # A name without a hash may change: a short time only.
    status, headers, _ = request(front.port, "GET", "/static/build/app.css")
    assert status == 200 and headers["cache-control"] == "public, max-age=300"
    assert request(front.port, "GET", "/static/build/missing.css")[0] == 404
    assert "/static/" not in front.reached_django()


@pytest.mark.django_db(transaction=True)
def test_the_audit_log_gets_the_address_nginx_saw(front):
    """A failed sign-in through nginx, with an X-Forwarded-For the client made up: the
    audit log records the address nginx was reached from, not the made-up one."""
    status, headers, page = request(front.port, "GET", "/accounts/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    cookie = headers["set-cookie"].split(";", 1)[0]
    status, _, _ = request(
        front.port,
        "POST",
        "/accounts/login/",
        body=f"csrfmiddlewaretoken={token}&login=nobody%40example.org&password=wrong".encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "X-Forwarded-For": "203.0.113.66",
        },
    )
    assert status == 200
    event = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert event.actor_email == "nobody@example.org"
    assert event.ip_address == "127.0.0.1"
