"""The core journey in a real browser with JavaScript switched off: sign in, start an
assessment, score a principle, see the totals, and meet a validation error."""

import pytest

from selfassess.assessments.models import Assessment, Response

pytestmark = pytest.mark.django_db(transaction=True)


def test_score_a_principle_without_javascript(
    browser, live_server, framework, council, editor, screenshot
):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1200, "height": 900}
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill("editor@example.org")
    page.get_by_label("Password").fill("a long test password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", name="Assessments").is_visible()

    page.get_by_role("button", name="Start a new assessment").click()
    page.get_by_role("button", name="Start assessment").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.get_by_text("Enter a title, for example Baseline 2024").first.is_visible()
    screenshot(page, "no-js-start-errors")

    page.get_by_label("Title").fill("Baseline 2024")
    page.get_by_label("Day").fill("12")
    page.get_by_label("Month").fill("6")
    page.get_by_label("Year").fill("2024")
    page.get_by_role("button", name="Start assessment").click()
    assert page.get_by_role("heading", name="Baseline 2024").is_visible()
    assert page.get_by_text("0 / 50").is_visible()
    screenshot(page, "no-js-task-list-new")

    page.get_by_role("link", name="1. Creating supportive and informed spaces").click()
    for ref, label in [
        ("1-1", "1: Partial"),
        ("1-2", "2: Comprehensive"),
        ("1-3", "0: Not addressed"),
    ]:
        page.locator(f"#statement-r{ref}").get_by_label(label).check()
    page.get_by_label("Evidence for statement 1.1").fill(
        "E-learning modules on harassment.\nSecond line & <more>"
    )
    page.get_by_role("button", name="Save and continue to principle 2").click()
    assert page.get_by_role("heading", name="Creating a risk-led approach").is_visible()

    page.get_by_label("Links to evidence documents for statement 2.1 (optional)").fill(
        "not a web address"
    )
    page.get_by_role("button", name="Save and continue to principle 3").click()
    assert page.locator(".govuk-error-summary").is_visible()
    screenshot(page, "no-js-principle-error")
    page.locator(".govuk-error-summary a").first.click()
    assert page.url.endswith("#id_r2-1-links")

    page.goto(f"{live_server.url}/councils/example/")
    page.get_by_role("link", name="Baseline 2024").click()
    assert page.get_by_text("3 / 50").is_visible()
    assert page.get_by_text("Score 3 / 10, 2 unscored").is_visible()
    screenshot(page, "no-js-task-list-scored")

    assessment = Assessment.objects.get()
    saved = Response.objects.get(assessment=assessment, statement__ref="1.1")
    assert saved.score == 1
    assert saved.evidence == "E-learning modules on harassment.\nSecond line & <more>"
    context.close()
