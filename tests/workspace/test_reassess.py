"""The annual cycle: carrying an assessment forward, new toolkit versions, comparing two
assessments, the trend, the review date, and "Change since" in the reports."""

import copy
import datetime
import io
import json

import pytest
import yaml
from docx import Document

from selfassess.assessments.compare import compare
from selfassess.assessments.models import Change, Response
from selfassess.assessments.selectors import assessment_view
from selfassess.frameworks.loader import BUNDLED_FRAMEWORK, load_framework
from selfassess.interchange.json_format import import_assessment
from selfassess.plans import services as plans
from selfassess.plans.models import Action, PlanChange
from selfassess.reports.context import report_data
from selfassess.reports.formats import FORMATS
from selfassess.workspace.services import start_assessment
from tests.assessments.helpers import principle_post, url

LATER = {
    "1.1": 2, "1.2": 1, "1.3": 1, "1.4": 1, "1.5": 0,
    "2.1": 1, "2.2": 1, "2.3": 1, "2.4": 2, "2.5": 1,
    "3.1": 2, "3.2": 1, "3.3": 2, "3.4": 2, "3.5": 1,
    "4.1": 2, "4.2": 2, "4.3": 2, "4.4": 1, "4.5": 2,
    "5.1": 1, "5.2": 2, "5.3": None, "5.4": 2, "5.5": 2,
}  # fmt: skip


@pytest.fixture
def baseline(framework, council, seed002, editor, admin):
    a = import_assessment(json.dumps(seed002), council=council).assessment
    for title, refs, status in [
        ("Councillor safety page", ["3.3"], "in_progress"),
        ("Risk assessment guidance", ["2.1", "2.2"], "not_started"),
        ("Member/officer protocol", ["5.1"], "complete"),
        ("Wellbeing survey", ["1.5"], "deferred"),
    ]:
        plans.create_action(
            assessment=a,
            user=editor,
            data=plans.ActionInput(
                title=title,
                description="",
                lead="Monitoring Officer",
                partners="",
                target_date=datetime.date(2025, 3, 31),
                priority="high",
                status=status,
                refs=refs,
            ),
        )
    return a


def later_from(baseline, editor, scores=LATER):
    data = copy.deepcopy({"responses": [{"ref": r, "score": s} for r, s in scores.items()]})
    result = start_assessment(
        council=baseline.council,
        previous=baseline, user=editor, title="Review 2025", assessed_on=datetime.date(2025, 6, 1)
    )
    for item in data["responses"]:
        Response.objects.filter(assessment=result.assessment, statement__ref=item["ref"]).update(
            score=item["score"], needs_review=False
        )
    return result.assessment


def test_carrying_forward_copies_flags_and_carries_open_actions(baseline, editor):
    result = start_assessment(
        council=baseline.council,
        previous=baseline, user=editor, title="Review 2025", assessed_on=datetime.date(2025, 6, 1)
    )
    new = result.assessment
    assert new.previous == baseline and new.council == baseline.council
    old = {r.statement.ref: r for r in baseline.responses.select_related("statement")}
    for r in new.responses.select_related("statement"):
        assert (r.score, r.evidence) == (old[r.statement.ref].score, old[r.statement.ref].evidence)
        assert r.needs_review
    view = assessment_view(new)
    assert view.to_review == 25 and [p.to_review for p in view.principles] == [5] * 5
    assert view.totals.total == 28

    carried = list(Action.objects.filter(assessment=new).order_by("pk"))
    assert [a.title for a in carried] == ["Councillor safety page", "Risk assessment guidance"]
    assert all(a.carried_from.assessment == baseline for a in carried)
    assert [s.ref for s in carried[1].statements.all()] == ["2.1", "2.2"]
    assert Action.objects.filter(assessment=baseline).count() == 4  # the old plan is intact
    assert result.actions_carried == 2
    notes = set(PlanChange.objects.filter(field="carried").values_list("note", flat=True))
    assert notes == {"Carried forward from “Baseline 2024”", "Carried forward to “Review 2025”"}


