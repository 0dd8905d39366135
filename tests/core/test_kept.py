"""A save sent after the session ended keeps what was typed: after signing in again the
same person sees it on the same page, not saved, and saves it on purpose (core/kept.py)."""

import datetime
import html
import json
import re
import time

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from selfassess.assessments.models import Response, Status
from selfassess.core import kept
from selfassess.interchange.json_format import import_assessment
from selfassess.plans import services as plans
from selfassess.plans.models import Action, ProgressUpdate

from ..assessments.helpers import principle_post, url

TYPED = "Members' safety briefing held on 3 March & <minuted>; 41 of 48 councillors came."


@pytest.fixture
def scored(framework, council, seed002, editor):
    return import_assessment(json.dumps(seed002), council=council).assessment


def signed_in(email: str) -> Client:
    client = Client()
    resp = client.post("/accounts/login/", {"login": email, "password": "a long test password"})
    assert resp.status_code == 302
    return client


def owner(page: str) -> str:
    found = re.search(r'name="typed_by" value="([^"]+)"', page)
    assert found, "the form carries no signed owner field"
    return html.unescape(found.group(1))


def session_ends(client: Client) -> None:
    """The session runs out, as it does after SESSION_IDLE_MINUTES without activity."""
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )


def sign_in_again(client: Client, email: str, resp) -> str:
    """Follow the way to the sign-in page, sign in, and land where it sends the person."""
    assert resp.status_code == 302 and resp["Location"].startswith("/accounts/login/?next=")
    page = client.get(resp["Location"]).content.decode()
    assert "You were signed out, so nothing was saved. What you typed is kept" in page
    after = client.post(resp["Location"], {"login": email, "password": "a long test password"})
    assert after.status_code == 302
    return after["Location"]


def typed_on_principle_1(client: Client, scored) -> tuple[str, dict]:
    page = client.get(url(scored, "principles/1/")).content.decode()
    data = principle_post(scored, 1, {"1.1": {"score": 2, "evidence": TYPED}})
    return page, data | {"typed_by": owner(page), "return": "1"}


def test_evidence_typed_after_expiry_comes_back_to_be_saved_on_purpose(scored, editor):
    client = signed_in(editor.email)
    page, data = typed_on_principle_1(client, scored)
    assert "For your security, you will be signed out at" in page
    session_ends(client)
    resp = client.post(url(scored, "principles/1/"), data)
    saved = Response.objects.get(assessment=scored, statement__ref="1.1")
    assert (saved.score, saved.evidence) != (2, TYPED)  # never saved without the person
    assert sign_in_again(client, editor.email, resp) == url(scored, "principles/1/")
    shown = client.get(url(scored, "principles/1/")).content.decode()
    assert "You were signed out before this was saved." in shown
    assert html.escape(TYPED) in shown
    assert 'id="id_r1-1-score_2" name="r1-1-score" type="radio" value="2" checked' in shown
    saved.refresh_from_db()
    assert saved.evidence != TYPED  # showing it saved nothing either
    # The person saves the page they were shown, on purpose.
    resp = client.post(url(scored, "principles/1/"), data | {"typed_by": owner(shown)})
    assert resp.status_code == 302
    saved.refresh_from_db()
    assert (saved.score, saved.evidence) == (2, TYPED)
    assert (
        "You were signed out before"
        not in client.get(url(scored, "principles/1/")).content.decode()
    )


def test_another_account_signing_in_on_that_browser_never_sees_it(scored, editor, second_editor):
    client = signed_in(editor.email)
    _, data = typed_on_principle_1(client, scored)
    session_ends(client)
    resp = client.post(url(scored, "principles/1/"), data)
    client.post(
        resp["Location"], {"login": second_editor.email, "password": "a long test password"}
    )
    page = client.get(url(scored, "principles/1/")).content.decode()
    assert html.escape(TYPED) not in page and "You were signed out before" not in page
    assert kept.KEPT not in client.session or not client.session[kept.KEPT]


