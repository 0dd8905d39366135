"""Sign-in limits that cannot be turned into a lock-out (accounts.adapter.AccountAdapter.
pre_authenticate): failures for made-up addresses never stop the right password of a real
person behind the same address, while brute force on one account and password spraying
from one place are still stopped, and a refusal never tells which addresses have accounts."""

import re
from urllib.parse import urlparse

import pytest
from django.test import Client

from selfassess.audit.models import Action, AuditEvent

from ..conftest import make_member

PASSWORD = "a long test password"
TOO_MANY = "Too many failed"
WRONG = "The email address and/or password you specified are not correct."

pytestmark = pytest.mark.django_db


def attempt(email: str, password: str, *, client_address: str) -> str:
    """'signed in', or the sign-in page's text."""
    resp = Client(REMOTE_ADDR=client_address).post(
        "/accounts/login/", {"login": email, "password": password}
    )
    return "signed in" if resp.status_code == 302 else resp.content.decode()


def test_failures_for_made_up_addresses_cannot_lock_out_a_real_person(council, editor):
    """An office behind one address: 48 failed sign-ins for eight made-up addresses
    (each tried until its own limit stops it), then a colleague signs in with the right
    password. (Counting every failure per client address, 10 would have locked them out.)"""
    office = "198.51.100.7"
    for n in range(48):
        page = attempt(f"made-up-{n % 8}@example.org", "guess", client_address=office)
        assert (TOO_MANY in page) == (n >= 40)  # each address's sixth try meets its limit
    assert attempt(editor.email, PASSWORD, client_address=office) == "signed in"


def test_brute_force_on_one_real_address_is_stopped(council, editor):
    """Five wrong passwords for one address, from five places: the sixth try is refused
    even with the right password, from anywhere, until the count falls."""
    for n in range(5):
        assert WRONG in attempt(editor.email, f"guess {n}", client_address=f"192.0.2.{n}")
    assert TOO_MANY in attempt(editor.email, PASSWORD, client_address="192.0.2.99")
    assert AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).count() == 5


def test_password_spraying_from_one_address_is_stopped(council):
    """One password tried on ten real accounts from one address: that address is then
    refused for every sign-in, whatever address it tries (so the refusal says nothing
    about which exist); another address is not."""
    people = [make_member(council, "editor", f"person{n}@example.org") for n in range(11)]
    sprayer = "203.0.113.66"
    for person in people[:10]:
        assert WRONG in attempt(person.email, "Summer2025!", client_address=sprayer)
    assert TOO_MANY in attempt(people[10].email, PASSWORD, client_address=sprayer)
    assert TOO_MANY in attempt("made-up@example.org", "Summer2025!", client_address=sprayer)
    assert attempt(people[10].email, PASSWORD, client_address="198.51.100.7") == "signed in"


def test_a_limit_reads_the_same_for_made_up_and_real_addresses(council, editor):
    """Past the per-address limit, a made-up address and a real one get the same page."""
    for _ in range(5):
        attempt(editor.email, "guess", client_address="192.0.2.1")
        attempt("made-up@example.org", "guess", client_address="192.0.2.1")
    real = attempt(editor.email, "guess", client_address="192.0.2.1")
    made_up = attempt("made-up@example.org", "guess", client_address="192.0.2.1")
    for page in (real, made_up):
        assert TOO_MANY in page and WRONG not in page


def test_a_person_kept_out_gets_back_in_by_resetting_their_password(council, editor, mailoutbox):
    """Someone who knows the address keeps failing: its owner resets the password and
    signs in at once with the new one (the reset clears the address's count, through the
    same key the count is kept under)."""
    for n in range(5):
        attempt(editor.email, f"guess {n}", client_address="203.0.113.66")
    assert TOO_MANY in attempt(editor.email, PASSWORD, client_address="198.51.100.7")

    client = Client(REMOTE_ADDR="198.51.100.7")
    client.post("/accounts/password/reset/", {"email": editor.email})
    [link] = re.findall(r"^https?://\S+$", mailoutbox[0].body, re.MULTILINE)
    form_url = client.get(urlparse(link).path)["Location"]
    new = "a brand new long password"
    assert client.post(form_url, {"password1": new, "password2": new}).status_code == 302
    assert attempt(editor.email, new, client_address="198.51.100.7") == "signed in"
