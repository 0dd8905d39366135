"""The report page as an officer uses it: writing the covering summary and
recommendations (kept with their history, and never lost to someone else's save), and
choosing whether the councillors' comments go into the report and its downloads."""

import json

import pytest
from django.utils import timezone

from selfassess.audit.models import Action as AuditAction
from selfassess.audit.models import AuditEvent
from selfassess.interchange.json_format import import_assessment
from selfassess.reports.models import COVERING_MAX_LENGTH, CoveringChange, CoveringReport

from .paper import COMMENTS, committee_paper


@pytest.fixture
def scored(framework, council, seed002, editor, admin, viewer):
    return import_assessment(json.dumps(seed002), council=council).assessment


def url(assessment, tail: str = "") -> str:
    return f"/councils/example/assessments/{assessment.pk}/report/{tail}"


def save(client, assessment, summary: str, recommendations: str = "", version: int = 0):
    return client.post(
        url(assessment, "covering/"),
        {"summary": summary, "recommendations": recommendations, "version": str(version)},
    )


def test_an_editor_writes_the_covering_report_on_the_report_page(scored, login, editor):
    client = login(editor)
    page = client.get(url(scored)).content.decode()
    assert 'action="/councils/example/assessments/' in page and 'name="summary"' in page
    resp = save(client, scored, "The council scores 28 of 50.\r\nSecond line", "Note the plan")
    assert resp.status_code == 302 and resp["Location"] == url(scored) + "#covering"
    covering = CoveringReport.objects.get(assessment=scored)
    assert covering.summary == "The council scores 28 of 50.\nSecond line"
    assert covering.version == 1 and covering.updated_by == editor
    page = client.get(url(scored)).content.decode()
    assert '<section class="app-report__covering" id="covering">' in page
    assert "The council scores 28 of 50.\nSecond line" in page and "Note the plan" in page
    assert "History of the covering report" in page


def test_history_says_who_changed_what_and_when(scored, login, editor, second_editor, viewer):
    save(login(editor), scored, "First draft")
    save(login(second_editor), scored, "Second draft", "Endorse the plan", version=1)
    changes = list(CoveringChange.objects.filter(assessment=scored).order_by("id"))
    assert [(c.field, c.before, c.after, c.user) for c in changes] == [
        ("summary", "", "First draft", editor),
        ("summary", "First draft", "Second draft", second_editor),
        ("recommendations", "", "Endorse the plan", second_editor),
    ]
    page = login(viewer).get(url(scored, "covering/history/")).content.decode()
    assert page.count("Erin Editor") == 2 and page.count("Eddie Editor") == 1
    assert "Recommendations" in page and "Second draft" in page and "First draft" in page
    assert f"{timezone.localtime(changes[0].at):%-d %b %Y, %H:%M}" in page


def test_a_stale_save_is_refused_and_keeps_what_was_typed(scored, login, editor, second_editor):
    save(login(editor), scored, "Theirs, saved first")
    resp = save(login(second_editor), scored, "Mine, typed on a page opened at version 0")
    assert resp.status_code == 409
    page = resp.content.decode()
    assert "Someone else changed the covering report while you were editing" in page
    assert "Theirs, saved first" in page  # their version
    assert ">Mine, typed on a page opened at version 0</textarea>" in page  # yours
    assert 'name="version" value="1"' in page  # saving again replaces theirs, on purpose
    assert CoveringReport.objects.get(assessment=scored).summary == "Theirs, saved first"
    resp = save(login(second_editor), scored, "Mine, on purpose", version=1)
    assert resp.status_code == 302
    assert CoveringReport.objects.get(assessment=scored).summary == "Mine, on purpose"


def test_bad_input_changes_nothing(scored, login, editor):
    client = login(editor)
    resp = save(client, scored, "x" * (COVERING_MAX_LENGTH + 1))
    assert resp.status_code == 400
    assert (
        f"The summary must be {COVERING_MAX_LENGTH:,} characters or fewer" in resp.content.decode()
    )
    resp = client.post(url(scored, "covering/"), {"summary": "No version"})
    assert resp.status_code == 400 and "This page is out of date" in resp.content.decode()
    assert ">No version</textarea>" in resp.content.decode()
    assert not CoveringReport.objects.exists() and not CoveringChange.objects.exists()


def test_viewers_read_it_and_cannot_change_it(scored, login, editor, viewer):
    save(login(editor), scored, "Written by the editor")
    client = login(viewer)
    page = client.get(url(scored)).content.decode()
    assert "Written by the editor" in page and 'name="summary"' not in page
    assert save(client, scored, "Taken over", version=1).status_code == 403
    assert CoveringReport.objects.get(assessment=scored).summary == "Written by the editor"


def test_once_agreed_the_covering_report_is_read_only(
    framework, council, seed002, editor, admin, login
):
    assessment = committee_paper(council, seed002, editor, admin, complete=True)
    client = login(editor)
    page = client.get(url(assessment)).content.decode()
    assert 'name="summary"' not in page and "the assessment is complete" in page
    assert "Standards Committee, 12 March 2025, minute 34" in page
    resp = save(client, assessment, "Changed after the meeting", version=1)
    assert resp.status_code == 302
    assert CoveringReport.objects.get(assessment=assessment).version == 1


def test_comments_can_be_left_out_of_the_page_and_the_downloads(
    framework, council, seed002, editor, admin, login
):
    assessment = committee_paper(council, seed002, editor, admin, complete=False)
    client = login(editor)
    page = client.get(url(assessment)).content.decode()
    assert 'name="comments" type="radio" value="" checked' in page
    assert all(comment in page for comment in COMMENTS.values())
    assert f'href="{url(assessment, "download/pdf/")}"' in page

    page = client.get(url(assessment), {"comments": "leave-out"}).content.decode()
    assert 'value="leave-out" checked' in page
    assert not any(comment in page for comment in COMMENTS.values())
    assert "Councillors’ comments are left out of this report." in page
    assert f'href="{url(assessment, "download/docx/")}?comments=leave-out"' in page

    resp = client.get(url(assessment, "download/xlsx/"), {"comments": "leave-out"})
    assert resp.status_code == 200
    assert not any(comment.encode() in resp.content for comment in COMMENTS.values())
    client.get(url(assessment, "download/xlsx/"))
    client.get(url(assessment, "download/json/"), {"comments": "leave-out"})
    summaries = list(
        AuditEvent.objects.filter(action=AuditAction.DOWNLOADED)
        .order_by("id")
        .values_list("summary", flat=True)
    )
    assert summaries[:2] == [
        "Downloaded “Baseline 2024”: Excel workbook (.xlsx): scores, totals and the plan, "
        "councillors’ comments left out",
        "Downloaded “Baseline 2024”: Excel workbook (.xlsx): scores, totals and the plan, "
        "with the councillors’ comments",
    ]
    assert "comments" not in summaries[2]  # JSON carries no feedback: nothing to say


def test_the_choice_travels_with_the_comparison(framework, council, seed002, editor, admin, login):
    earlier = import_assessment(json.dumps(seed002), council=council).assessment
    assessment = committee_paper(council, seed002, editor, admin, complete=False)
    page = (
        login(editor)
        .get(url(assessment), {"since": earlier.pk, "comments": "leave-out"})
        .content.decode()
    )
    assert f"download/pdf/?since={earlier.pk}&amp;comments=leave-out" in page
    assert f"Change since {earlier.title}" in page
