"""Results and decisions that tell the truth, in a real browser, with axe-core at 1280
and 390 pixels wide on every page reached: sign-off refuses impossible dates, names what
is still to review and warns about scores with no evidence; every table that scrolls on a
phone is reachable by keyboard."""

import datetime
import json

import pytest
from django.utils import timezone

from selfassess.assessments import services
from selfassess.assessments.models import Assessment, Status
from selfassess.interchange.json_format import import_assessment
from selfassess.plans import services as plans
from selfassess.workspace.services import start_assessment

from .conftest import PHONE, WIDER_THAN_THE_WINDOW, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

WIDE = {"width": 1280, "height": 900}
SCROLLABLE = "scrollable-region-focusable"


def at_both_widths(page, axe, screenshot=None, name: str = "") -> None:
    """axe-core at 1280 and at 390 pixels wide, where tables scroll sideways; each
    table's scroll container is checked by its own rule too; and the page's reflow at
    320."""
    for width, size in (("1280", WIDE), ("390", PHONE)):
        page.set_viewport_size(size)
        axe(page)
        page.add_script_tag(path=str(axe_path()))
        result = page.evaluate(
            "rule => axe.run(document, {runOnly: {type: 'rule', values: [rule]}})", SCROLLABLE
        )
        assert result["violations"] == [], f"{page.url} at {width}px: {result['violations']}"
        if screenshot and name:
            screenshot(page, f"{name}-{width}")
    # Reflow at WCAG 1.4.10's own measure, 320 CSS pixels: still no sideways scrolling.
    page.set_viewport_size({"width": 320, "height": 640})
    wider = page.evaluate(WIDER_THAN_THE_WINDOW)
    assert not wider, f"{page.url} at 320px is wider than the window: {wider}"
    page.set_viewport_size(WIDE)


def axe_path():
    from .conftest import AXE

    return AXE


@pytest.fixture
def scored(framework, council, seed002, admin, editor):
    return import_assessment(json.dumps(seed002), council=council).assessment


def fill_date(page, day: datetime.date) -> None:
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))


def test_sign_off_tells_the_truth(live_server, scored, admin, new_page, axe, screenshot):
    page = new_page(viewport=WIDE)
    sign_in(page, live_server.url, admin.email)
    base = f"{live_server.url}/councils/example/assessments/{scored.pk}"
    page.goto(base + "/")
    hint = page.locator("#principle-1-hint")
    assert "Scored, no evidence: 1.2, 1.3, 1.4, 1.5" in hint.inner_text()
    assert page.get_by_text("8 statements scored, no evidence").is_visible()
    at_both_widths(page, axe, screenshot, "truth-task-list")
    page.goto(base + "/summary/")
    assert page.get_by_text("8 statements: 1.2, 1.3, 1.4, 1.5, 2.3, 3.5, 5.3, 5.4").is_visible()
    at_both_widths(page, axe, screenshot, "truth-summary")

    page.goto(base + "/")
    page.get_by_role("link", name="Mark as complete").click()
    warning = page.locator(".govuk-warning-text", has_text="scored, no evidence")
    assert "You can still mark the assessment as complete" in warning.inner_text()
    page.get_by_label("Who agreed the assessment").fill("Standards Committee")
    fill_date(page, datetime.date(2024, 6, 11))
    page.get_by_role("button", name="Mark as complete").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    message = (
        "The date it was agreed must be the same as or after the date of the assessment, "
        "12 June 2024"
    )
    assert summary.get_by_role("link", name=message).is_visible()
    at_both_widths(page, axe, screenshot, "truth-sign-off-too-early")
    summary.get_by_role("link", name=message).click()
    assert page.evaluate("document.activeElement.id") == "id_agreed_on_day"
    fill_date(page, timezone.localdate() + datetime.timedelta(days=1))
    page.get_by_role("button", name="Mark as complete").click()
    assert page.get_by_role(
        "link", name="The date it was agreed must be today or in the past"
    ).is_visible()
    assert Assessment.objects.get(pk=scored.pk).status == Status.DRAFT
    fill_date(page, datetime.date(2024, 6, 20))
    page.get_by_role("button", name="Mark as complete").click()
    assert page.get_by_text("Agreed by Standards Committee on 20 June 2024.").is_visible()
    assert Assessment.objects.get(pk=scored.pk).status == Status.COMPLETE


