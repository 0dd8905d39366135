"""Every page fetches what it needs in a fixed number of queries, however much data."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from selfassess.assessments import services
from selfassess.interchange.json_format import import_assessment


def count(client, path: str) -> int:
    """Queries for one request, measured after a first request, which may also refresh
    the session's idle timer (core.middleware) and so write it."""
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(path)
    assert resp.status_code == 200, path
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "tail",
    ["", "principles/1/", "principles/5/", "statements/1.1/history/", "report/download/json/"],
)
def test_assessment_pages_do_not_grow_with_history(
    framework, council, seed002, login, editor, tail
):
    assessment = import_assessment(json.dumps(seed002), council=council).assessment
    client = login(editor)
    path = f"/councils/example/assessments/{assessment.pk}/{tail}"
    before = count(client, path)
    for i in range(5):
        services.save_responses(
            assessment=assessment,
            user=editor,
            entries=[
                services.ResponseInput(
                    ref=r, score=i % 3, evidence=f"round {i}", links=[f"https://example.org/{i}"]
                )
                for r in ("1.1", "1.2", "5.5")
            ],
        )
    assert count(client, path) == before


def test_council_page_does_not_grow_with_assessments(framework, council, login, editor):
    client = login(editor)
    services.create_assessment(
        council=council, user=editor, title="One", assessed_on=datetime.date(2024, 1, 1)
    )
    one = count(client, "/councils/example/")
    for year in range(2015, 2025):
        services.create_assessment(
            council=council, user=editor, title=f"Y{year}", assessed_on=datetime.date(year, 6, 1)
        )
    assert count(client, "/councils/example/") == one


@pytest.mark.parametrize(
    "tail", ["plan/", "plan/suggestions/", "summary/", "summary/chart.svg", "report/"]
)
def test_plan_and_summary_pages_do_not_grow_with_actions(
    framework, council, seed002, login, editor, tail
):
    from selfassess.plans import services as plans

    assessment = import_assessment(json.dumps(seed002), council=council).assessment
    client = login(editor)
    path = f"/councils/example/assessments/{assessment.pk}/{tail}"

    def add(n):
        for i in range(n):
            action = plans.create_action(
                assessment=assessment,
                user=editor,
                data=plans.ActionInput(
                    title=f"Action {i}",
                    description="",
                    lead=f"Lead {i % 7}",
                    partners="",
                    target_date=datetime.date(2025, 1, 1 + i % 28),
                    priority="high",
                    status="in_progress",
                    refs=["1.1", f"{1 + i % 5}.{1 + i % 5}"],
                ),
            )
            plans.add_progress(action=action, user=editor, on=datetime.date(2025, 1, 2), text="x")

    add(1)
    one = count(client, path)
    if tail == "report/":
        # The budget below (10, which counts the suggestions dismissed), and two for a
        # plan: its actions' statements, and each action's latest progress update. (The
        # covering report comes with the assessment, in the same query.)
        assert one <= 12
    add(99)
    assert count(client, path) == one


def test_survey_pages_read_the_toolkit_from_memory(framework, council, seed002, admin):
    """A councillor's page costs one query, for their ballot, its round and the
    council's name, whatever the toolkit's size: the toolkit, its principles and
    statements come from the per-process cache (feedback/questions.py)."""
    from django.test import Client

    from selfassess.feedback import services as feedback

    assessment = import_assessment(json.dumps(seed002), council=council).assessment
    today = datetime.date.today()
    round_ = feedback.open_round(
        assessment=assessment,
        user=admin,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=5),
        introduction="",
        shared_link=True,
    )
    token = feedback.shared_ticket(round_.public_id, round_.access_code)
    client = Client()
    for path in (f"/survey/{token}/", f"/survey/{token}/page/3/", f"/survey/{token}/check/"):
        assert count(client, path) == 1, path
    # Saving a page reads the ballot once (not again under the lock): the read, the
    # round's row locked to check it is still open, and the conditional write.
    client.get(f"/survey/{token}/page/1/")
    answers = {f"s1.{n}": "1" for n in range(1, 6)}
    with CaptureQueriesContext(connection) as ctx:
        resp = client.post(f"/survey/{token}/page/1/", answers)
    assert resp.status_code == 302
    transaction = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT")
    statements = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(transaction)]
    assert len(statements) == 3, statements
    assert sum("feedback_ballot" in sql and sql.startswith("SELECT") for sql in statements) == 1


@pytest.mark.parametrize(
    ("tail", "budget"),
    [("", 8), ("principles/1/", 6), ("summary/", 7), ("plan/", 9), ("report/", 10)],
)
def test_assessment_pages_keep_to_their_query_budget(
    framework, council, seed002, login, editor, tail, budget
):
    """Each query costs a signed-in page about half a millisecond of server CPU on the
    benchmark machine, more in building the query than in running it (BENCHMARKS.md).
    These budgets are what the pages need today: the session, the user, the two-factor
    rule, the membership, the assessment, its responses, then the page's own reads (the
    report's include the suggestions dismissed)."""
    assessment = import_assessment(json.dumps(seed002), council=council).assessment
    client = login(editor)
    assert count(client, f"/councils/example/assessments/{assessment.pk}/{tail}") <= budget


@pytest.mark.parametrize("tail", ["plan/", "plan/suggestions/", "report/"])
def test_plan_and_report_pages_do_not_grow_with_dismissed_suggestions(
    framework, council, seed002, login, editor, tail
):
    from selfassess.assessments.selectors import assessment_view
    from selfassess.plans import selectors as plan_selectors
    from selfassess.plans import services as plans

    data = seed002 | {"framework": {"id": framework.slug, "version": framework.version}}
    assessment = import_assessment(json.dumps(data), council=council).assessment
    pending = plan_selectors.suggestions(assessment_view(assessment), set(), set())
    client = login(editor)
    path = f"/councils/example/assessments/{assessment.pk}/{tail}"

    def dismiss(suggestions):
        for s in suggestions:
            plans.dismiss_suggestion(
                assessment=assessment,
                user=editor,
                ref=s.statement.ref,
                key=s.key,
                title=s.title,
                reason="Not for us",
            )

    dismiss(pending[:1])
    one = count(client, path)
    dismiss(pending[1:20])
    assert count(client, path) == one


def test_the_summary_page_with_benchmarks_does_not_grow_with_councils(
    framework, council, seed002, login, editor, settings
):
    """Beside its own scores, the summary shows councils like it from the latest published
    benchmark, which each process reads once (benchmarks.selectors.latest): one query a
    page for which snapshot is the latest, however many councils it counts."""
    from selfassess.benchmarks.services import publish_snapshot

    from .benchmarks.conftest import agree, make_council, random_scores

    settings.BENCHMARKS = True
    settings.BENCHMARK_K = 3
    council.region = "east"
    council.save()
    assessment = import_assessment(json.dumps(seed002), council=council).assessment
    client = login(editor)
    path = f"/councils/example/assessments/{assessment.pk}/summary/"

    def peers(start: int, n: int) -> None:
        for i in range(start, start + n):
            agree(make_council(f"peer{i}", ["district", "county"][i % 2], "east"), random_scores(i))
        publish_snapshot()

    settings.BENCHMARKS = False
    without = count(client, path)
    settings.BENCHMARKS = True
    peers(0, 8)
    few = count(client, path)
    assert "Compared with other councils" in client.get(path).content.decode()
    peers(8, 40)
    page = client.get(path).content.decode()
    assert "District councils (24 councils)" in page
    assert count(client, path) == few == without + 1
