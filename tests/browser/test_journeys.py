"""The journeys people make, each a test, in a real browser, with axe-core run on every
page they reach. Journeys 1 and 4 run with JavaScript on and off."""

import datetime
import io
import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from docx import Document
from pypdf import PdfReader

from selfassess.assessments.models import Assessment, Status
from selfassess.councils.models import Membership, Role
from selfassess.feedback import services as feedback
from selfassess.feedback.models import SurveyResponse
from selfassess.plans.models import Action

from .conftest import PHONE, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def checked(axe, page, js: bool) -> None:
    """axe-core runs as a script in the page, so only where JavaScript is on; the same
    pages are checked in the JavaScript run of each journey."""
    if js:
        axe(page)


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_1_admin_scores_everything_and_signs_off(
    live_server, framework, council, admin, new_page, axe, screenshot, js
):
    page = new_page(js=js)
    sign_in(page, live_server.url, "admin@example.org", axe=axe if js else None)
    assert page.get_by_role("heading", name="Assessments").is_visible()
    checked(axe, page, js)

    page.get_by_role("link", name="People").first.click()
    checked(axe, page, js)
    page.get_by_label("Email address").fill("new.editor@example.org")
    page.get_by_label("Full name (optional)").fill("Nia Editor")
    page.get_by_label("Editor").check()
    page.get_by_role("button", name="Send invitation").click()
    assert page.get_by_text("We are emailing an invitation to new.editor@example.org").is_visible()
    checked(axe, page, js)
    # The new editor opens the emailed link in their own browser and sets a password.
    body = mail.outbox[-1].body
    link = next(line for line in body.splitlines() if "/invitations/" in line).strip()
    newcomer = new_page(js=js)
    newcomer.goto(live_server.url + urlparse(link).path)
    checked(axe, newcomer, js)
    screenshot(newcomer, f"journey1-{'js' if js else 'nojs'}-invitation")
    newcomer.get_by_label("Password", exact=True).fill("a different long password")
    newcomer.get_by_label("Password again").fill("a different long password")
    newcomer.get_by_role("button", name="Accept and set password").click()
    assert newcomer.get_by_text("You have joined Example District Council as editor").is_visible()
    assert Membership.objects.get(user__email="new.editor@example.org").role == Role.EDITOR

    page.get_by_role("link", name="Assessments").first.click()
    page.get_by_role("button", name="Start a new assessment").click()
    checked(axe, page, js)
    page.get_by_label("Title").fill("Baseline 2024")
    page.get_by_label("Day").fill("12")
    page.get_by_label("Month").fill("6")
    page.get_by_label("Year").fill("2024")
    page.get_by_role("button", name="Start assessment").click()
    checked(axe, page, js)

    page.get_by_role("link", name="1. Creating supportive and informed spaces").click()
    for number in range(1, 6):
        if number == 1:
            checked(axe, page, js)
            screenshot(page, f"journey1-{'js' if js else 'nojs'}-principle-1")
        for position in range(1, 6):
            block = page.locator(f"#statement-r{number}-{position}")
            block.get_by_label("2: Comprehensive").check()
            block.get_by_label(f"Evidence for statement {number}.{position}").fill(
                f"Evidence for {number}.{position}: policy adopted & reviewed <annually>."
            )
        name = (
            f"Save and continue to principle {number + 1}"
            if number < 5
            else ("Save and return to the task list")
        )
        page.get_by_role("button", name=name).click()
    assert page.get_by_text("50 / 50").is_visible()
    checked(axe, page, js)
    screenshot(page, f"journey1-{'js' if js else 'nojs'}-task-list")

    page.get_by_role("link", name="Mark as complete").click()
    checked(axe, page, js)
    page.get_by_label("Who agreed the assessment").fill("Standards Committee")
    page.get_by_label("Day").fill("20")
    page.get_by_label("Month").fill("6")
    page.get_by_label("Year").fill("2024")
    page.get_by_role("button", name="Mark as complete").click()
    assert page.get_by_text("Agreed by Standards Committee on 20 June 2024.").is_visible()
    checked(axe, page, js)
    assessment = Assessment.objects.get()
    assert assessment.status == Status.COMPLETE
    assert assessment.responses.filter(score=2).count() == 25


@pytest.fixture
def scored(framework, council, seed002):
    import json

    from selfassess.interchange.json_format import import_assessment

    return import_assessment(json.dumps(seed002), council=council).assessment