def test_review_by_confirming_or_changing(baseline, editor, login, admin):
    new = start_assessment(
        council=baseline.council,
        previous=baseline, user=editor, title="Review 2025", assessed_on=datetime.date(2025, 6, 1)
    ).assessment
    client = login(editor)
    page = client.get(url(new)).content.decode()
    assert "25 statements carried forward from “Baseline 2024” need review" in page
    form = client.get(url(new, "principles/1/")).content.decode()
    assert form.count("Carried forward – review") == 5
    data = principle_post(new, 1, {"1.2": {"score": 2}}) | {"r1-1-confirm": "on"}
    assert client.post(url(new, "principles/1/"), data).status_code == 302
    flags = dict(new.responses.values_list("statement__ref", "needs_review"))
    assert (flags["1.1"], flags["1.2"], flags["1.3"]) == (False, False, True)
    assert Response.objects.get(assessment=new, statement__ref="1.1").score == 1  # unchanged
    reviewed = Change.objects.filter(assessment=new, field="reviewed")
    assert sorted(reviewed.values_list("after", flat=True)) == ["changed", "confirmed"]
    assert "23 statements carried forward" in client.get(url(new)).content.decode()
    signoff = {
        "agreed_by": "Standards Committee",
        "agreed_on_day": "1",
        "agreed_on_month": "7",
        "agreed_on_year": "2025",
    }
    resp = login(admin).post(url(new, "sign-off/"), signoff)
    assert resp.status_code == 400 and "23 still to review" in resp.content.decode()


def test_start_from_an_earlier_assessment_in_the_browser_form(baseline, login, editor):
    client = login(editor)
    page = client.get("/councils/example/assessments/new/").content.decode()
    assert f'value="{baseline.pk}" checked' in page and "Start blank" in page
    resp = client.post(
        "/councils/example/assessments/new/",
        {
            "title": "Review 2025",
            "assessed_on_day": "1",
            "assessed_on_month": "6",
            "assessed_on_year": "2025",
            "previous": str(baseline.pk),
        },
    )
    assert resp.status_code == 302
    new = baseline.council.assessments.get(title="Review 2025")
    assert new.previous == baseline and new.responses.filter(needs_review=True).count() == 25
    bogus = client.post(
        "/councils/example/assessments/new/",
        {
            "title": "X",
            "assessed_on_day": "1",
            "assessed_on_month": "6",
            "assessed_on_year": "2025",
            "previous": "999999",
        },
    )
    assert bogus.status_code == 400
    assert "Select an earlier assessment of this council" in bogus.content.decode()


def test_new_toolkit_version_matches_by_ref(baseline, editor, tmp_path, login):
    data = yaml.safe_load(BUNDLED_FRAMEWORK.read_text(encoding="utf-8"))
    data["version"] = "2026-01"
    data["principles"][1]["statements"].pop()  # 2.5 removed
    data["principles"][2]["statements"].append({"ref": "3.6", "text": "A new statement."})
    path = tmp_path / "v2.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    new_fw = load_framework(path).framework
    plans.create_action(
        assessment=baseline,
        user=editor,
        data=plans.ActionInput(
            title="Only about 2.5",
            description="",
            lead="",
            partners="",
            target_date=None,
            priority="low",
            status="not_started",
            refs=["2.5"],
        ),
    )
    result = start_assessment(
        council=baseline.council,
        previous=baseline, user=editor, title="Review 2026", assessed_on=datetime.date(2026, 6, 1)
    )
    new = result.assessment
    assert new.framework == new_fw
    assert (result.removed_refs, result.new_refs) == (["2.5"], ["3.6"])
    refs = set(new.responses.values_list("statement__ref", flat=True))
    assert "2.5" not in refs and "3.6" in refs and len(refs) == 25
    fresh = Response.objects.get(assessment=new, statement__ref="3.6")
    assert fresh.score is None and not fresh.needs_review
    assert result.actions_left == ["Only about 2.5"]
    page = login(editor).get(url(new)).content.decode()
    assert "No longer in the toolkit: 2.5." in page and "New, scored from scratch: 3.6." in page
    comparison = compare(assessment_view(baseline), assessment_view(new))
    assert comparison.statement("2.5").kind == "removed"
    assert comparison.statement("3.6").kind == "new"


