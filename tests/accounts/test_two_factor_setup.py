"""Setting up an authenticator app: reloading the page keeps the key the person may
already have scanned, and the recovery codes page has a way on."""

import re

from allauth.mfa.models import Authenticator
from django.test import Client

from ..conftest import totp_code


def key_on(page: str) -> str:
    return re.search(r'<code class="app-secret">([A-Z2-7]+)</code>', page).group(1)


def signed_in(email: str) -> Client:
    client = Client()
    client.post("/accounts/login/", {"login": email, "password": "a long test password"})
    return client


def test_reloading_the_set_up_page_keeps_the_key(council, editor):
    client = signed_in(editor.email)
    first = client.get("/accounts/2fa/totp/activate/").content.decode()
    scanned = key_on(first)
    again = client.get("/accounts/2fa/totp/activate/").content.decode()
    assert key_on(again) == scanned
    # The QR code is the same too: the app that scanned it gives codes for this key.
    qr = re.search(r'<img class="app-qr" src="([^"]+)"', first).group(1)
    assert qr in again
    wrong = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert key_on(wrong.content.decode()) == scanned
    resp = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(scanned)})
    assert resp.status_code == 302
    assert Authenticator.objects.filter(user=editor, type="totp").exists()


def test_a_new_session_gets_a_new_key(council, editor):
    one = key_on(signed_in(editor.email).get("/accounts/2fa/totp/activate/").content.decode())
    two = key_on(signed_in(editor.email).get("/accounts/2fa/totp/activate/").content.decode())
    assert one != two


def test_after_the_recovery_codes_an_admin_goes_on_where_they_were_going(
    council, admin, django_capture_on_commit_callbacks
):
    Authenticator.objects.filter(user=admin).delete()
    client = signed_in(admin.email)
    resp = client.get("/councils/example/people/")
    assert resp["Location"] == "/accounts/2fa/totp/activate/"
    secret = key_on(client.get(resp["Location"]).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    codes = client.get(resp["Location"]).content.decode()
    assert "Your recovery codes" in codes
    way_on = re.search(r'<a href="([^"]+)" role="button"[^>]*>Continue</a>', codes)
    assert way_on and way_on.group(1) == "/account/two-factor/continue/"
    resp = client.get(way_on.group(1))
    assert resp.status_code == 302 and resp["Location"] == "/councils/example/people/"
    # Once used, the way on is the home page.
    assert client.get(way_on.group(1))["Location"] == "/"


def test_someone_who_chose_to_set_it_up_goes_on_to_the_home_page(
    council, editor, django_capture_on_commit_callbacks
):
    client = signed_in(editor.email)
    secret = key_on(client.get("/accounts/2fa/totp/activate/").content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert "Continue" in client.get(resp["Location"]).content.decode()
    assert client.get("/account/two-factor/continue/")["Location"] == "/"