def test_2_editor_builds_the_forward_plan(live_server, scored, editor, new_page, axe, screenshot):
    page = new_page()
    sign_in(page, live_server.url, "editor@example.org")
    page.goto(f"{live_server.url}/councils/example/assessments/{scored.pk}/plan/")
    axe(page)
    page.get_by_role("link", name=re.compile(r"Review \d+ suggested actions")).click()
    axe(page)
    screenshot(page, "journey2-suggestions")
    page.get_by_label("Decide what the council will put in place for statement 2.1").check()
    page.get_by_role("button", name="Add selected actions to the plan").click()
    axe(page)
    page.get_by_role(
        "link", name="Decide what the council will put in place for statement 2.1"
    ).click()
    page.get_by_role("link", name="Change action").click()
    axe(page)
    page.get_by_label("Lead (optional)").fill("Monitoring Officer")
    page.get_by_label("Partners (optional)").fill("Kent Police")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2030")
    page.get_by_role("button", name="Save changes").click()
    axe(page)
    page.get_by_role("link", name="Change action").click()
    page.get_by_label("Complete").check()
    page.get_by_role("button", name="Save changes").click()
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("2030")
    page.get_by_label("What has happened").fill("Guidance published on the members' intranet.")
    page.get_by_role("button", name="Add update").click()
    assert page.get_by_text("Guidance published on the members' intranet.").first.is_visible()
    axe(page)
    screenshot(page, "journey2-action")
    page.get_by_role("link", name="Back to the forward plan").click()
    assert page.get_by_text("1 complete").is_visible()
    axe(page)
    action = Action.objects.get()
    assert (action.lead, action.status, action.target_date) == (
        "Monitoring Officer",
        "complete",
        datetime.date(2030, 3, 31),
    )


def test_3_every_report_downloads_and_opens(live_server, scored, viewer, new_page, axe):
    page = new_page()
    sign_in(page, live_server.url, "viewer@example.org")
    page.goto(f"{live_server.url}/councils/example/assessments/{scored.pk}/report/")
    axe(page)
    files = {}
    for label in (
        "Word document",
        "PDF",
        "Excel workbook",
        "Scores as CSV",
        "Forward plan as CSV",
        "Data for another system",
    ):
        with page.expect_download() as info:
            page.get_by_role("link", name=re.compile(label)).first.click()
        download = info.value
        files[label] = (download.suggested_filename, download.path().read_bytes())
    name, docx = files["Word document"]
    assert name == "example-district-council-baseline-2024-2024-06-12.docx"
    text = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    assert "Total score 9 / 10" in text and "Overall score 28 / 50" in text
    pdf = PdfReader(io.BytesIO(files["PDF"][1]))
    assert "28 / 50" in " ".join(p.extract_text() for p in pdf.pages)
    assert files["Scores as CSV"][1].startswith(b"\xef\xbb\xbf")
    assert files["Excel workbook"][1][:2] == b"PK"


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_4_councillor_answers_on_a_phone(
    live_server, scored, admin, smtp, settings, new_page, axe, screenshot, js
):
    settings.SITE_URL = live_server.url
    today = datetime.date.today()
    round_ = feedback.open_round(
        assessment=scored,
        user=admin,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=14),
        introduction="",
        shared_link=False,
    )
    feedback.add_invitations(
        round_=round_, people=[feedback.Invitee("Cllr Jo Bloggs", "jo@example.gov.uk")]
    )
    feedback.send_invitations(round_=round_)
    link = smtp.link(smtp.to("jo@example.gov.uk")[0])
    tag = "js" if js else "nojs"

    page = new_page(js=js, viewport=PHONE)
    page.goto(f"{live_server.url}{link}")
    checked(axe, page, js)
    screenshot(page, f"journey4-{tag}-start")
    page.get_by_role("button", name="Start now").click()
    for number in range(1, 6):
        if number == 1:
            checked(axe, page, js)
        for position in range(1, 6):
            # "Partly" (the second option) mostly, "Don't know" (the fourth) now and then
            option = 1 if (number + position) % 3 else 3
            page.locator(f'[id="id_s{number}.{position}_{option}"]').check()
        if number == 1:
            page.get_by_label(re.compile("Is there anything you want to tell the council")).fill(
                "I was not told who to contact."
            )
            screenshot(page, f"journey4-{tag}-page-1")
        page.get_by_role("button", name="Save and continue").click()
    checked(axe, page, js)
    page.get_by_label("Several times").check()
    page.get_by_label("Online or on social media").check()
    screenshot(page, f"journey4-{tag}-experience")
    page.get_by_role("button", name="Save and continue").click()
    checked(axe, page, js)
    page.get_by_role("button", name="Send my answers").click()
    assert page.get_by_role("heading", name="Answers sent").is_visible()
    checked(axe, page, js)
    screenshot(page, f"journey4-{tag}-done")
    page.goto(f"{live_server.url}{link}")
    assert page.get_by_role(
        "heading", name="You have already sent your answers. Thank you."
    ).is_visible()
    checked(axe, page, js)
    (response,) = SurveyResponse.objects.all()
    assert (
        response.answers["statements"]["1.1"] == 1 and response.answers["statements"]["1.2"] is None
    )
    assert response.answers["experience"]["where"] == ["Online or on social media"]


