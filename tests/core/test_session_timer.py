"""The timeout warning's part on the server: the session's time left is read without
keeping the session alive, "Stay signed in" restarts it, and pages say when it ends."""

import datetime
import re

from django.contrib.sessions.models import Session
from django.utils import timezone

from selfassess.core.dates import time_of_day
from selfassess.core.middleware import REFRESHED


def test_asking_how_long_is_left_does_not_keep_the_session_alive(council, editor, login):
    client = login(editor)
    client.get("/councils/example/")
    key = client.session.session_key
    session = client.session
    session[REFRESHED] = int(timezone.now().timestamp()) - 25 * 60  # idle for 25 minutes
    session.save()
    expiry = Session.objects.get(session_key=key).expire_date
    state = client.get("/session/").json()
    assert state["signed_in"] is True
    assert 4 * 60 < state["remaining"] <= 5 * 60
    assert Session.objects.get(session_key=key).expire_date == expiry
    # Any other page is activity, and restarts the clock.
    client.get("/councils/example/")
    assert client.get("/session/").json()["remaining"] > 29 * 60


def test_stay_signed_in_restarts_the_idle_time(council, editor, login):
    client = login(editor)
    client.get("/councils/example/")
    session = client.session
    session[REFRESHED] = int(timezone.now().timestamp()) - 29 * 60
    session.save()
    assert client.get("/session/").json()["remaining"] <= 60
    assert client.get("/session/extend/").status_code == 405
    state = client.post("/session/extend/").json()
    assert state["remaining"] > 29 * 60
    ends = timezone.now() + datetime.timedelta(seconds=state["remaining"])
    assert state["ends_at"] in {
        time_of_day(ends),
        time_of_day(ends + datetime.timedelta(minutes=1)),
    }
    row = Session.objects.get(session_key=client.session.session_key)
    assert row.expire_date > timezone.now() + datetime.timedelta(minutes=29)


def test_someone_not_signed_in_has_no_session_to_extend(db, client):
    assert client.get("/session/").json() == {"signed_in": False, "remaining": 0, "ends_at": ""}
    assert client.post("/session/extend/").json()["signed_in"] is False


def test_signed_in_pages_carry_the_warning_and_forms_say_when_the_session_ends(
    council, assessment, editor, login, client
):
    signed_in = login(editor)
    page = signed_in.get(f"/councils/example/assessments/{assessment.pk}/principles/1/")
    text = page.content.decode()
    dialog = re.search(r'<dialog class="app-timeout-dialog"[^>]*>', text).group(0)
    assert 'data-ends-in="1800"' in dialog or 'data-ends-in="1799"' in dialog
    assert 'data-warn-before="120"' in dialog
    ends = timezone.now() + datetime.timedelta(minutes=30)
    note = re.search(r"you will be signed out at <span data-session-ends-at>([^<]+)</span>", text)
    assert note and note.group(1) in {
        time_of_day(ends),
        time_of_day(ends - datetime.timedelta(minutes=1)),
    }
    assert "app-timeout-dialog" not in client.get("/accounts/login/").content.decode()


def test_times_are_written_the_gov_uk_way(settings):
    settings.TIME_ZONE = "Europe/London"
    utc = datetime.UTC
    assert time_of_day(datetime.datetime(2024, 6, 12, 14, 42, tzinfo=utc)) == "3:42pm"
    assert time_of_day(datetime.datetime(2024, 1, 12, 11, 0, tzinfo=utc)) == "11am"
    assert time_of_day(datetime.datetime(2024, 1, 12, 12, 5, tzinfo=utc)) == "12:05pm"
    assert time_of_day(datetime.datetime(2024, 1, 12, 0, 5, tzinfo=utc)) == "12:05am"
