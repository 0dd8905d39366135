"""The pages outside a council: start, the toolkit introduction, signing in and out."""

import datetime

from django.core.management import call_command

from selfassess.accounts.models import User
from selfassess.councils.models import Membership


def test_toolkit_introduction_explains_aim_principles_and_scale(framework, client):
    page = client.get("/toolkit/").content.decode()
    assert "To provide a practical tool for councils to self-assess their progress" in page
    for title in (
        "Creating supportive and informed spaces",
        "Creating a culture of safety and respect",
    ):
        assert title in page
    assert "2: Comprehensive implementation" in page
    assert "a total out of 10" in page and "a total out of 50" in page
    assert page.count("<strong>1.") == 5


def test_start_page_for_someone_signed_out(framework, client):
    page = client.get("/").content.decode()
    assert "Assess how your council tackles abuse of councillors" in page
    assert 'href="/accounts/login/"' in page


def test_sign_in_with_email_and_password(council, editor, client):
    page = client.get("/accounts/login/").content.decode()
    assert 'name="login"' in page and 'type="email"' in page
    resp = client.post("/accounts/login/", {"login": "editor@example.org", "password": "wrong"})
    assert "There is a problem" in resp.content.decode()
    resp = client.post(
        "/accounts/login/", {"login": "EDITOR@example.org", "password": "a long test password"}
    )
    assert resp.status_code == 302
    assert client.get("/", follow=True).request["PATH_INFO"] == "/councils/example/"
    client.post("/accounts/logout/")
    assert client.get("/councils/example/").status_code == 302


def test_open_sign_up_is_closed(db, client):
    client.post(
        "/accounts/signup/",
        {
            "email": "x@example.org",
            "password1": "long enough pass 1",
            "password2": "long enough pass 1",
        },
    )
    assert not User.objects.filter(email="x@example.org").exists()


def test_setup_demo_prints_sign_in_once(db, capsys):
    call_command("setup_demo")
    first = capsys.readouterr().out
    assert "email:    admin@example.org" in first and "password: " in first
    password = first.split("password: ")[1].split()[0]
    user = User.objects.get(email="admin@example.org")
    assert user.check_password(password)
    assert Membership.objects.get(user=user).role == "admin"
    call_command("setup_demo")
    assert "password" not in capsys.readouterr().out
    assert User.objects.count() == 1


def test_unknown_page_is_a_friendly_404(client, db):
    resp = client.get("/nowhere/")
    assert resp.status_code == 404
    assert "Page not found" in resp.content.decode()


def test_idle_sessions_expire_without_a_write_on_every_request(council, admin, client, settings):
    from django.contrib.sessions.models import Session

    from selfassess.core.middleware import REFRESHED

    client.force_login(admin)
    client.get("/councils/example/")
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date
    client.get("/councils/example/")
    assert Session.objects.get(session_key=key).expire_date == first  # no write this time
    # The session ends exactly SESSION_COOKIE_AGE after the timer was last refreshed, to
    # the second (what the timeout warning counts down to), not from when it was saved.
    refreshed = client.session[REFRESHED]
    assert first == datetime.datetime.fromtimestamp(
        refreshed + settings.SESSION_COOKIE_AGE, tz=datetime.UTC
    )
    # Any other save (a message, typing kept) leaves the end where it is.
    session = client.session
    session["something else"] = 1
    session.save()
    assert Session.objects.get(session_key=key).expire_date == first
    session = client.session
    session[REFRESHED] = refreshed - settings.SESSION_REFRESH_SECONDS - 5  # a while ago
    session.save()
    before = Session.objects.get(session_key=key).expire_date
    assert before == first - datetime.timedelta(seconds=settings.SESSION_REFRESH_SECONDS + 5)
    response = client.get("/councils/example/")
    assert Session.objects.get(session_key=key).expire_date > before
    assert client.session[REFRESHED] >= refreshed
    # The cookie lasts until the browser closes: no Max-Age, no Expires.
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert settings.SESSION_COOKIE_AGE == 30 * 60
