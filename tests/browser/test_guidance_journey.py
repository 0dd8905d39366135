"""An officer learns what good looks like and builds the plan from the toolkit's
suggestions, in a real browser: on a desktop and a phone with axe-core on every page, and
on a desktop with JavaScript off (the details element and every form work without it).

Seed 002's scores on the toolkit version with guidance. The officer opens principle 2,
opens "What good looks like" for statement 2.1, goes to the suggested actions, adds two at
once, edits one before adding it, dismisses one with a reason after confirming, and finds
the reason in the forward plan and the committee report."""

import datetime
import json
import re

import pytest

from selfassess.assessments.selectors import assessment_view
from selfassess.interchange.json_format import import_assessment
from selfassess.plans import selectors
from selfassess.plans.models import Action, DismissedSuggestion

from .conftest import PHONE, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

WIDE = {"width": 1280, "height": 900}
REASON = "Our member development plan already covers this; see the HR plan for 2025."


@pytest.fixture
def guided(framework, council, seed002, editor):
    data = seed002 | {"framework": {"id": framework.slug, "version": framework.version}}
    return import_assessment(json.dumps(data), council=council).assessment


def first_suggestion(assessment, ref: str, n: int = 0) -> selectors.Suggestion:
    view = assessment_view(assessment)
    return [s for s in selectors.suggestions(view, set(), set()) if s.statement.ref == ref][n]


@pytest.mark.parametrize(
    ("viewport", "js"),
    [(WIDE, True), (PHONE, True), (WIDE, False)],
    ids=["1280-js", "390-js", "1280-no-js"],
)
def test_officer_reads_the_guidance_and_builds_the_plan_from_suggestions(
    live_server, guided, editor, new_page, axe, screenshot, viewport, js
):
    tag = f"{viewport['width']}-{'js' if js else 'nojs'}"

    def check(name: str) -> None:
        if js:  # axe-core runs as a script in the page
            axe(page)
        screenshot(page, f"guidance-{tag}-{name}")

    add_21, add_42 = first_suggestion(guided, "2.1"), first_suggestion(guided, "4.2")
    edit_53 = first_suggestion(guided, "5.3")
    dismiss_13, keep_13 = first_suggestion(guided, "1.3"), first_suggestion(guided, "1.3", 1)

    page = new_page(js=js, viewport=viewport)
    sign_in(page, live_server.url, "editor@example.org")
    base = f"{live_server.url}/councils/example/assessments/{guided.pk}"

    # What good looks like, closed until opened.
    page.goto(f"{base}/principles/2/")
    partial = page.get_by_text(guided.framework.statements.get(ref="2.1").guidance["partial"])
    assert not partial.is_visible()
    check("principle-2")
    page.get_by_text("What good looks like", exact=False).first.click()
    assert partial.is_visible()
    assert page.get_by_text("Evidence a committee would accept").first.is_visible()
    check("principle-2-open")

    # Suggestions: two added at once.
    page.goto(f"{base}/plan/")
    page.get_by_role("link", name=re.compile(r"Review \d+ suggested actions")).click()
    assert page.get_by_role("heading", name="Suggested actions").is_visible()
    check("suggestions")
    page.get_by_role("button", name="Add selected actions to the plan").click()
    assert page.locator(".govuk-error-summary").get_by_text(
        "Select at least one suggested action to add"
    ).is_visible()
    check("suggestions-error")
    page.get_by_label(add_21.title, exact=True).check()
    page.get_by_label(add_42.title, exact=True).check()
    page.get_by_role("button", name="Add selected actions to the plan").click()
    assert page.get_by_text("Added 2 actions to the plan").is_visible()
    assert page.get_by_role("link", name=add_21.title).is_visible()
    assert page.get_by_role("link", name=add_42.title).is_visible()
    check("plan-after-adding-two")

    # One edited before it is added.
    page.goto(f"{base}/plan/suggestions/")
    page.get_by_role("link", name=f"Edit, then add “{edit_53.title}”").click()
    assert page.get_by_label("Title").input_value() == edit_53.title
    assert page.get_by_label("Lead (optional)").input_value() == edit_53.lead
    check("edit-then-add")
    page.get_by_label("Title").fill("Agree a safety plan for the May elections")
    page.get_by_label("Lead (optional)").fill("Electoral Services Manager")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Add to plan").click()
    assert page.get_by_text("Added “Agree a safety plan for the May elections”").is_visible()

    # One dismissed, with a reason, after confirming.
    page.goto(f"{base}/plan/suggestions/")
    page.get_by_role("link", name=f"Dismiss “{dismiss_13.title}”").click()
    assert page.get_by_role(
        "heading", name="Are you sure you want to dismiss this suggested action?"
    ).is_visible()
    assert not DismissedSuggestion.objects.exists()
    check("dismiss-confirm")
    page.get_by_label("Why is it not for this plan? (optional)").fill(REASON)
    page.get_by_role("button", name="Yes, dismiss it").click()
    assert page.get_by_text(f"Dismissed “{dismiss_13.title}”").first.is_visible()
    assert page.get_by_label(keep_13.title, exact=True).is_visible()  # its sibling stays
    check("suggestions-after")

    page.goto(f"{base}/plan/")
    dismissed = page.locator("#dismissed ~ ul")
    assert dismissed.get_by_text(dismiss_13.title).is_visible()
    assert dismissed.get_by_text(REASON).is_visible()
    check("plan")
    page.goto(f"{base}/report/")
    section = page.locator(".app-report__dismissed")
    assert section.get_by_text(dismiss_13.title).is_visible()
    assert section.get_by_text(REASON).is_visible()
    check("report")

    actions = {a.title: a for a in Action.objects.all()}
    assert set(actions) == {add_21.title, add_42.title, "Agree a safety plan for the May elections"}
    assert actions[add_21.title].lead == add_21.lead
    edited = actions["Agree a safety plan for the May elections"]
    assert (edited.lead, edited.target_date) == (
        "Electoral Services Manager",
        datetime.date(2026, 3, 31),
    )
    assert [s.ref for s in edited.statements.all()] == ["5.3"]
    (d,) = DismissedSuggestion.objects.all()
    assert (d.key, d.reason, d.user) == (dismiss_13.key, REASON, editor)
