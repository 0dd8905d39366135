"""A GET never changes anything: every page of the project is read by a council admin
(and the survey pages by a councillor) while every SQL statement is captured, and none
may write, with two kinds of exception that are records of the read itself:

- the session's idle timer (core.middleware), refreshed at most every two minutes;
- the audit log's entry for a download (a report, or a person's own data).

A new URL that this test cannot build fails it until it is taught here.
"""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from selfassess.benchmarks.models import Snapshot
from selfassess.benchmarks.services import publish_snapshot
from selfassess.councils import services as council_services
from selfassess.feedback import services as feedback
from selfassess.feedback.models import Round
from selfassess.interchange.json_format import import_assessment
from selfassess.plans import services as plans

from .benchmarks.conftest import agree, make_council, random_scores
from .feedback.test_results import invited_token
from .test_isolation import EXCLUDED_PREFIXES, STAFF, url_patterns

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
# Reads whose audit entry is the point of the read.
AUDITED_READS = {"reports:download", "workspace:personal_data"}
SURVEY = {"feedback:start", "feedback:page", "feedback:check"}


def written_tables(queries) -> set[str]:
    tables = set()
    for q in queries:
        if WRITE.match(q["sql"]):
            found = re.search(r'(?:INTO|UPDATE|FROM)\s+"?(\w+)"?', q["sql"], re.IGNORECASE)
            tables.add(found.group(1) if found else q["sql"][:60])
    return tables


@pytest.fixture
def everything(framework, council, admin, editor, seed002, settings):
    # Benchmarks on, with a published snapshot the summary page compares the council with.
    settings.BENCHMARKS = True
    settings.BENCHMARK_K = 3
    council.region = "east"
    council.shares_benchmarks = True
    council.save()
    for i in range(4):
        agree(make_council(f"peer{i}", "district", "east"), random_scores(i))
    snapshot = publish_snapshot()
    assessment = import_assessment(json.dumps(seed002), council=council, user=editor).assessment
    action = plans.create_action(
        assessment=assessment,
        user=editor,
        data=plans.ActionInput(
            title="An action",
            description="",
            lead="",
            partners="",
            target_date=datetime.date(2024, 1, 1),
            priority="high",
            status="not_started",
            refs=["2.2"],
        ),
    )
    today = datetime.date.today()
    closed = feedback.open_round(
        assessment=assessment,
        user=admin,
        opens_on=today - datetime.timedelta(days=20),
        closes_on=today + datetime.timedelta(days=1),
        introduction="",
        shared_link=True,
    )
    answers = {"statements": {f"{p}.{s}": 1 for p in range(1, 6) for s in range(1, 6)}}
    for _ in range(5):
        feedback.submit(invited_token(closed), answers)
    # It closes by date, and nothing has sealed it yet: reading its results must not.
    Round.objects.filter(pk=closed.pk).update(closes_on=today - datetime.timedelta(days=1))
    open_round = feedback.open_round(
        assessment=assessment,
        user=admin,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=9),
        introduction="",
        shared_link=True,
    )
    token = feedback.shared_ticket(open_round.public_id, open_round.access_code)
    membership = council.memberships.get(user=editor)
    invitation = council_services.invite(
        council=council, email="new@example.org", role="viewer", by=admin
    )
    return {
        "slug": council.slug,
        "pk": assessment.pk,
        "number": 1,
        "ref": "2.1",
        "suggestion": "general",  # for 2.1 (seed 002's toolkit version has no guidance)
        "member_id": membership.pk,
        "action_id": action.pk,
        "round_id": closed.pk,
        "invitation_id": invitation.pk,
        "fmt": "csv",
        "token": token,
        "page": 1,
        "public_id": open_round.public_id,
        "snapshot_id": snapshot.pk,
        "council_id": council.pk,
        "closed_round": closed,
    }


def test_no_get_writes(everything, login, admin, client, smtp):
    signed_in = login(admin)
    signed_in.get("/")  # the session's idle timer starts here, not inside a page below
    staff = login(admin)
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    staff.get("/")
    for name, route in sorted(url_patterns(EXCLUDED_PREFIXES).items()):
        keys = re.findall(r"<(?:\w+:)?(\w+)>", route)
        missing = [k for k in keys if k not in everything]
        assert not missing, f"{name} takes {missing}: teach test_reads_never_write about them"
        url = reverse(name, kwargs={k: everything[k] for k in keys})
        who = client if name in SURVEY else staff if name in STAFF else signed_in
        with CaptureQueriesContext(connection) as queries:
            resp = who.get(url)
        assert resp.status_code < 500, f"{name}: {resp.status_code}"
        allowed = {"django_session"} | ({"audit_auditevent"} if name in AUDITED_READS else set())
        assert written_tables(queries.captured_queries) <= allowed, f"GET {url} wrote"
    # Never computed by a page: the one snapshot is the one published above, which the
    # summary page read.
    assert Snapshot.objects.count() == 1
    summary = signed_in.get(reverse("workspace:summary", args=["example", everything["pk"]]))
    assert "Compared with other councils" in summary.content.decode()
    closed = everything["closed_round"]
    closed.refresh_from_db()
    assert closed.sealed_at is None  # reading its results did not seal it


def test_results_wait_for_the_seal_then_show(everything, login, admin):
    closed = everything["closed_round"]
    url = f"/councils/example/assessments/{everything['pk']}/feedback/{closed.pk}/results/"
    page = login(admin).get(url).content.decode()
    assert "The answers are being counted" in page
    assert feedback.seal_closed_rounds() == 1
    assert "The answers are being counted" not in login(admin).get(url).content.decode()
    assert feedback.seal_closed_rounds() == 0
