"""The audit log: what is recorded, who can read it, and that nobody can change it."""

import datetime
import json

import pytest
from django.test import Client

from selfassess.audit.models import Action, AppendOnly, AuditEvent
from selfassess.feedback import services as feedback
from selfassess.interchange.json_format import import_assessment

from ..conftest import make_member


def log_page(client, query="") -> str:
    resp = client.get(f"/councils/example/audit/{query}")
    assert resp.status_code == 200
    return resp.content.decode()


def test_what_a_council_does_is_recorded_with_who_and_when(
    framework, council, seed002, admin, editor, login, client
):
    a = login(admin)
    # sign-in through the form, a failed sign-in and a role change
    client.post("/accounts/login/", {"login": "editor@example.org", "password": "wrong one"})
    client.post(
        "/accounts/login/", {"login": "editor@example.org", "password": "a long test password"}
    )
    member = editor.memberships.get()
    a.post(f"/councils/example/people/{member.pk}/role/", {"role": "viewer"})
    # sign-off, reopening, a download
    assessment = import_assessment(json.dumps(seed002), council=council).assessment
    url = f"/councils/example/assessments/{assessment.pk}/"
    if assessment.status != "complete":
        a.post(
            url + "sign-off/",
            {
                "agreed_by": "Standards Committee",
                "agreed_on_day": "3",
                "agreed_on_month": "2",
                "agreed_on_year": "2025",
            },
        )
    a.post(url + "reopen/", {"reason": "New evidence from the police"})
    assert a.get(url + "report/download/xlsx/").status_code == 200
    # a feedback round opened and closed
    today = datetime.date.today()
    round_ = feedback.open_round(
        assessment=assessment,
        user=admin,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=5),
        introduction="",
        shared_link=False,
    )
    feedback.close_round(round_=round_, user=admin)
    round_.refresh_from_db()  # sealed by the task it queued

    events = {e.action: e for e in AuditEvent.objects.filter(council=council)}
    assert events[Action.ROLE_CHANGED].summary == "Changed editor@example.org from editor to viewer"
    assert events[Action.ROLE_CHANGED].actor_email == "admin@example.org"
    assert "New evidence from the police" in events[Action.REOPENED].summary
    assert events[Action.DOWNLOADED].summary == (
        f"Downloaded “{assessment.title}”: Excel workbook (.xlsx): scores, totals and the plan"
    )
    assert events[Action.DOWNLOADED].ip_address == "127.0.0.1"
    assert {Action.SIGNED_OFF, Action.ROUND_OPENED, Action.ROUND_CLOSED} <= set(events)
    failed = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert failed.actor_email == "editor@example.org" and failed.actor is None

    page = log_page(a)
    for text in (
        "Sign-in failed",
        "Signed in",
        "Changed editor@example.org from editor to viewer",
        "Reopened",
        "Closed councillor feedback",
        "Downloaded",
    ):
        assert text in page, text
    only = log_page(a, "?what=downloaded")
    assert "Downloaded" in only and "Reopened" not in only


def test_only_the_councils_admins_read_it(council, other_council, admin, editor, viewer, login):
    stranger = make_member(other_council, "admin", "stranger@example.org")
    Client().post("/accounts/login/", {"login": "stranger@example.org", "password": "x"})
    assert login(editor).get("/councils/example/audit/").status_code == 403
    assert login(viewer).get("/councils/example/audit/").status_code == 403
    assert login(stranger).get("/councils/example/audit/").status_code == 404
    # Another council's member's sign-ins are not in this council's log.
    assert "stranger@example.org" not in log_page(login(admin))


def test_entries_cannot_be_changed_or_removed(db, admin):
    event = AuditEvent.objects.create(action=Action.SIGNED_IN, summary="Signed in", actor=admin)
    event.summary = "Nothing happened"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(summary="x")
    with pytest.raises(AppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).summary == "Signed in"


def test_log_pages_through_many_entries(council, admin, login, django_assert_max_num_queries):
    AuditEvent.objects.bulk_create(
        AuditEvent(action=Action.DOWNLOADED, summary=f"Download {n}", council=council)
        for n in range(120)
    )
    client = login(admin)
    log_page(client)
    with django_assert_max_num_queries(12):
        first = log_page(client)
    assert "Entries 1 to 50 of 121" in first and "Download 119" in first
    last = log_page(client, "?page=3")
    assert "Download 0" in last and "Download 119" not in last


def test_an_existing_id_cannot_be_overwritten_and_a_council_keeps_its_log(council, admin):
    from django.db import IntegrityError, transaction
    from django.db.models import ProtectedError

    event = AuditEvent.objects.create(
        action=Action.ROLE_CHANGED, summary="Changed x", council=council, actor=admin
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent(pk=event.pk, action=Action.SIGNED_IN, summary="Forged").save()
    assert AuditEvent.objects.get(pk=event.pk).summary == "Changed x"
    with pytest.raises(ProtectedError):
        council.delete()


def test_a_new_members_earlier_sign_ins_are_not_shown(council, other_council, admin, login):
    import datetime as dt

    from django.db import connection

    newcomer = make_member(other_council, "editor", "newcomer@example.org")
    before = AuditEvent.objects.create(action=Action.SIGNED_IN, summary="Signed in", actor=newcomer)
    with connection.cursor() as cursor:  # it happened a year ago
        cursor.execute(
            "UPDATE audit_auditevent SET at = %s, ip_address = %s WHERE id = %s",
            [dt.datetime(2025, 1, 1, tzinfo=dt.UTC), "192.0.2.7", before.pk],
        )
    make_member(council, "editor", "newcomer@example.org")
    AuditEvent.objects.create(action=Action.SIGNED_IN, summary="Signed in now", actor=newcomer)
    page = log_page(login(admin))
    assert "Signed in now" in page and "192.0.2.7" not in page
