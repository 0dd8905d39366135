"""The pages the queue brought, in a real browser at 1280 and 390 wide, with axe-core on
each: a round's page with its invitations queued, sent and failed (and the refresh note),
closing a round early, "Your work", reminders on the account page, the report's
"preparing" page, and the staff's queue page."""

import datetime
import json

import pytest

from selfassess.background.models import Email, TaskRun
from selfassess.feedback import services as feedback
from selfassess.feedback.models import Ballot
from selfassess.interchange.json_format import import_assessment
from selfassess.plans import services as plans

from .conftest import DESKTOP, PHONE, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scored(framework, council, seed002, admin, editor, viewer):
    return import_assessment(json.dumps(seed002), council=council, user=editor).assessment


@pytest.fixture
def world(scored, admin, editor):
    today = datetime.date.today()
    round_ = feedback.open_round(
        assessment=scored, user=editor, opens_on=today,
        closes_on=today + datetime.timedelta(days=14), introduction="", shared_link=True,
    )  # fmt: skip
    feedback.add_invitations(
        round_=round_,
        people=[
            feedback.Invitee("Cllr Sam Ng", "sam@example.org"),
            feedback.Invitee("Cllr Jo Bloggs", "jo@example.org"),
            feedback.Invitee("Cllr Lee Park", "lee@example.org"),
        ],
    )
    feedback.send_invitations(round_=round_)  # delivered at once (immediate mode), then:
    Ballot.objects.filter(email="jo@example.org").update(invitation=None)
    Email.objects.filter(to="lee@example.org").update(
        status="failed", last_error="The mail server refused the address: 550 No such mailbox"
    )
    Email.objects.filter(to="sam@example.org").update(
        status="queued", attempts=1, last_error="The mail server could not be reached"
    )
    plans.create_action(
        assessment=scored, user=editor,
        data=plans.ActionInput(
            title="Name a police contact for councillors", description="", lead="", partners="",
            target_date=today - datetime.timedelta(days=3), priority="high",
            status="not_started", refs=["4.1"], owner_id=editor.pk,
        ),
    )  # fmt: skip
    TaskRun.objects.create(
        task_id="t-1", name="selfassess.reports.tasks.render_pdf", args=[1, None, True, "0"],
        state="failed", error="DoesNotExist: Assessment matching query does not exist.",
        started_at=datetime.datetime.now(datetime.UTC),
    )  # fmt: skip
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    return {"round": round_, "assessment": scored}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_the_queues_pages(live_server, world, new_page, axe, screenshot, viewport, settings):
    width = viewport["width"]
    page = new_page(viewport=viewport)
    sign_in(page, live_server.url, "editor@example.org")
    a, r = world["assessment"], world["round"]
    round_url = f"{live_server.url}/councils/example/assessments/{a.pk}/feedback/{r.pk}/"
    page.goto(round_url)
    axe(page)
    screenshot(page, f"queue-{width}-round")
    body = page.locator("main").inner_text()
    assert "Emails are being sent: this page checks every 10 seconds" in body
    assert "Failed" in body and "No such mailbox" in body and "Queued" in body
    assert "Answered" not in body  # counts, never who
    # With JavaScript the table is replaced in place (nothing reloads); once every email
    # has gone or failed, the checking stops and says so.
    Email.objects.filter(to="sam@example.org").update(
        status="sent", sent_at=datetime.datetime.now(datetime.UTC)
    )
    page.wait_for_function(
        "document.querySelectorAll('#invitations .govuk-tag--green').length === 1",
        timeout=20_000,
    )
    assert page.locator("#invitations [role=status]").inner_text() == (
        "Every email has been sent or has failed."
    )
    assert page.locator('meta[http-equiv="refresh"]').count() == 0  # only in <noscript>

    page.get_by_role("link", name="Close the round now").click()
    axe(page)
    screenshot(page, f"queue-{width}-close")
    page.get_by_role("link", name="No, keep it open").click()
    assert page.url == round_url

    page.goto(f"{live_server.url}/your-work/")
    axe(page)
    screenshot(page, f"queue-{width}-your-work")
    body = page.locator("main").inner_text()
    assert "Name a police contact for councillors" in body and "Overdue" in body

    page.goto(f"{live_server.url}/account/")
    axe(page)
    page.get_by_label("Send me reminders and digests by email").uncheck()
    page.locator("#emails ~ form").get_by_role("button", name="Save").click()
    assert "You will not get reminders or digests by email" in page.locator("main").inner_text()

    staff = new_page(viewport=viewport)
    sign_in(staff, live_server.url, "admin@example.org")
    staff.goto(f"{live_server.url}/queue/")
    axe(staff)
    screenshot(staff, f"queue-{width}-staff")
    body = staff.locator("main").inner_text()
    assert "No queue consumer has checked in yet" in body
    assert "No such mailbox" in body and "DoesNotExist" in body


def test_the_preparing_page(live_server, scored, viewer, new_page, axe, screenshot):
    """With no consumer, a PDF download that is not stored yet shows a page that says so
    and refreshes itself."""
    from huey.contrib.djhuey import HUEY
    from huey.storage import BlackHoleStorage

    saved, HUEY.immediate = HUEY.storage, False
    HUEY.storage = BlackHoleStorage("nowhere")  # the render waits for a consumer for ever
    try:
        page = new_page()
        sign_in(page, live_server.url, "viewer@example.org")
        page.goto(f"{live_server.url}/councils/example/assessments/{scored.pk}/report/download/pdf/")
        axe(page)
        screenshot(page, "queue-1280-preparing")
        assert page.get_by_role("heading", name="Preparing your report").is_visible()
        # Without JavaScript the page reloads itself every 3 seconds.
        quiet = new_page(js=False)
        sign_in(quiet, live_server.url, "viewer@example.org")
        quiet.goto(f"{live_server.url}/councils/example/assessments/{scored.pk}/report/download/pdf/")
        html = quiet.content()
        assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    finally:
        HUEY.storage, HUEY.immediate = saved, True
