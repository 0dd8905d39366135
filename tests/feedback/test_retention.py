"""Councillors' comments and experience answers are deleted SURVEY_RETENTION_MONTHS
after their round closed; their scores stay."""

import datetime

from django.core.management import call_command

from selfassess.assessments.selectors import assessment_view
from selfassess.audit.models import Action, AuditEvent
from selfassess.core.dates import months_before
from selfassess.feedback import selectors, services
from selfassess.feedback.models import Round, SurveyResponse
from selfassess.workspace.retention import apply_retention

from .test_results import five_answers, respond  # noqa: F401  (fixture)


def close(round_, on: datetime.date):
    Round.objects.filter(pk=round_.pk).update(
        opens_on=on - datetime.timedelta(days=30), closes_on=on
    )
    round_.refresh_from_db()
    services.seal_round(round_=round_)
    round_.refresh_from_db()
    return round_


def test_months_before_handles_short_months():
    assert months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2026, 11, 22), 24) == datetime.date(2024, 11, 22)
    assert months_before(datetime.date(2026, 1, 15), 13) == datetime.date(2024, 12, 15)


def test_personal_answers_go_after_the_retention_period(five_answers, login, admin, settings):  # noqa: F811
    settings.SURVEY_RETENTION_MONTHS = 24
    today = datetime.date(2026, 11, 22)
    round_ = close(five_answers, datetime.date(2024, 11, 23))  # 24 months less a day ago
    before = selectors.results(round_, assessment_view(round_.assessment))
    assert before.principles[0].comments == ["Nobody told me where to go"]
    assert apply_retention(today).rounds == 0  # not yet
    assert any(r["comments"] for r in SurveyResponse.objects.values_list("answers", flat=True))

    round_ = close(round_, datetime.date(2024, 11, 21))
    applied = apply_retention(today)
    assert (applied.rounds, applied.responses) == (1, 5)
    for answers in SurveyResponse.objects.filter(round=round_).values_list("answers", flat=True):
        assert answers["comments"] == {} and answers["experience"] == {}
        assert len(answers["statements"]) == 25
    round_.refresh_from_db()
    assert round_.personal_answers_deleted_at is not None
    after = selectors.results(round_, assessment_view(round_.assessment))
    assert all(not p.comments for p in after.principles)
    assert all(q.answered == 0 for q in after.experience)
    # The scores are untouched.
    assert [s.counts for p in after.principles for s in p.statements] == [
        s.counts for p in before.principles for s in p.statements
    ]
    assert after.responses == 5
    page = login(admin).get(
        f"/councils/example/assessments/{round_.assessment_id}/feedback/{round_.pk}/results/"
    )
    assert "Nobody told me" not in page.content.decode()
    assert "comments and answers about their own experience were deleted" in page.content.decode()
    assert apply_retention(today).rounds == 0  # once only


def test_stored_pdfs_go_when_comments_are_deleted(
    five_answers, login, admin, settings, report_cache_dir  # noqa: F811
):
    """A PDF download is kept for a day (reports/store.py): retention that deletes
    comments also forgets every stored PDF, which may print them."""
    import io

    from pypdf import PdfReader

    def text(body: bytes) -> str:
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)

    settings.SURVEY_RETENTION_MONTHS = 24
    round_ = close(five_answers, datetime.date(2024, 11, 21))
    client = login(admin)
    url = f"/councils/example/assessments/{round_.assessment_id}/report/download/pdf/"
    assert "Nobody told me where to go" in text(client.get(url).content)
    assert len(list(report_cache_dir.glob("*.djcache"))) == 1
    assert apply_retention(datetime.date(2026, 11, 22)).rounds == 1
    assert list(report_cache_dir.glob("*.djcache")) == []
    assert "Nobody told me" not in text(client.get(url).content)


def test_command_and_old_sign_in_entries(db, settings, admin):
    settings.AUDIT_RETENTION_MONTHS = 24
    old = AuditEvent.objects.create(action=Action.SIGNED_IN, summary="Signed in", actor=admin)
    # The log refuses updates through the ORM, so backdate the entry in SQL.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET at = %s WHERE id = %s",
            [datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC), old.pk],
        )
    recent = AuditEvent.objects.create(action=Action.SIGNED_IN, summary="Signed in", actor=admin)
    call_command("apply_retention")
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [recent.pk]


def test_closing_late_does_not_delay_deletion_and_unsealed_rounds_are_sealed(
    five_answers,  # noqa: F811
    settings,
):
    from django.utils import timezone

    settings.SURVEY_RETENTION_MONTHS = 24
    Round.objects.filter(pk=five_answers.pk).update(
        opens_on=datetime.date(2024, 10, 1),
        closes_on=datetime.date(2024, 10, 31),
        # An admin pressed "close" long after the closing date; nobody read the results.
        closed_at=timezone.make_aware(datetime.datetime(2025, 3, 1)),
    )
    assert Round.objects.get(pk=five_answers.pk).sealed_at is None
    assert apply_retention(datetime.date(2026, 11, 22)).rounds == 1
    round_ = Round.objects.get(pk=five_answers.pk)
    assert round_.sealed_at is not None and round_.personal_answers_deleted_at is not None
    assert round_.tally["responses"] == 5 and round_.tally["comments"] == {}


def test_old_entries_keep_what_happened_but_lose_the_address(db, settings, admin, council):
    from django.db import connection

    settings.AUDIT_RETENTION_MONTHS = 24
    download = AuditEvent.objects.create(
        action=Action.DOWNLOADED,
        summary="Downloaded",
        council=council,
        actor=admin,
        ip_address="192.0.2.9",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET at = %s WHERE id = %s",
            [datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC), download.pk],
        )
    apply_retention()
    kept = AuditEvent.objects.get(pk=download.pk)
    assert kept.summary == "Downloaded" and kept.ip_address is None