def test_it_is_shown_only_on_the_page_it_was_typed_on(scored, editor):
    client = signed_in(editor.email)
    _, data = typed_on_principle_1(client, scored)
    session_ends(client)
    sign_in_again(client, editor.email, client.post(url(scored, "principles/1/"), data))
    assert (
        "You were signed out before"
        not in client.get(url(scored, "principles/2/")).content.decode()
    )
    assert "You were signed out before" in client.get(url(scored, "principles/1/")).content.decode()


def test_an_owner_field_not_signed_here_keeps_nothing(scored, editor, outsider):
    """Who typed it, and the page to come back to, are signed with the form: nobody can
    point a kept copy at another account or at another council's page."""
    client = signed_in(editor.email)
    _, data = typed_on_principle_1(client, scored)
    session_ends(client)
    for forged in (
        signing.dumps([outsider.pk, "/councils/other/"], salt="another purpose"),
        signing.dumps([outsider.pk, "/councils/other/"], salt=kept.SALT, key="not the key"),
        json.dumps([outsider.pk, "/councils/other/"]),
    ):
        resp = client.post(url(scored, "principles/1/"), data | {"typed_by": forged})
        assert resp["Location"].startswith("/accounts/login/?next=")
        assert not client.session.get(kept.KEPT)


def test_without_the_signed_field_nothing_is_kept(scored, editor):
    client = signed_in(editor.email)
    _, data = typed_on_principle_1(client, scored)
    session_ends(client)
    del data["typed_by"]
    resp = client.post(url(scored, "principles/1/"), data)
    assert resp.status_code == 302 and resp["Location"].startswith("/accounts/login/")
    assert not client.session.get(kept.KEPT)


def test_kept_typing_lasts_as_long_as_an_idle_session(scored, editor):
    client = signed_in(editor.email)
    _, data = typed_on_principle_1(client, scored)
    session_ends(client)
    sign_in_again(client, editor.email, client.post(url(scored, "principles/1/"), data))
    session = client.session
    entries = session[kept.KEPT]
    entries[url(scored, "principles/1/")]["at"] = time.time() - kept.keep_seconds() - 1
    session[kept.KEPT] = entries
    session.save()
    assert (
        "You were signed out before"
        not in client.get(url(scored, "principles/1/")).content.decode()
    )


def test_the_person_can_discard_it(scored, editor):
    client = signed_in(editor.email)
    _, data = typed_on_principle_1(client, scored)
    session_ends(client)
    sign_in_again(client, editor.email, client.post(url(scored, "principles/1/"), data))
    shown = client.get(url(scored, "principles/1/")).content.decode()
    resp = client.post(
        url(scored, "principles/1/"), {"typed_by": owner(shown), "discard_typed": "1"}
    )
    assert resp.status_code == 302 and resp["Location"] == url(scored, "principles/1/")
    page = client.get(url(scored, "principles/1/")).content.decode()
    assert "You were signed out before" not in page and html.escape(TYPED) not in page
    assert Response.objects.get(assessment=scored, statement__ref="1.1").evidence != TYPED


def test_a_new_action_is_kept(scored, editor):
    client = signed_in(editor.email)
    page = client.get(url(scored, "plan/actions/new/")).content.decode()
    session_ends(client)
    data = {
        "typed_by": owner(page),
        "title": "Safety at ward surgeries",
        "description": TYPED,
        "statements": ["3.3", "4.2"],
        "priority": "high",
        "status": "not_started",
    }
    resp = client.post(url(scored, "plan/actions/new/"), data)
    assert not Action.objects.exists()
    assert sign_in_again(client, editor.email, resp) == url(scored, "plan/actions/new/")
    shown = client.get(url(scored, "plan/actions/new/")).content.decode()
    assert "You were signed out before this was saved." in shown
    assert 'value="Safety at ward surgeries"' in shown and html.escape(TYPED) in shown
    assert 'value="4.2" checked' in shown
    client.post(url(scored, "plan/actions/new/"), data | {"typed_by": owner(shown)})
    assert Action.objects.get().description == TYPED


