"""'Your work': across every council a person belongs to, the actions they own (overdue,
due soon, later), the assessments in progress they can score and the rounds they can
run; in a fixed number of queries."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from selfassess.feedback import services as feedback
from selfassess.plans import services as plans

from ..conftest import make_member


def own(assessment, user, title, days):
    return plans.create_action(
        assessment=assessment,
        user=user,
        data=plans.ActionInput(
            title=title, description="", lead="", partners="",
            target_date=datetime.date.today() + datetime.timedelta(days=days),
            priority="high", status="not_started", refs=["1.1"], owner_id=user.pk,
        ),
    )  # fmt: skip


def test_your_work_across_councils(assessment, other_council, editor, login, framework):
    from selfassess.assessments import services as assessments

    make_member(other_council, "editor", editor.email)
    elsewhere = assessments.create_assessment(
        council=other_council, user=editor, title="County baseline",
        assessed_on=datetime.date(2026, 1, 1),
    )  # fmt: skip
    own(assessment, editor, "Overdue here", -5)
    own(elsewhere, editor, "Due soon at the county", 7)
    own(elsewhere, editor, "Next year", 300)
    today = datetime.date.today()
    feedback.open_round(
        assessment=assessment, user=editor, opens_on=today,
        closes_on=today + datetime.timedelta(days=9), introduction="", shared_link=False,
    )  # fmt: skip
    client = login(editor)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/your-work/").content.decode()
    overdue = page.index("<h3 class=\"govuk-heading-s\">Overdue</h3>")
    soon = page.index("Due in the next two weeks")
    assert overdue < page.index("Overdue here") < soon < page.index("Due soon at the county")
    assert page.index("Later, or with no target date") < page.index("Next year")
    assert "Baseline 2024" in page and "County baseline" in page
    assert "25 statements to score" in page
    assert "Councillor feedback rounds open" in page
    first = len(queries)
    for n in range(5):
        own(elsewhere, editor, f"More {n}", n)
    with CaptureQueriesContext(connection) as queries:
        client.get("/your-work/")
    assert len(queries) == first  # no query per action


def test_your_work_is_empty_for_a_viewer(assessment, viewer, login):
    page = login(viewer).get("/your-work/").content.decode()
    assert "Nothing is waiting for you" in page
