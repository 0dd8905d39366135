"""A person's own account: signing out everywhere, sign-in limits, and downloading what
the product holds about them."""

import json

from django.test import Client

from selfassess.audit.models import Action, AuditEvent

from ..conftest import make_member


def sign_in(email, password="a long test password") -> Client:
    client = Client()
    resp = client.post("/accounts/login/", {"login": email, "password": password})
    assert resp.status_code == 302, resp.content.decode()[:300]
    return client


def test_sign_out_everywhere_ends_every_session(council, editor):
    laptop, phone = sign_in(editor.email), sign_in(editor.email)
    assert phone.get("/councils/example/").status_code == 200
    page = laptop.get("/account/").content.decode()
    assert "Sign out everywhere" in page and "editor@example.org" in page
    resp = laptop.post("/account/sign-out-everywhere/")
    assert resp.status_code == 302
    for client in (laptop, phone):
        resp = client.get("/councils/example/")
        assert resp.status_code == 302 and resp["Location"].startswith("/accounts/login/")
    assert AuditEvent.objects.filter(action=Action.SIGNED_OUT_EVERYWHERE, actor=editor).exists()
    sign_in(editor.email)  # the password still works


def test_repeated_failed_sign_ins_are_refused_for_a_while(council, editor):
    client = Client()
    for _ in range(5):
        resp = client.post("/accounts/login/", {"login": editor.email, "password": "wrong"})
        assert resp.status_code == 200
    resp = client.post(
        "/accounts/login/", {"login": editor.email, "password": "a long test password"}
    )
    # Even the right password is refused until the limit resets.
    assert resp.status_code == 429 or "Too many failed" in resp.content.decode()
    assert client.get("/councils/example/").status_code == 302
    assert AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).count() == 5


def test_personal_data_download_holds_theirs_and_nobody_elses(council, editor, viewer, login):
    other = make_member(council, "editor", "other@example.org")
    AuditEvent.objects.create(action=Action.SIGNED_IN, summary="Signed in", actor=other)
    client = login(editor)
    resp = client.get("/account/your-data.json")
    assert resp.status_code == 200 and resp["Content-Disposition"].startswith("attachment")
    data = json.loads(resp.content)
    assert data["account"]["email"] == "editor@example.org"
    assert data["account"]["full_name"] == "Eddie Editor"
    assert data["memberships"] == [
        {
            "council": "Example District Council",
            "role": "Editor",
            "since": data["memberships"][0]["since"],
        }
    ]
    assert "other@example.org" not in resp.content.decode()
    assert "not included" in data["survey_answers"].lower()
    assert AuditEvent.objects.filter(action=Action.PERSONAL_DATA_DOWNLOADED, actor=editor).exists()


def test_personal_data_includes_what_they_wrote(assessment, editor, login):
    from ..assessments.helpers import principle_post

    client = login(editor)
    client.post(
        f"/councils/example/assessments/{assessment.pk}/principles/1/",
        principle_post(assessment, 1, {"1.1": {"score": 2, "evidence": "Induction pack"}}),
    )
    data = json.loads(client.get("/account/your-data.json").content)
    assert any(
        c["statement"] == "1.1" and c["after"] == "Induction pack"
        for c in data["assessment_changes"]
    )


def test_people_cannot_add_or_switch_their_own_email_address(council, editor, login):
    client = login(editor)
    assert client.get("/accounts/email/").status_code == 404
    client.post("/accounts/email/", {"email": "elsewhere@example.org", "action_add": ""})
    editor.refresh_from_db()
    assert editor.email == "editor@example.org"


def test_passwords_are_stored_as_argon2id(db, settings):
    import selfassess.settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS  # undo the tests' fast hasher
    from selfassess.accounts.models import User

    user = User.objects.create_user(email="p@example.org", password="a long test password")
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert "a long test password" not in user.password
    assert user.check_password("a long test password")
