"""TOTP two-factor authentication: required for council admins, available to everyone."""

from allauth.mfa.models import Authenticator
from django.test import Client

from selfassess.audit.models import Action, AuditEvent

from ..conftest import TOTP_SECRETS, totp_code


def sign_in(client, email, password="a long test password"):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_admin_signs_in_with_password_and_code(council, admin):
    client = Client()
    resp = sign_in(client, "admin@example.org")
    assert resp.status_code == 302 and resp["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/councils/example/").status_code == 302  # not signed in yet
    resp = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert "There is a problem" in resp.content.decode()
    assert client.get("/councils/example/").status_code == 302
    secret = TOTP_SECRETS["admin@example.org"]
    resp = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert resp.status_code == 302
    assert client.get("/councils/example/").status_code == 200
    failed = AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED, actor_email=admin.email)
    assert failed.filter(summary__contains="two-factor").exists()
    assert AuditEvent.objects.filter(action=Action.SIGNED_IN, actor=admin).count() == 1


def test_admin_without_two_factor_can_only_set_it_up(
    council, admin, django_capture_on_commit_callbacks
):
    Authenticator.objects.filter(user=admin).delete()
    client = Client()
    sign_in(client, admin.email)
    for path in ("/councils/example/", "/councils/example/people/", "/"):
        resp = client.get(path)
        assert resp.status_code == 302 and resp["Location"] == "/accounts/2fa/totp/activate/"
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    # The set-up page keeps the secret in the session; read it back as a phone app would.
    secret = client.session["mfa.totp.secret"]
    assert f'Key: <code class="app-secret">{secret}</code>' in page.content.decode()
    resp = client.post("/accounts/2fa/totp/activate/", {"code": "123456"})
    assert resp.status_code == 200 and "There is a problem" in resp.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert resp.status_code == 302
    assert client.get("/councils/example/").status_code == 200
    assert AuditEvent.objects.filter(action=Action.MFA_ADDED, actor=admin).exists()


def test_editors_may_turn_it_on_but_need_not(council, editor):
    client = Client()
    sign_in(client, editor.email)
    assert client.get("/councils/example/").status_code == 200
    page = client.get("/accounts/2fa/").content.decode()
    assert "Set up an authenticator app" in page
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200


def test_setting_up_later_asks_for_the_password_again(council, editor, login):
    client = login(editor)  # a session with no record of typing the password
    resp = client.get("/accounts/2fa/totp/activate/")
    assert resp.status_code == 302 and resp["Location"].startswith("/accounts/reauthenticate/")
    page = client.get(resp["Location"]).content.decode()
    assert "This change needs your password again" in page


def test_django_admin_signs_in_through_allauth_and_needs_two_factor(db):
    from selfassess.accounts.models import User

    User.objects.create_superuser(email="root@example.org", password="a long test password")
    client = Client()
    resp = client.get("/admin/login/?next=/admin/")
    assert resp.status_code == 302 and resp["Location"].startswith("/accounts/login/")
    sign_in(client, "root@example.org")
    resp = client.get("/admin/")
    assert resp.status_code == 302 and resp["Location"] == "/accounts/2fa/totp/activate/"


def test_turning_two_factor_off_always_asks_again(council, admin):
    client = Client()
    sign_in(client, admin.email)
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(TOTP_SECRETS[admin.email])})
    assert client.get("/councils/example/").status_code == 200
    for path in ("/accounts/2fa/totp/deactivate/", "/accounts/2fa/recovery-codes/generate/"):
        resp = client.post(path)
        assert resp.status_code == 302 and resp["Location"].startswith("/accounts/reauthenticate/")
    assert Authenticator.objects.filter(user=admin, type="totp").exists()


def test_recovery_codes_are_shown_after_set_up_but_later_need_the_password(council, editor):
    import datetime

    from django.utils import timezone

    client = Client()
    sign_in(client, editor.email)
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]
    resp = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)}, follow=True)
    assert "Your recovery codes" in resp.content.decode()
    # Later (the set-up is more than five minutes old), seeing them asks again.
    Authenticator.objects.filter(user=editor).update(
        created_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    resp = client.get("/accounts/2fa/recovery-codes/")
    assert resp.status_code == 302 and resp["Location"].startswith("/accounts/reauthenticate/")
