"""Sign-off by an admin makes an assessment read-only; reopening is recorded."""

import json

import pytest

from selfassess.assessments.models import Change, Response, Status
from selfassess.interchange.json_format import import_assessment

from .helpers import principle_post, url


@pytest.fixture
def scored(framework, council, seed002, admin):
    return import_assessment(json.dumps(seed002), council=council).assessment


SIGN_OFF = {
    "agreed_by": "Standards Committee",
    "agreed_on_day": "12",
    "agreed_on_month": "6",
    "agreed_on_year": "2024",
}


def test_admin_signs_off_and_it_becomes_read_only(scored, login, admin, editor):
    client = login(admin)
    assert "Mark as complete" in client.get(url(scored)).content.decode()
    resp = client.post(url(scored, "sign-off/"), SIGN_OFF)
    assert resp.status_code == 302
    scored.refresh_from_db()
    assert scored.status == Status.COMPLETE
    assert scored.agreed_by == "Standards Committee" and str(scored.agreed_on) == "2024-06-12"
    assert scored.signed_off_by == admin and scored.signed_off_at is not None
    page = client.get(url(scored)).content.decode()
    assert "Agreed by Standards Committee on 12 June 2024." in page
    assert "Reopen assessment" in page

    editor_client = login(editor)
    form = editor_client.get(url(scored, "principles/1/")).content.decode()
    assert "<textarea" not in form
    resp = editor_client.post(
        url(scored, "principles/1/"), principle_post(scored, 1, {"1.3": {"score": 2}})
    )
    assert resp.status_code == 302
    assert Response.objects.get(assessment=scored, statement__ref="1.3").score == 0


def test_cannot_sign_off_with_unscored_statements(assessment, login, admin):
    resp = login(admin).post(url(assessment, "sign-off/"), SIGN_OFF)
    assert resp.status_code == 400
    assert "25 still unscored" in resp.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"agreed_by": ""}, "Enter who agreed the assessment"),
        ({"agreed_on_month": "13"}, "must be a real date"),
        (
            {"agreed_on_day": "", "agreed_on_month": "", "agreed_on_year": ""},
            "Enter the date it was agreed",
        ),
        ({"agreed_on_year": ""}, "must include a year"),
        ({"agreed_on_day": "31", "agreed_on_month": "2"}, "must be a real date"),
    ],
)
def test_sign_off_form_errors(scored, login, admin, change, message):
    resp = login(admin).post(url(scored, "sign-off/"), SIGN_OFF | change)
    assert resp.status_code == 400
    assert message in resp.content.decode()
    scored.refresh_from_db()
    assert scored.status == Status.DRAFT


def test_editor_and_viewer_cannot_sign_off(scored, login, editor, viewer):
    for user in (editor, viewer):
        assert login(user).post(url(scored, "sign-off/"), SIGN_OFF).status_code == 403
    scored.refresh_from_db()
    assert scored.status == Status.DRAFT


def test_reopening_needs_a_reason_and_is_recorded(scored, login, admin, editor):
    client = login(admin)
    client.post(url(scored, "sign-off/"), SIGN_OFF)
    assert login(editor).post(url(scored, "reopen/"), {"reason": "x"}).status_code == 403
    resp = client.post(url(scored, "reopen/"), {"reason": ""})
    assert (
        resp.status_code == 400
        and "Enter why the assessment is being reopened" in resp.content.decode()
    )
    resp = client.post(
        url(scored, "reopen/"), {"reason": "Committee asked for new evidence on 4.2"}
    )
    assert resp.status_code == 302
    scored.refresh_from_db()
    assert scored.status == Status.DRAFT
    notes = list(
        Change.objects.filter(assessment=scored, field="status")
        .order_by("at", "id")
        .values_list("note", "user__email")
    )
    assert notes == [
        ("Agreed by Standards Committee on 12 June 2024", "admin@example.org"),
        ("Reopened: Committee asked for new evidence on 4.2", "admin@example.org"),
    ]
    page = client.get(url(scored)).content.decode()
    assert "Reopened: Committee asked for new evidence on 4.2" in page
    resp = login(editor).post(
        url(scored, "principles/1/"), principle_post(scored, 1, {"1.3": {"score": 2}})
    )
    assert resp.status_code == 302
    assert Response.objects.get(assessment=scored, statement__ref="1.3").score == 2


def test_database_refuses_a_complete_assessment_without_sign_off(assessment):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        type(assessment).objects.filter(pk=assessment.pk).update(status=Status.COMPLETE)


def test_scores_outside_the_toolkits_scale_are_refused(assessment, editor):
    """The scale is the toolkit's data (0-2 in the LGA's): the service refuses a 3 for
    this toolkit, and the database refuses anything beyond what any toolkit may have."""
    from django.db import IntegrityError, transaction

    from selfassess.assessments import services
    from selfassess.frameworks.schema import SCALE_VALUE_MAX

    off = r"1.1: 3 is not on the toolkit's scale \(0, 1, 2\)"
    with pytest.raises(services.OffTheScale, match=off):
        services.save_responses(
            assessment=assessment,
            user=editor,
            entries=[services.ResponseInput(ref="1.1", score=3, evidence="", links=[])],
        )
    assert not Response.objects.filter(assessment=assessment, score__isnull=False).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.filter(assessment=assessment).update(score=SCALE_VALUE_MAX + 1)


def test_the_minute_that_agreed_it_is_recorded_and_reported(scored, login, admin):
    from selfassess.audit.models import AuditEvent

    client = login(admin)
    form = client.get(url(scored, "sign-off/")).content.decode()
    assert 'name="minute_reference"' in form and "Minute reference (optional)" in form
    minute = "Standards Committee, 12 June 2024, minute 34"
    resp = client.post(url(scored, "sign-off/"), SIGN_OFF | {"minute_reference": f" {minute} "})
    assert resp.status_code == 302
    scored.refresh_from_db()
    assert scored.minute_reference == minute
    note = Change.objects.get(assessment=scored, field="status").note
    assert note == f"Agreed by Standards Committee on 12 June 2024 ({minute})"
    assert AuditEvent.objects.filter(summary__endswith=f"({minute})").exists()
    report = client.get(url(scored, "report/")).content.decode()
    assert f"Minute reference: {minute}" in report


def test_a_minute_reference_that_is_too_long_is_refused(scored, login, admin):
    resp = login(admin).post(url(scored, "sign-off/"), SIGN_OFF | {"minute_reference": "x" * 201})
    assert resp.status_code == 400
    assert "The minute reference must be 200 characters or fewer" in resp.content.decode()
    scored.refresh_from_db()
    assert scored.status == Status.DRAFT and scored.minute_reference == ""
