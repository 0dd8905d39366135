"""Nothing typed is lost, in a real browser: the timeout warning before a session ends,
evidence typed and saved after it ended coming back after signing in again, and
setting up two-factor authentication with a reload in the middle."""

import re
import time

import pytest

from selfassess.assessments.models import Response

from .conftest import PHONE, SCREENSHOTS, TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

WIDE = {"width": 1280, "height": 900}
SIZES = {"1280": WIDE, "390": PHONE}
TYPED = "Safety briefing for all members on 3 March; 41 of 48 came. Notes on the intranet."


def in_view(page, name: str) -> None:
    """A screenshot of what is on screen (a dialog stays where the window is)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def sign_in_here(page, email: str) -> None:
    """Fill in the sign-in form the page is on."""
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}px" for w in SIZES])
def test_warned_before_the_session_ends_and_what_was_typed_after_it_is_kept(
    live_server, settings, assessment, editor, new_page, axe, screenshot, size
):
    # A session of 14 seconds, the warning 8 seconds before its end, and every page
    # view counting as activity: the same rules as 30 minutes, 2 minutes and 2 minutes.
    settings.SESSION_COOKIE_AGE = 14
    settings.SESSION_WARNING_SECONDS = 8
    settings.SESSION_REFRESH_SECONDS = 0
    page = new_page(viewport=SIZES[size])
    page.goto(f"{live_server.url}/accounts/login/")
    sign_in_here(page, editor.email)
    principle = f"{live_server.url}/councils/example/assessments/{assessment.pk}/principles/1/"
    page.goto(principle)
    block = page.locator("#statement-r1-1")
    block.get_by_label("1: Partial").check()
    block.get_by_label("Evidence for statement 1.1").fill(TYPED)

    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    dialog.wait_for(timeout=12_000)
    assert re.search(r"we will sign you out in \d+ seconds?", dialog.inner_text())
    assert page.evaluate("document.activeElement.textContent") == "Stay signed in"
    axe(page)
    in_view(page, f"timeout-{size}-warning")
    dialog.get_by_role("button", name="Stay signed in").click()
    dialog.wait_for(state="hidden")
    status = page.evaluate("fetch('/session/').then(r => r.json())")
    assert status["signed_in"] and status["remaining"] > 8

    # This time nobody answers, and the session ends: the page stays as it was.
    dialog.wait_for(timeout=12_000)
    ended = page.get_by_role("dialog", name="You have been signed out")
    ended.wait_for(timeout=15_000)
    assert "Nothing you typed on this page is lost" in ended.inner_text()
    # Signing in from here would leave the page and what is typed on it: not offered.
    assert not ended.get_by_role("link", name="Sign in again").is_visible()
    axe(page)
    in_view(page, f"timeout-{size}-ended")
    ended.get_by_role("button", name="Back to the page").click()
    assert block.get_by_label("Evidence for statement 1.1").input_value() == TYPED

    page.get_by_role("button", name="Save and continue to principle 2").click()
    assert "/accounts/login/" in page.url
    assert page.get_by_text("You were signed out, so nothing was saved.").is_visible()
    axe(page)
    saved = Response.objects.get(assessment=assessment, statement__ref="1.1")
    assert (saved.score, saved.evidence) == (None, "")
    settings.SESSION_COOKIE_AGE = 30 * 60  # no warning while the rest is checked
    sign_in_here(page, editor.email)
    assert page.url == principle
    assert page.get_by_text("You were signed out before this was saved.").is_visible()
    assert block.get_by_label("Evidence for statement 1.1").input_value() == TYPED
    assert block.get_by_label("1: Partial").is_checked()
    axe(page)
    screenshot(page, f"timeout-{size}-kept")
    saved.refresh_from_db()
    assert saved.evidence == ""  # shown back, still not saved
    page.get_by_role("button", name="Save and continue to principle 2").click()
    assert page.get_by_text("Saved 1 statement of principle 1.").is_visible()
    saved.refresh_from_db()
    assert (saved.score, saved.evidence) == (1, TYPED)


def test_without_javascript_the_page_says_when_the_session_ends(
    live_server, settings, assessment, editor, new_page, screenshot
):
    settings.SESSION_COOKIE_AGE = 5
    settings.SESSION_REFRESH_SECONDS = 0
    page = new_page(js=False, viewport=PHONE)
    page.goto(f"{live_server.url}/accounts/login/")
    sign_in_here(page, editor.email)
    page.goto(f"{live_server.url}/councils/example/assessments/{assessment.pk}/principles/1/")
    note = page.locator(".app-session-note")
    assert re.match(
        r"For your security, you will be signed out at \d{1,2}(:\d\d)?[ap]m unless you save",
        note.inner_text(),
    )
    assert page.get_by_role("dialog").count() == 0
    screenshot(page, "timeout-nojs-note")
    page.get_by_label("Evidence for statement 1.1").fill(TYPED)
    time.sleep(6)
    page.get_by_role("button", name="Save and return to the task list").click()
    settings.SESSION_COOKIE_AGE = 30 * 60
    sign_in_here(page, editor.email)
    assert page.get_by_text("You were signed out before this was saved.").is_visible()
    assert page.get_by_label("Evidence for statement 1.1").input_value() == TYPED
    page.get_by_role("button", name="Save and return to the task list").click()
    assert Response.objects.get(assessment=assessment, statement__ref="1.1").evidence == TYPED


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}px" for w in SIZES])
def test_two_factor_set_up_survives_a_reload_and_then_goes_on(
    live_server, framework, council, admin, new_page, axe, screenshot, size
):
    from allauth.mfa.models import Authenticator

    from ..conftest import totp_code_to_type

    Authenticator.objects.filter(user=admin).delete()
    page = new_page(viewport=SIZES[size])
    page.goto(f"{live_server.url}/councils/example/people/")
    sign_in_here(page, admin.email)
    assert page.get_by_text("you must set up two-factor authentication").is_visible()
    scanned = page.locator("code.app-secret").inner_text()
    qr = page.locator("img.app-qr").get_attribute("src")
    page.reload()
    assert page.locator("code.app-secret").inner_text() == scanned
    assert page.locator("img.app-qr").get_attribute("src") == qr
    axe(page)
    screenshot(page, f"two-factor-{size}-after-reload")
    page.get_by_label("Code from your authenticator app").fill(totp_code_to_type(scanned))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    assert page.get_by_role("heading", name="Your recovery codes").is_visible()
    axe(page)
    screenshot(page, f"two-factor-{size}-recovery-codes")
    page.get_by_role("button", name="Continue").click()
    assert page.url == f"{live_server.url}/councils/example/people/"
    assert page.get_by_role("heading", name="People").is_visible()
