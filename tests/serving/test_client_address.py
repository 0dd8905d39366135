"""One client address for every limit and log (core.client.client_ip): the connection's
own address with nothing in front, the proxies' right-most untrusted entry of
X-Forwarded-For behind TRUSTED_PROXIES of them, never a header the client wrote."""

import pytest
from django.test import Client, RequestFactory

from selfassess.audit.models import Action, AuditEvent
from selfassess.core.client import client_ip

from ..conftest import make_member


def ip(remote_addr: str, forwarded: str | None = None) -> str | None:
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


@pytest.mark.parametrize(
    ("proxies", "remote_addr", "forwarded", "expected"),
    [
        # Nothing in front: whatever the client put in the header is ignored.
        (0, "198.51.100.7", "203.0.113.66", "198.51.100.7"),
        (0, "198.51.100.7", None, "198.51.100.7"),
        # nginx in front (on a unix socket: no REMOTE_ADDR): the entry nginx appended.
        (1, "", "198.51.100.7", "198.51.100.7"),
        (1, "", "203.0.113.66, 198.51.100.7", "198.51.100.7"),
        (1, "127.0.0.1", "203.0.113.66,198.51.100.7", "198.51.100.7"),
        # A load balancer and nginx: the balancer's entry, one from the right.
        (2, "", "203.0.113.66, 198.51.100.7, 10.0.0.5", "198.51.100.7"),
        # Fewer entries than proxies: all came from proxies; the leftmost is the client.
        (2, "", "198.51.100.7", "198.51.100.7"),
        # Ports and IPv6 as proxies write them.
        (1, "", "203.0.113.66, 198.51.100.7:52311", "198.51.100.7"),
        (1, "", "[2001:db8::1]:443", "2001:db8::1"),
        (1, "", "2001:DB8:0::1", "2001:db8::1"),
        # No header behind a proxy: the connection's address, if it has one.
        (1, "192.0.2.1", None, "192.0.2.1"),
        (1, "", None, None),
        # What a proxy wrote is not an address: none, rather than the client's guess.
        (1, "", "203.0.113.66, unknown", None),
        (0, "not an address", None, None),
    ],
)
def test_client_ip(settings, proxies, remote_addr, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    assert ip(remote_addr, forwarded) == expected


def sign_in_fails(client: Client, **headers) -> None:
    client.post("/accounts/login/", {"login": "nobody@example.org", "password": "wrong"}, **headers)


@pytest.mark.django_db
def test_the_audit_log_records_the_client_behind_the_proxy(settings):
    settings.TRUSTED_PROXIES = 1
    sign_in_fails(Client(), HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.7")
    assert AuditEvent.objects.get(action=Action.SIGN_IN_FAILED).ip_address == "198.51.100.7"


@pytest.mark.django_db
def test_with_no_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = 0
    sign_in_fails(Client(REMOTE_ADDR="192.0.2.10"), HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert AuditEvent.objects.get(action=Action.SIGN_IN_FAILED).ip_address == "192.0.2.10"


def test_the_survey_code_limit_counts_each_client_behind_the_proxy(open_round, settings):
    """Behind nginx every request arrives from nginx: the hourly limit on code entries
    counts the client each came from, and a made-up header does not give a new count."""
    settings.TRUSTED_PROXIES = 1
    settings.SURVEY_TICKETS_PER_HOUR = 2
    url = f"/survey/shared/{open_round.public_id}/"
    proxy = Client(REMOTE_ADDR="127.0.0.1")

    def enter(forwarded: str) -> int:
        return proxy.post(url, {"code": "WRONG"}, HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert [enter("198.51.100.7") for _ in range(2)] == [400, 400]
    assert enter("198.51.100.7") == 429
    assert enter("203.0.113.1, 198.51.100.7") == 429  # the left entry is the client's own
    assert enter("198.51.100.8") == 400  # a colleague at another address


def test_sign_in_limits_count_each_client_behind_the_proxy(council, settings):
    """allauth's per-client count (core.client.client_ip through the adapter): ten
    failures against a real account from one client behind the proxy stop that client,
    not the next one."""
    settings.TRUSTED_PROXIES = 1
    users = [make_member(council, "editor", f"person{n}@example.org") for n in range(10)]
    proxy = Client(REMOTE_ADDR="127.0.0.1")

    def attempt(forwarded: str, email: str, password: str = "wrong") -> str:
        resp = proxy.post(
            "/accounts/login/",
            {"login": email, "password": password},
            HTTP_X_FORWARDED_FOR=forwarded,
        )
        return "signed in" if resp.status_code == 302 else resp.content.decode()

    for user in users:
        assert "Too many failed" not in attempt("198.51.100.7", user.email)
    assert "Too many failed" in attempt("198.51.100.7", users[0].email, "a long test password")
    assert attempt("198.51.100.8", users[0].email, "a long test password") == "signed in"