def test_statements_still_to_review_are_named_with_a_way_to_each(
    live_server, scored, admin, editor, new_page, axe, screenshot
):
    later = start_assessment(
        council=scored.council,
        user=editor,
        title="Review 2025",
        assessed_on=datetime.date(2025, 6, 1),
        previous=scored,
    ).assessment
    view_entries = [
        services.ResponseInput(
            ref=r.statement.ref,
            score=r.score,
            evidence=r.evidence,
            links=r.links,
            seen_version=r.version,
            confirmed=True,
        )
        for r in later.responses.select_related("statement").exclude(
            statement__ref__in=["2.1", "4.3"]
        )
    ]
    services.save_responses(assessment=later, user=editor, entries=view_entries)
    page = new_page(viewport=WIDE)
    sign_in(page, live_server.url, admin.email)
    page.goto(f"{live_server.url}/councils/example/assessments/{later.pk}/")
    section = page.locator("#to-review + p + ul")
    assert section.get_by_role("link").all_inner_texts() == ["Statement 2.1", "Statement 4.3"]
    at_both_widths(page, axe, screenshot, "truth-to-review")
    section.get_by_role("link", name="Statement 4.3").click()
    assert page.url.endswith("/principles/4/#statement-r4-3")
    block = page.locator("#statement-r4-3")
    assert block.get_by_text("Carried forward – review").is_visible()
    assert block.evaluate("e => e.getBoundingClientRect().top") < 200  # scrolled to it
    page.goto(f"{live_server.url}/councils/example/assessments/{later.pk}/sign-off/")
    assert page.get_by_role(
        "heading", name="Still marked “carried forward – review” (2)"
    ).is_visible()
    at_both_widths(page, axe)


def test_every_table_that_scrolls_on_a_phone_is_reachable_by_keyboard(
    live_server, scored, admin, editor, new_page, axe, screenshot
):
    action = plans.create_action(
        assessment=scored,
        user=editor,
        data=plans.ActionInput(
            title="Police single point of contact",
            description="Agree a named contact with the police for councillors.",
            lead="Monitoring Officer",
            partners="Police",
            target_date=datetime.date(2024, 9, 30),
            priority="high",
            status="not_started",
            refs=["4.2"],
        ),
    )
    plans.update_action(
        action=action,
        user=editor,
        data=plans.ActionInput(
            title="Police single point of contact",
            description="Agree a named contact with the police for councillors.",
            lead="Monitoring Officer",
            partners="Police",
            target_date=datetime.date(2024, 10, 31),
            priority="medium",
            status="in_progress",
            refs=["4.2"],
        ),
        seen_version=0,
    )
    services.save_responses(
        assessment=scored,
        user=editor,
        entries=[services.ResponseInput(ref="1.1", score=2, evidence="Training.", links=[])],
    )
    later = start_assessment(
        council=scored.council,
        user=editor,
        title="Review 2025",
        assessed_on=datetime.date(2025, 6, 1),
        previous=scored,
    ).assessment
    services.sign_off(
        assessment=scored,
        user=admin,
        agreed_by="Standards Committee",
        agreed_on=datetime.date(2024, 7, 1),
    )
    page = new_page(viewport=WIDE)
    sign_in(page, live_server.url, admin.email)
    council = f"{live_server.url}/councils/example"
    base = f"{council}/assessments/{scored.pk}"
    for path, name in (
        (f"{council}/", "truth-council"),
        (f"{base}/summary/", ""),
        (f"{base}/plan/", "truth-plan"),
        (f"{base}/plan/actions/{action.pk}/", "truth-action"),
        (f"{base}/principles/1/", "truth-principle-read"),
        (f"{base}/statements/1.1/history/", "truth-history"),
        (f"{council}/assessments/compare/?from={scored.pk}&to={later.pk}", "truth-compare"),
        (f"{council}/people/", ""),
        (f"{council}/audit/", ""),
        (f"{base}/report/", "truth-report"),
    ):
        page.goto(path)
        at_both_widths(page, axe, screenshot, name)
    # The history says the levels in words, never their stored codes.
    page.goto(f"{base}/statements/1.1/history/")
    cells = page.locator("main td").all_inner_texts()
    assert {"1: Partial", "2: Comprehensive"} <= set(cells) and not {"1", "2"} & set(cells)
    # The council page draws the trend chart, and names the draft as a draft.
    page.goto(f"{council}/")
    page.wait_for_function(
        "() => { const i = document.querySelector('img.app-chart');"
        " return i && i.complete && i.naturalWidth > 0 }"
    )
    assert "1 Jun 2025, draft, not yet agreed" in page.locator("main").inner_text()
    # A phone user tabs to a table, and the arrow keys scroll it.
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/summary/")
    grid = page.get_by_role("region", name="All statements at a glance, scrolls sideways")
    assert grid.evaluate("e => e.scrollWidth > e.clientWidth")
    grid.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.app-table-wrap[aria-label^=\"All statements\"]')"
        ".scrollLeft > 0"
    )
