"""Nobody sees or changes another council's data: every council page answers 404 to
people outside the council, and an assessment id of one council is never found
through another council's address."""

import datetime

import pytest

from selfassess.assessments import services
from selfassess.assessments.models import Assessment, Change, Response
from selfassess.councils.models import Membership, Role

from ..assessments.helpers import principle_post
from ..conftest import make_member


def council_paths(assessment) -> list[str]:
    base = f"/councils/{assessment.council.slug}"
    a = f"{base}/assessments/{assessment.pk}"
    return [
        f"{base}/",
        f"{base}/people/",
        f"{base}/assessments/new/",
        f"{a}/",
        f"{a}/principles/1/",
        f"{a}/statements/1.1/history/",
        f"{a}/sign-off/",
        f"{a}/reopen/",
        f"{a}/report/",
        f"{a}/report/download/pdf/",
        f"{a}/report/download/docx/",
        f"{a}/summary/",
        f"{a}/summary/chart.svg",
        f"{a}/plan/",
        f"{a}/plan/suggestions/",
        f"{a}/plan/actions/new/",
    ]


def snapshot():
    return (
        list(Response.objects.order_by("pk").values_list("score", "evidence", "version")),
        Change.objects.count(),
        list(Assessment.objects.order_by("pk").values_list("status", "title")),
        list(Membership.objects.order_by("pk").values_list("role", flat=True)),
    )


def test_outsider_gets_not_found_everywhere_and_changes_nothing(assessment, login, outsider):
    client = login(outsider)
    before = snapshot()
    for path in council_paths(assessment):
        assert client.get(path).status_code == 404, path
        body = principle_post(assessment, 1, {"1.1": {"score": 2}}) | {
            "title": "Hijack",
            "assessed_on_day": "1",
            "assessed_on_month": "1",
            "assessed_on_year": "2025",
            "agreed_by": "x",
            "agreed_on_day": "1",
            "agreed_on_month": "1",
            "agreed_on_year": "2025",
            "reason": "x",
            "email": "mole@example.org",
            "role": "admin",
        }
        assert client.post(path, body).status_code in (404, 405), path
    member = Membership.objects.filter(council=assessment.council).first()
    for path in (
        f"/councils/example/people/{member.pk}/role/",
        f"/councils/example/people/{member.pk}/remove/",
    ):
        assert client.post(path, {"role": "viewer"}).status_code == 404
    assert snapshot() == before


def test_anonymous_is_sent_to_sign_in(assessment, client):
    for path in council_paths(assessment):
        resp = client.get(path)
        assert resp.status_code == 302 and resp["Location"].startswith("/accounts/login/"), path


def test_another_councils_assessment_is_not_found_through_your_council(
    assessment, login, other_council, outsider, editor
):
    theirs = services.create_assessment(
        council=other_council, user=outsider, title="Theirs", assessed_on=datetime.date(2024, 1, 1)
    )
    client = login(editor)  # an editor of "example", not of "other"
    before = snapshot()
    for path in (
        f"/councils/example/assessments/{theirs.pk}/",
        f"/councils/example/assessments/{theirs.pk}/principles/1/",
        f"/councils/example/assessments/{theirs.pk}/report/download/json/",
    ):
        assert client.get(path).status_code == 404
    resp = client.post(
        f"/councils/example/assessments/{theirs.pk}/principles/1/",
        principle_post(theirs, 1, {"1.1": {"score": 2}}),
    )
    assert resp.status_code == 404
    assert snapshot() == before


def test_council_list_shows_only_your_councils(assessment, login, editor, other_council):
    make_member(other_council, Role.VIEWER, "editor@example.org")
    page = login(editor).get("/").content.decode()
    assert "Example District Council" in page and "Other County Council" in page
    lonely = make_member(other_council, Role.VIEWER, "solo@example.org")
    resp = login(lonely).get("/")
    assert resp.status_code == 302 and resp["Location"] == "/councils/other/"


@pytest.mark.parametrize("role", [Role.VIEWER])
def test_viewer_cannot_start_an_assessment(council, framework, login, role):
    user = make_member(council, role, "v2@example.org")
    client = login(user)
    assert client.get("/councils/example/assessments/new/").status_code == 403
    body = {
        "title": "X",
        "assessed_on_day": "1",
        "assessed_on_month": "1",
        "assessed_on_year": "2025",
    }
    assert client.post("/councils/example/assessments/new/", body).status_code == 403
    assert not Assessment.objects.exists()
