"""The harder anonymity promises: the database's own bookkeeping and storage order do
not link responses to ballots, and logs never hold a survey link."""

import datetime
import logging

import pytest
from django.db import connection
from django.test import Client

from selfassess.core.logging import RedactSurveyLinks
from selfassess.feedback import services
from selfassess.feedback.models import Ballot, SurveyResponse

ALL_REFS = [f"{p}.{s}" for p in range(1, 6) for s in range(1, 6)]


def respond(round_, comment):
    token = services.shared_ticket(round_.public_id, round_.access_code)
    services.submit(token, {"statements": dict.fromkeys(ALL_REFS, 1), "comments": {"1": comment}})


def xmins(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT xmin::text FROM {table}")  # noqa: S608 (fixed names)
        return {row[0] for row in cursor.fetchall()}


def test_sealing_forgets_the_order_people_answered_in(open_round, admin):
    for n in range(6):
        respond(open_round, f"answer {n}")
    before = set(SurveyResponse.objects.values_list("id", flat=True))
    services.close_round(round_=open_round, user=admin)
    open_round.refresh_from_db()  # sealed by the task it queued
    after = list(SurveyResponse.objects.values_list("id", flat=True))
    assert len(after) == 6 and not before & set(after)  # every response rewritten, new ids
    comments = sorted(
        a["comments"]["1"] for a in SurveyResponse.objects.values_list("answers", flat=True)
    )
    assert comments == [f"answer {n}" for n in range(6)]  # nothing lost
    assert all(not bytes(b) for b in Ballot.objects.values_list("draft", flat=True))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="xmin is PostgreSQL's")
def test_transaction_ids_do_not_pair_a_response_with_a_ballot(open_round, admin):
    for n in range(3):
        respond(open_round, f"answer {n}")
    services.close_round(round_=open_round, user=admin)
    open_round.refresh_from_db()  # sealed by the task it queued
    assert len(xmins("feedback_surveyresponse")) == 1
    assert xmins("feedback_surveyresponse") == xmins("feedback_ballot")


def test_access_code_is_for_admins_only(open_round, login, viewer, admin):
    url = f"/councils/example/assessments/{open_round.assessment_id}/feedback/{open_round.pk}/"
    assert open_round.access_code not in login(viewer).get(url).content.decode()
    assert open_round.access_code in login(admin).get(url).content.decode()


def test_odd_access_codes_and_too_many_tries(open_round, settings):
    settings.SURVEY_TICKETS_PER_HOUR = 3
    url = f"/survey/shared/{open_round.public_id}/"
    client = Client()
    assert client.post(url, {"code": "ÉÉÉÉ-ÉÉÉÉ"}).status_code == 400
    assert client.post(url, {"code": "WRONG"}).status_code == 400
    assert client.post(url, {"code": open_round.access_code}).status_code == 302
    refused = client.post(url, {"code": open_round.access_code})
    assert refused.status_code == 429 and "Too many tries" in refused.content.decode()
    assert Ballot.objects.filter(kind="shared").count() == 1


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Jo, jo@example.org\rSam, sam@example.org", None),
        ("Jo\x00, jo@example.org", "NUL character"),
        ("Jo, " + "j" * 250 + "@example.org", "is not an email address"),
        ('"' + "x" * 140_000 + '", a@example.org', "cannot be read as CSV"),
    ],
)
def test_invitation_lists_of_odd_shapes(text, problem):
    people, problems = services.parse_invitees(text)
    if problem is None:
        assert [p.email for p in people] == ["jo@example.org", "sam@example.org"] and not problems
    else:
        assert any(problem in p for p in problems), problems


def test_logs_never_hold_a_survey_link():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Gone: %s",
        ("/survey/AbC_d-123xyz/page/2/",),
        None,
    )
    RedactSurveyLinks().filter(record)
    assert record.getMessage() == "Gone: /survey/[link]/page/2/"
    token = "Q" * 43
    record = logging.LogRecord(
        "django.server", logging.INFO, "", 0, '"GET /invitations/%s/ HTTP/1.1" 200', (token,), None
    )
    RedactSurveyLinks().filter(record)
    assert token not in record.getMessage() and "/invitations/[link]/" in record.getMessage()


def test_a_bad_survey_parameter_is_ignored(open_round, login, editor):
    url = f"/councils/example/assessments/{open_round.assessment_id}/plan/actions/new/"
    assert login(editor).get(url, {"survey": "²", "gap": "3.1"}).status_code == 200


def test_code_entries_count_for_an_hour_from_the_first(open_round, settings, monkeypatch):
    """The limit is per hour, not per five minutes of quiet (cache.incr() used to reset
    the entry's expiry to the cache's default five minutes on every try)."""
    from django.utils import timezone

    settings.SURVEY_TICKETS_PER_HOUR = 2
    url = f"/survey/shared/{open_round.public_id}/"
    client = Client()
    start = timezone.now()

    def at(minutes):
        monkeypatch.setattr(timezone, "now", lambda: start + datetime.timedelta(minutes=minutes))

    at(0)
    assert client.post(url, {"code": "WRONG"}).status_code == 400
    at(10)
    assert client.post(url, {"code": "WRONG"}).status_code == 400
    at(40)
    assert client.post(url, {"code": open_round.access_code}).status_code == 429
    at(61)
    assert client.post(url, {"code": open_round.access_code}).status_code == 302