def test_comparison_arithmetic(baseline, editor):
    later = later_from(baseline, editor)
    c = compare(assessment_view(baseline), assessment_view(later))
    assert [(p.before.total, p.after.total, p.delta) for p in c.principles] == [
        (3, 5, 2),
        (3, 6, 3),
        (7, 8, 1),
        (9, 9, 0),
        (6, 7, 1),
    ]
    assert c.overall_delta == 7
    assert c.counts == {
        "improved": 9,
        "unchanged": 13,
        "worse": 2,
        "not compared": 1,
        "new": 0,
        "removed": 0,
    }
    assert c.statement("1.1").label == "1 → 2, improved"
    assert c.statement("4.4").label == "2 → 1, worse"
    assert c.statement("5.3").label == "0 → –, not compared"
    assert c.statement("4.1").label == "2 → 2, unchanged"


def test_compare_page_and_evidence_side_by_side(baseline, editor, login, viewer, outsider):
    later = later_from(baseline, editor)
    Response.objects.filter(assessment=later, statement__ref="4.4").update(
        evidence="Protocol lapsed"
    )
    client = login(viewer)
    page = client.get(
        "/councils/example/assessments/compare/",
        {"from": baseline.pk, "to": later.pk, "ref": "4.4"},
    ).content.decode()
    assert "9 improved, 13 unchanged, 2 worse" in page
    assert "2 → 1, worse" in page
    assert "Kent and Medway Information Sharing Protocol" in page and "Protocol lapsed" in page
    assert (
        client.get(
            "/councils/example/assessments/compare/", {"from": "x", "to": later.pk}
        ).status_code
        == 400
    )
    assert login(outsider).get("/councils/example/assessments/compare/").status_code == 404


def test_trend_on_the_council_page(baseline, editor, login, viewer):
    later = later_from(baseline, editor)
    Action.objects.filter(assessment=later, title="Councillor safety page").update(
        status="complete"
    )
    client = login(viewer)
    page = client.get("/councils/example/").content.decode()
    assert "Progress over time" in page
    assert page.index("Baseline 2024") < page.index("Review 2025", page.index("Progress over time"))
    assert "1 of 2" in page  # later plan: one of its two carried actions complete
    svg = client.get("/councils/example/assessments/trend.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"Creating connections" in svg.content


def test_review_date(council, login, admin, editor):
    client = login(admin)
    resp = client.post(
        "/councils/example/review-date/",
        {"next_review_on_day": "12", "next_review_on_month": "6", "next_review_on_year": "2025"},
    )
    assert resp.status_code == 302
    council.refresh_from_db()
    assert council.next_review_on == datetime.date(2025, 6, 12)
    page = client.get("/councils/example/").content.decode()
    assert "Next review due: <strong>12 June 2025</strong>" in page and "Overdue" in page
    bad = client.post(
        "/councils/example/review-date/",
        {"next_review_on_day": "31", "next_review_on_month": "2", "next_review_on_year": "2026"},
    )
    assert bad.status_code == 400 and "must be a real date" in bad.content.decode()
    assert login(editor).post("/councils/example/review-date/", {}).status_code == 403
    council.refresh_from_db()
    assert council.next_review_on == datetime.date(2025, 6, 12)


def test_reports_carry_change_since(baseline, editor, login, viewer):
    later = later_from(baseline, editor)
    data = report_data(later, since=baseline)
    doc = Document(io.BytesIO(FORMATS["docx"].render(data)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Change since Baseline 2024" in text
    assert "Overall 28 → 35 out of 50" in text
    html = (
        login(viewer)
        .get(f"/councils/example/assessments/{later.pk}/report/", {"since": baseline.pk})
        .content.decode()
    )
    assert "Change since Baseline 2024" in html and "9 improved, 13 unchanged, 2 worse" in html
    plain = login(viewer).get(f"/councils/example/assessments/{later.pk}/report/").content.decode()
    assert "Change since Baseline 2024" not in plain
