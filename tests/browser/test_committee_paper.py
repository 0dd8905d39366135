"""The committee report in a real browser: an editor writes the covering summary and
recommendations on the report page, a colleague's stale save is refused with both
versions shown, and the councillors' comments are left out of the page and its
downloads. axe-core checks each page at desktop width, and the history at phone width
too."""

import io

import pytest
from openpyxl import load_workbook

from ..reports.paper import COMMENTS, committee_paper
from .conftest import PHONE, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def paper(framework, council, seed002, editor, second_editor, admin):
    return committee_paper(council, seed002, editor, admin, complete=False)


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_the_covering_report_and_the_comments_choice(
    live_server, paper, new_page, axe, screenshot, js
):
    report = f"{live_server.url}/councils/example/assessments/{paper.pk}/report/"
    mine = new_page(js=js)
    sign_in(mine, live_server.url, "editor@example.org")
    mine.goto(report)
    if js:
        axe(mine)
    mine.get_by_text("Change the covering summary and recommendations").click()
    mine.get_by_label("Covering summary").fill("Our summary for the March committee.")

    theirs = new_page(js=js)
    sign_in(theirs, live_server.url, "editor2@example.org")
    theirs.goto(report)
    theirs.get_by_text("Change the covering summary and recommendations").click()
    theirs.get_by_label("Recommendations").fill("That the committee endorses the plan.")
    theirs.get_by_role("button", name="Save covering report").click()
    assert "Covering report saved" in theirs.content()

    mine.get_by_role("button", name="Save covering report").click()
    assert "Someone else changed the covering report" in mine.content()
    assert "That the committee endorses the plan." in mine.inner_text("#their-version")
    assert mine.get_by_label("Covering summary").input_value() == (
        "Our summary for the March committee."
    )
    if js:
        axe(mine)
    screenshot(mine, f"report-covering-conflict-{'js' if js else 'nojs'}")
    mine.get_by_role("button", name="Save covering report").click()
    assert "Covering report saved" in mine.content()
    assert "Our summary for the March committee." in mine.inner_text(".app-report__covering")

    mine.get_by_label("Leave the comments out").check()
    mine.get_by_role("button", name="Update report").click()
    assert "comments=leave-out" in mine.url
    body = mine.inner_text(".app-report")
    assert "Councillors’ comments are left out of this report." in body
    assert not any(comment in body for comment in COMMENTS.values())
    with mine.expect_download() as info:
        mine.get_by_role("link", name="Excel workbook (.xlsx): scores, totals and the plan").click()
    workbook = load_workbook(io.BytesIO(info.value.path().read_bytes()))
    assert "Councillors’ comments" not in workbook.sheetnames
    if js:
        axe(mine)
    screenshot(mine, f"report-without-comments-{'js' if js else 'nojs'}")

    mine.get_by_role("link", name="History of the covering report").click()
    history = mine.inner_text("tbody")
    assert "Our summary for the March committee." in history
    assert "Erin Editor" in history and "Eddie Editor" in history
    if js:
        axe(mine)
        mine.set_viewport_size(PHONE)
        axe(mine)
        mine.goto(report)
        screenshot(mine, "report-phone")