def test_a_change_to_an_action_is_kept(scored, editor):
    action = plans.create_action(
        assessment=scored,
        user=editor,
        data=plans.ActionInput(
            title="Police contact",
            description="",
            lead="",
            partners="",
            target_date=None,
            priority="medium",
            status="not_started",
            refs=["4.2"],
        ),
    )
    client = signed_in(editor.email)
    edit = url(scored, f"plan/actions/{action.pk}/edit/")
    page = client.get(edit).content.decode()
    session_ends(client)
    data = {
        "typed_by": owner(page),
        "title": "Police single point of contact",
        "description": TYPED,
        "statements": ["4.2"],
        "lead": "Monitoring Officer",
        "priority": "high",
        "status": "in_progress",
        "version": "0",
    }
    assert sign_in_again(client, editor.email, client.post(edit, data)) == edit
    shown = client.get(edit).content.decode()
    assert 'value="Police single point of contact"' in shown and html.escape(TYPED) in shown
    action.refresh_from_db()
    assert action.title == "Police contact"
    client.post(edit, data | {"typed_by": owner(shown)})
    action.refresh_from_db()
    assert (action.title, action.lead, action.status) == (
        "Police single point of contact",
        "Monitoring Officer",
        "in_progress",
    )


def test_a_progress_update_is_kept_and_shown_on_the_action(scored, editor):
    action = plans.create_action(
        assessment=scored,
        user=editor,
        data=plans.ActionInput(
            title="Police contact",
            description="",
            lead="",
            partners="",
            target_date=None,
            priority="medium",
            status="in_progress",
            refs=["4.2"],
        ),
    )
    client = signed_in(editor.email)
    detail = url(scored, f"plan/actions/{action.pk}/")
    page = client.get(detail).content.decode()
    assert "For your security, you will be signed out at" in page
    session_ends(client)
    data = {
        "typed_by": owner(page),
        "on_day": "4",
        "on_month": "3",
        "on_year": "2025",
        "text": TYPED,
    }
    resp = client.post(url(scored, f"plan/actions/{action.pk}/progress/"), data)
    assert not ProgressUpdate.objects.exists()
    assert sign_in_again(client, editor.email, resp) == detail  # the page, not the POST address
    shown = client.get(detail).content.decode()
    assert "You were signed out before this was saved." in shown
    assert (
        html.escape(TYPED) in shown
        and 'name="on_day" type="text" inputmode="numeric" value="4"' in shown
    )
    client.post(
        url(scored, f"plan/actions/{action.pk}/progress/"), data | {"typed_by": owner(shown)}
    )
    assert ProgressUpdate.objects.get().text == TYPED
    assert "You were signed out before" not in client.get(detail).content.decode()


def test_sign_off_is_kept(scored, admin):
    from ..conftest import TOTP_SECRETS, totp_code

    client = Client()
    client.post("/accounts/login/", {"login": admin.email, "password": "a long test password"})
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(TOTP_SECRETS[admin.email])})
    page = client.get(url(scored, "sign-off/")).content.decode()
    session_ends(client)
    data = {
        "typed_by": owner(page),
        "agreed_by": "Standards Committee",
        "agreed_on_day": "20",
        "agreed_on_month": "6",
        "agreed_on_year": "2024",
    }
    resp = client.post(url(scored, "sign-off/"), data)
    assert resp["Location"].startswith("/accounts/login/?next=")
    client.post(resp["Location"], {"login": admin.email, "password": "a long test password"})
    # Two-factor authentication comes first; the kept text waits for it. (The app's code
    # is the one used a moment ago: forget that it was used, as 30 seconds would.)
    cache.clear()
    resp = client.post(
        "/accounts/2fa/authenticate/", {"code": totp_code(TOTP_SECRETS[admin.email])}
    )
    assert resp["Location"] == url(scored, "sign-off/")
    shown = client.get(url(scored, "sign-off/")).content.decode()
    assert "You were signed out before this was saved." in shown
    assert 'value="Standards Committee"' in shown
    scored.refresh_from_db()
    assert scored.status == Status.DRAFT
