"""Journey: an editor imports the council's completed Word toolkit, corrects one row on
the check page, confirms, and lands on the task list with the right total; with
JavaScript on (axe-core on every page, at 1280 and 390 wide) and off. The officer's
part, from the upload page to the task list, is timed and printed (run with -s)."""

import time
from pathlib import Path

import pytest

from selfassess.assessments.models import Assessment, Change

from .conftest import PHONE, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "toolkit"
WIDE = {"width": 1280, "height": 900}


def checked(axe, page, js: bool) -> None:
    if js:
        axe(page)


def fill_upload(page, name: str) -> None:
    page.locator("input[type=file]").set_input_files(str(FIXTURES / name))
    page.get_by_label("Title").fill("Baseline 2024")
    page.get_by_label("Day").fill("12")
    page.get_by_label("Month").fill("6")
    page.get_by_label("Year").fill("2024")
    page.get_by_role("button", name="Upload and check").click()


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_editor_imports_a_word_toolkit(
    live_server, framework, council, editor, new_page, axe, screenshot, js
):
    mode = "js" if js else "nojs"
    page = new_page(js=js, viewport=WIDE)
    sign_in(page, live_server.url, "editor@example.org")
    page.get_by_role("button", name="Import a completed toolkit").click()
    assert page.get_by_role("heading", name="Import a completed toolkit").is_visible()
    checked(axe, page, js)
    screenshot(page, f"import-{mode}-upload-1280")

    # A mistake first: no file chosen.
    page.get_by_role("button", name="Upload and check").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.get_by_text("Select the completed toolkit file").first.is_visible()
    checked(axe, page, js)
    screenshot(page, f"import-{mode}-upload-error-1280")

    started = time.monotonic()
    fill_upload(page, "seed-002.docx")
    assert page.get_by_role("heading", name="Check what was read").is_visible()
    reading = time.monotonic() - started
    assert page.get_by_text("25 of 25 statements").is_visible()
    assert Assessment.objects.count() == 0  # nothing saved yet
    checked(axe, page, js)
    screenshot(page, f"import-{mode}-preview-1280")

    # Statement 1.3 was read as 0; the officer knows it is 1 and says so.
    started = time.monotonic()
    statement = page.locator("#statement-r1-3")
    statement.get_by_text("Correct statement 1.3").click()
    assert statement.get_by_label("0: Not addressed").is_checked()
    statement.get_by_label("1: Partial").check()
    page.get_by_role("button", name="Import as a draft assessment").click()
    assert page.get_by_text("29 / 50").is_visible()
    confirming = time.monotonic() - started
    assert page.get_by_text("You imported “Baseline 2024” from seed-002.docx as a draft.")
    checked(axe, page, js)
    screenshot(page, f"import-{mode}-task-list-1280")
    print(
        f"\nimport journey ({mode}): upload and read {reading:.1f} s, correct and confirm "
        f"{confirming:.1f} s, together {reading + confirming:.1f} s (axe and screenshots apart)"
    )

    assessment = Assessment.objects.get()
    assert assessment.responses.get(statement__ref="1.3").score == 1
    note = Change.objects.get(assessment=assessment, field=Change.Field.CREATED).note
    assert note.endswith("; 1 statement changed from what was read")


def test_import_pages_on_a_phone(live_server, framework, council, editor, new_page, axe,
                                 screenshot):  # fmt: skip
    """The upload, its error, and a check page with rows to check, at 390 wide."""
    page = new_page(viewport=PHONE)
    sign_in(page, live_server.url, "editor@example.org")
    page.goto(f"{live_server.url}/councils/{council.slug}/assessments/import/")
    axe(page)
    screenshot(page, "import-upload-390")
    page.locator("input[type=file]").set_input_files(str(FIXTURES / "corrupt.docx"))
    page.get_by_role("button", name="Upload and check").click()
    assert page.get_by_text("The file is damaged and cannot be opened.").first.is_visible()
    axe(page)
    screenshot(page, "import-upload-error-390")
    fill_upload(page, "doubtful.docx")
    assert page.get_by_role("heading", name="Check what was read").is_visible()
    assert page.locator(".govuk-notification-banner").is_visible()
    axe(page)
    screenshot(page, "import-preview-doubtful-390")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the check page scrolls sideways ({width} px)"