def test_5_viewer_reads_and_cannot_change(live_server, scored, viewer, editor, new_page, axe):
    from selfassess.plans import services as plans

    plans.create_action(
        assessment=scored,
        user=editor,
        data=plans.ActionInput(
            title="Police liaison",
            description="",
            lead="Chief Executive",
            partners="",
            target_date=None,
            priority="high",
            status="not_started",
            refs=["4.2"],
        ),
    )
    page = new_page()
    sign_in(page, live_server.url, "viewer@example.org")
    base = f"{live_server.url}/councils/example/assessments/{scored.pk}"
    for path in (
        "/",
        "/summary/",
        "/plan/",
        "/plan/suggestions/",
        "/principles/4/",
        f"/plan/actions/{Action.objects.get().pk}/",
        "/report/",
    ):
        page.goto(base + path)
        axe(page)
        forms = page.locator('form[method="post"]').count()
        assert forms == 0, f"{path} offers a viewer {forms} way(s) to change something"
        for name in ("Save", "Add an action", "Change action", "Mark as complete", "Add to plan"):
            assert page.get_by_role("button", name=name).count() == 0, (path, name)
    page.goto(f"{live_server.url}/accessibility/")
    axe(page)


def test_6_keyboard_only(live_server, framework, council, editor, new_page, screenshot):
    from selfassess.assessments import services

    assessment = services.create_assessment(
        council=council, user=editor, title="Baseline", assessed_on=datetime.date(2024, 6, 1)
    )
    page = new_page()
    sign_in(page, live_server.url, "editor@example.org")
    page.goto(f"{live_server.url}/councils/example/assessments/{assessment.pk}/principles/1/")

    def tab_to(selector: str, limit: int = 120) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("s => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to('input[name="r1-1-score"]')  # Tab lands on the checked radio, "Not scored yet"
    page.keyboard.press("ArrowDown")  # arrow keys move through the group, wrapping round
    page.keyboard.press("ArrowDown")
    assert page.locator("#id_r1-1-score_1").is_checked()
    focus_ring = page.evaluate(
        "() => getComputedStyle("
        "document.querySelector('label[for=id_r1-1-score_1]'), '::before').boxShadow"
    )
    assert "255, 221, 0" in focus_ring or "rgb(255, 221, 0)" in focus_ring  # the yellow focus state
    tab_to("#id_r1-1-evidence")
    page.keyboard.type("Typed with the keyboard only.")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineColor")
    assert outline in ("rgb(255, 221, 0)", "rgb(11, 12, 12)")
    tab_to("#id_r1-1-links")
    page.keyboard.type("not a web address")
    tab_to("button[name=continue]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # GOV.UK Frontend moves focus to the error summary once the page has loaded
    page.wait_for_function("document.activeElement.classList.contains('govuk-error-summary')")
    screenshot(page, "journey6-error-summary-focused")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "id_r1-1-links"
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    tab_to("button[name=continue]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", name="Creating a risk-led approach").is_visible()
    saved = assessment.responses.get(statement__ref="1.1")
    assert (saved.score, saved.evidence) == (1, "Typed with the keyboard only.")


def test_7_new_admin_sets_up_two_factor_and_reads_the_audit_log(
    live_server, framework, council, admin, new_page, axe, screenshot
):
    from allauth.mfa.models import Authenticator

    from ..conftest import totp_code_to_type

    Authenticator.objects.filter(user=admin).delete()  # as before they set it up
    page = new_page(viewport=PHONE)
    sign_in(page, live_server.url, "admin@example.org")
    # Whatever they asked for, an admin without two-factor authentication is sent to set it up.
    page.goto(f"{live_server.url}/councils/example/people/")
    assert page.get_by_text("you must set up two-factor authentication").is_visible()
    axe(page)
    screenshot(page, "journey7-set-up-two-factor")
    secret = page.locator("code.app-secret").inner_text()
    page.get_by_label("Code from your authenticator app").fill(totp_code_to_type(secret))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    assert page.get_by_role("heading", name="Your recovery codes").is_visible()
    axe(page)
    assert page.locator(".app-codes li").count() == 10
    page.goto(f"{live_server.url}/account/")
    assert page.get_by_text("On", exact=True).is_visible()
    axe(page)
    screenshot(page, "journey7-account")
    page.goto(f"{live_server.url}/councils/example/audit/")
    axe(page)
    screenshot(page, "journey7-audit-log")
    assert page.get_by_text("Turned on two-factor authentication (authenticator app)").is_visible()
    assert page.get_by_role("cell", name="Signed in", exact=True).first.is_visible()
