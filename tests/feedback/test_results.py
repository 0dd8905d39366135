"""Results: suppressed below the threshold and while open; the perception gap computed
right and sorted; experience answers as counts and percentages; shown on the summary,
in the reports, and turned into forward plan actions."""

import io

import pytest
from docx import Document

from selfassess.assessments.selectors import assessment_view
from selfassess.feedback import selectors, services
from selfassess.feedback.models import SurveyResponse
from selfassess.reports.context import report_data
from selfassess.reports.formats import FORMATS

ALL_REFS = [f"{p}.{s}" for p in range(1, 6) for s in range(1, 6)]


def respond(round_, statements: dict, comments=None, experience=None, default=1):
    """One councillor's full answers through the shared link, as the survey stores them."""
    token = services.shared_ticket(round_.public_id, round_.access_code)
    answers = {
        "statements": {ref: statements.get(ref, default) for ref in ALL_REFS},
        "comments": comments or {},
        "experience": experience or {},
    }
    services.submit(token, answers)


@pytest.fixture
def five_answers(open_round):
    # Officers scored 3.1 as 2 and 2.1 as 0 (seed 002).
    rows = [
        (
            {"3.1": 0, "2.1": 2},
            {"1": "Nobody told me where to go"},
            {
                "frequency": "Often (every month or more)",
                "where": ["Online or on social media", "At or near my home"],
            },
        ),
        (
            {"3.1": 0, "2.1": 1},
            {},
            {"frequency": "Several times", "where": ["Online or on social media"]},
        ),
        ({"3.1": 1, "2.1": None}, {}, {"frequency": "Never"}),
        ({"3.1": 0, "2.1": 2}, {"3": "The safeguarding officer was great"}, {}),
        ({"3.1": None, "2.1": 1}, {}, {"frequency": "Several times", "standing_down": "Yes"}),
    ]
    for statements, comments, experience in rows:
        respond(open_round, statements, comments, experience)
    return open_round


def test_withheld_while_open_and_below_the_threshold(open_round, admin):
    for _ in range(4):
        respond(open_round, {})
    view = assessment_view(open_round.assessment)
    with pytest.raises(selectors.ResultsWithheld, match="once the round has closed"):
        selectors.results(open_round, view)
    services.close_round(round_=open_round, user=admin)
    with pytest.raises(selectors.ResultsWithheld, match="fewer than 5 responses"):
        selectors.results(open_round, view)


def test_threshold_is_a_setting(open_round, admin, settings, login, viewer):
    settings.SURVEY_MIN_RESPONSES = 3
    for _ in range(3):
        respond(open_round, {})
    services.close_round(round_=open_round, user=admin)
    page = login(viewer).get(
        f"/councils/example/assessments/{open_round.assessment_id}/feedback/{open_round.pk}/results/"
    )
    assert "Where views differ most" in page.content.decode()


def test_results_page_says_why_it_is_empty(open_round, admin, login, viewer):
    for _ in range(4):
        respond(open_round, {}, comments={"1": "A comment that must stay hidden"})
    services.close_round(round_=open_round, user=admin)
    page = (
        login(viewer)
        .get(
            f"/councils/example/assessments/{open_round.assessment_id}/feedback/{open_round.pk}/results/"
        )
        .content.decode()
    )
    assert "never shown for fewer than 5 responses" in page
    assert "A comment that must stay hidden" not in page


def test_gap_computation(five_answers, admin):
    services.close_round(round_=five_answers, user=admin)
    r = selectors.results(five_answers, assessment_view(five_answers.assessment))
    s31 = r.statement("3.1")
    assert s31.counts == {0: 3, 1: 1, 2: 0, "dont_know": 1}
    assert s31.answered == 4 and s31.mean == 0.25 and s31.officer_score == 2 and s31.gap == -1.75
    s21 = r.statement("2.1")
    assert s21.counts == {0: 0, 1: 2, 2: 2, "dont_know": 1}
    assert s21.mean == 1.5 and s21.gap == 1.5
    s43 = r.statement("4.3")  # everyone answered the default 1; officers scored 2
    assert s43.mean == 1 and s43.gap == -1
    assert [s.ref for s in r.statements_by_gap[:2]] == ["3.1", "2.1"]
    p3 = next(p for p in r.principles if p.number == 3)
    # officers 7; councillors 0.25 + 1 + 1 + 1 + 1 = 4.25
    assert p3.officer_total == 7 and p3.councillor_total == 4.2 and p3.gap == -2.8
    assert r.principles_by_gap[0].number == 4  # officers 9, councillors 5: gap -4
    frequency = next(q for q in r.experience if q.id == "frequency")
    assert frequency.answered == 4
    assert dict((o, (n, pct)) for o, n, pct in frequency.rows) == {
        "Never": (1, 25),
        "Once or twice": (0, 0),
        "Several times": (2, 50),
        "Often (every month or more)": (1, 25),
    }
    where = next(q for q in r.experience if q.id == "where")
    assert ("Online or on social media", 2, 100) in where.rows
    assert [c for p in r.principles for c in p.comments] == [
        "Nobody told me where to go",
        "The safeguarding officer was great",
    ]


def test_results_on_the_summary_and_in_the_reports(five_answers, admin, login, viewer):
    services.close_round(round_=five_answers, user=admin)
    a = five_answers.assessment
    summary = login(viewer).get(f"/councils/example/assessments/{a.pk}/summary/").content.decode()
    assert "What councillors said" in summary and "Nobody told me where to go" in summary
    doc = Document(io.BytesIO(FORMATS["docx"].render(report_data(a))))
    text = "\n".join(p.text for p in doc.paragraphs)
    # 3.1's average is 0.25: every format shows it as the page does (0.3, not Python's 0.2).
    assert "What councillors said" in text and "3.1 councillors 0.3, council 2 (gap -1.8)" in text
    assert ">0.3</td>" in summary
    assert SurveyResponse.objects.count() == 5


def test_an_editor_turns_a_gap_into_an_action(five_answers, admin, login, editor):
    services.close_round(round_=five_answers, user=admin)
    a = five_answers.assessment
    client = login(editor)
    results_page = client.get(
        f"/councils/example/assessments/{a.pk}/feedback/{five_answers.pk}/results/"
    ).content.decode()
    assert f"?survey={five_answers.pk}&amp;gap=3.1" in results_page
    form = client.get(
        f"/councils/example/assessments/{a.pk}/plan/actions/new/",
        {"survey": five_answers.pk, "gap": "3.1"},
    ).content.decode()
    assert 'value="Respond to councillors’ feedback on statement 3.1"' in form
    assert "their average was 0.3 against the council’s score of 2 (gap -1.8)" in form
    assert 'value="3.1" checked' in form
