"""Results: suppressed below the threshold and while open; the perception gap computed
right and sorted; experience answers as counts and percentages; shown on the summary,
in the reports, and turned into forward plan actions."""

import io
import re

import pytest
from docx import Document

from selfassess.assessments.selectors import assessment_view
from selfassess.feedback import selectors, services
from selfassess.feedback.models import SurveyResponse
from selfassess.reports.context import report_data
from selfassess.reports.formats import FORMATS

ALL_REFS = [f"{p}.{s}" for p in range(1, 6) for s in range(1, 6)]


def invited_token(round_) -> str:
    """A new councillor invited personally to the round: their link's token."""
    from selfassess.feedback import tokens
    from selfassess.feedback.models import Ballot

    n = Ballot.objects.filter(round=round_).count() + 1
    services.add_invitations(
        round_=round_, people=[services.Invitee(f"Cllr {n}", f"cllr{n}@example.org")]
    )
    ballot = Ballot.objects.get(round=round_, email=f"cllr{n}@example.org")
    return tokens.open_link(ballot.link)


def respond(round_, statements: dict, comments=None, experience=None, default=1, shared=False):
    """One councillor's full answers, as the survey stores them: invited personally, or
    through the shared link."""
    if shared:
        token = services.shared_ticket(round_.public_id, round_.access_code)
    else:
        token = invited_token(round_)
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
    open_round.refresh_from_db()  # sealed by the task it queued
    with pytest.raises(
        selectors.ResultsWithheld, match="at least 5 councillors invited personally"
    ):
        selectors.results(open_round, view)


def test_threshold_is_a_setting(open_round, admin, settings, login, viewer):
    settings.SURVEY_MIN_RESPONSES = 3
    for _ in range(3):
        respond(open_round, {})
    services.close_round(round_=open_round, user=admin)
    open_round.refresh_from_db()  # sealed by the task it queued
    page = login(viewer).get(
        f"/councils/example/assessments/{open_round.assessment_id}/feedback/{open_round.pk}/results/"
    )
    assert "Where views differ most" in page.content.decode()


def test_results_page_says_why_it_is_empty(open_round, admin, login, viewer):
    for _ in range(4):
        respond(open_round, {}, comments={"1": "A comment that must stay hidden"})
    services.close_round(round_=open_round, user=admin)
    open_round.refresh_from_db()  # sealed by the task it queued
    page = (
        login(viewer)
        .get(
            f"/councils/example/assessments/{open_round.assessment_id}/feedback/{open_round.pk}/results/"
        )
        .content.decode()
    )
    assert "only once at least 5 councillors invited personally have answered" in page
    assert "A comment that must stay hidden" not in page


def test_gap_computation(five_answers, admin, settings):
    settings.SURVEY_MIN_RESPONSES_FOR_COMMENTS = 5  # comments are not what this is about
    services.close_round(round_=five_answers, user=admin)
    five_answers.refresh_from_db()  # sealed by the task it queued
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


def test_results_on_the_summary_and_in_the_reports(
    five_answers, admin, login, viewer, settings
):
    settings.SURVEY_MIN_RESPONSES_FOR_COMMENTS = 5  # comments are not what this is about
    services.close_round(round_=five_answers, user=admin)
    five_answers.refresh_from_db()  # sealed by the task it queued
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
    five_answers.refresh_from_db()  # sealed by the task it queued
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


def results_page(login, user, round_) -> str:
    return (
        login(user)
        .get(f"/councils/example/assessments/{round_.assessment_id}/feedback/{round_.pk}/results/")
        .content.decode()
    )


def test_shared_link_answers_do_not_count_towards_the_threshold(open_round, admin, login, viewer):
    """Whoever holds the shared code (an admin sees it) cannot fill the threshold around one
    real councillor: only answers from personal invitations count towards it."""
    respond(open_round, {}, comments={"1": "The only real councillor"})
    for _ in range(9):
        respond(open_round, {}, shared=True)
    services.close_round(round_=open_round, user=admin)
    open_round.refresh_from_db()  # sealed by the task it queued
    page = results_page(login, viewer, open_round)
    assert "This round had 1 from personal invitations" in page
    assert "The only real councillor" not in page and "Where views differ most" not in page


def test_shared_answers_are_included_once_the_threshold_is_met(open_round, admin):
    for _ in range(5):
        respond(open_round, {"1.1": 2})
    for _ in range(3):
        respond(open_round, {"1.1": 0}, shared=True)
    services.close_round(round_=open_round, user=admin)
    open_round.refresh_from_db()  # sealed by the task it queued
    r = selectors.results(open_round, assessment_view(open_round.assessment))
    assert r.responses == 8 and r.state.answered_shared == 3
    assert r.statement("1.1").counts == {0: 3, 1: 0, 2: 5, "dont_know": 0}


def test_comments_need_twice_the_threshold_of_personal_answers(open_round, admin, login, viewer):
    for n in range(9):
        respond(open_round, {}, comments={"2": f"Comment number {n}"})
    services.close_round(round_=open_round, user=admin)
    open_round.refresh_from_db()  # sealed by the task it queued
    page = results_page(login, viewer, open_round)
    assert "Where views differ most" in page  # 9 personal answers: results, but
    assert "Comment number" not in page  # no comments word for word below 10
    assert "Comments are shown word for word only once 10 councillors" in page


def test_comments_shown_at_twice_the_threshold(open_round, admin, login, viewer):
    for n in range(10):
        respond(open_round, {}, comments={"2": f"Comment number {n}"})
    services.close_round(round_=open_round, user=admin)
    open_round.refresh_from_db()  # sealed by the task it queued
    page = results_page(login, viewer, open_round)
    assert all(f"Comment number {n}" in page for n in range(10))


def test_dont_know_is_counted_and_a_statement_everyone_did_not_know_is_a_finding(
    open_round, admin, login, viewer
):
    for _ in range(5):
        respond(open_round, {"5.3": None, "5.4": None, "1.1": 2})
    respond(open_round, {"5.3": None, "5.4": 1})
    services.close_round(round_=open_round, user=admin)
    open_round.refresh_from_db()  # sealed by the task it queued
    r = selectors.results(open_round, assessment_view(open_round.assessment))
    assert r.statement("5.3").all_dont_know and r.statement("5.3").dont_know == 6
    assert not r.statement("5.4").all_dont_know and r.statement("5.4").dont_know == 5
    assert next(p for p in r.principles if p.number == 5).dont_know == 11
    assert [s.ref for s in r.statements_without_gap] == ["5.3"]
    # Principle 5 has no councillors' total (nobody could answer 5.3), and is still a row
    # of the principles' table, last, with its 11 "Don't know" answers.
    assert [p.number for p in r.principles_by_gap][-1] == 5
    assert len(r.principles_by_gap) == 5
    page = results_page(login, viewer, open_round)
    assert "every councillor who answered (6) said they don’t know" in page
    assert "“Don’t know” answers" in page
    row = page.split("5. Creating a culture of safety and respect</th>", 1)[1].split("</tr>")[0]
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    assert cells[1:] == ["No total", "Not known: no total to compare", "11"]
    # The Word file says the same.
    document = Document(io.BytesIO(FORMATS["docx"].render(report_data(open_round.assessment))))
    table = next(t for t in document.tables if t.rows[0].cells[-1].text == "Don’t know")
    last = [c.text for c in table.rows[-1].cells]
    assert last[0].startswith("5. ") and last[2:] == ["No total", "Not known", "11"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "5.3 every councillor who answered (6) said they don’t know" in text
