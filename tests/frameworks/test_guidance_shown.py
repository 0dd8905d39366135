"""The toolkit's guidance where people score and read: "What good looks like" under every
statement of a principle page (a details element, closed until opened, so it needs no
JavaScript), and in the councillors' survey results beside the statement where views
differ most. An assessment on a toolkit version without guidance shows none."""

import datetime
import json
import re

import pytest
from django.utils.html import escape

from selfassess.feedback import services as feedback
from selfassess.frameworks.models import Statement
from selfassess.interchange.json_format import import_assessment
from tests.feedback.test_results import invited_token


@pytest.fixture
def guided(framework, council, seed002, editor, viewer, admin):
    data = seed002 | {"framework": {"id": framework.slug, "version": framework.version}}
    return import_assessment(json.dumps(data), council=council).assessment


@pytest.fixture
def unguided(framework, council, seed002, editor):
    return import_assessment(json.dumps(seed002), council=council).assessment


def url(assessment, tail: str) -> str:
    return f"/councils/example/assessments/{assessment.pk}/{tail}"


def details(page: str) -> list[str]:
    return re.findall(r"<details class=\"govuk-details app-guidance\".*?</details>", page, re.S)


def assert_guidance_for(block: str, statement: Statement) -> None:
    g = statement.guidance
    assert (
        f'What good looks like<span class="govuk-visually-hidden"> for statement {statement.ref}'
        in block
    )
    assert "1: Partial typically looks like this" in block
    assert "2: Comprehensive typically looks like this" in block
    assert escape(g["partial"]) in block and escape(g["comprehensive"]) in block
    assert "Evidence a committee would accept" in block
    assert all(f"<li>{escape(item)}</li>" in block for item in g["evidence"])


@pytest.mark.parametrize("who", ["editor", "viewer"])
def test_each_statement_of_a_principle_page_has_what_good_looks_like(guided, login, who, request):
    page = login(request.getfixturevalue(who)).get(url(guided, "principles/2/")).content.decode()
    found = details(page)
    statements = Statement.objects.filter(framework=guided.framework, principle__number=2)
    assert len(found) == 5
    for block, statement in zip(found, statements.order_by("position"), strict=True):
        assert_guidance_for(block, statement)
        assert " open" not in block.split(">")[0]  # closed until the reader opens it
    if who == "editor":  # between the score and the evidence box of its own statement
        first = page.index('id="statement-r2-1"')
        assert first < page.index(found[0]) < page.index('id="id_r2-1-evidence"')


def test_a_toolkit_version_without_guidance_shows_none(unguided, login, editor):
    page = login(editor).get(url(unguided, "principles/2/")).content.decode()
    assert details(page) == [] and "What good looks like" not in page


def close_with_answers(assessment, admin, answers: dict, n: int = 5):
    today = datetime.date.today()
    round_ = feedback.open_round(
        assessment=assessment,
        user=admin,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=7),
        introduction="",
        shared_link=True,
    )
    for _ in range(n):
        feedback.submit(invited_token(round_), answers)
    feedback.close_round(round_=round_, user=admin)
    return round_


def test_survey_results_show_what_good_looks_like_where_the_gap_is_largest(guided, login, admin):
    # Councillors say Partly (1) everywhere but 3.1, which the council scored 2 and
    # councillors 0: the largest gap, -2. Every other gap is 1 or less.
    answers = {
        "statements": {s.ref: 1 for s in Statement.objects.filter(framework=guided.framework)}
    }
    answers["statements"]["3.1"] = 0
    round_ = close_with_answers(guided, admin, answers)
    page = login(admin).get(url(guided, f"feedback/{round_.pk}/results/")).content.decode()
    assert "What good looks like where the gap is largest" in page
    section = page[page.index('id="largest-gap"') :]
    assert (
        "<strong>Statement 3.1</strong>: councillors’ average 0.0, the council’s score 2, "
        "a gap of -2.0." in section
    )
    # beside the table of statements, largest gap first, and before it
    assert page.index('id="largest-gap"') < page.index("Statements, largest gap first")
    (block,) = details(section)
    assert_guidance_for(block, Statement.objects.get(framework=guided.framework, ref="3.1"))


def test_equal_largest_gaps_each_get_their_guidance(guided, login, admin):
    answers = {
        "statements": {s.ref: 1 for s in Statement.objects.filter(framework=guided.framework)}
    }
    answers["statements"]["3.1"] = 0
    answers["statements"]["5.3"] = 2  # council 0, councillors 2: the same size of gap, +2
    round_ = close_with_answers(guided, admin, answers)
    page = login(admin).get(url(guided, f"feedback/{round_.pk}/results/")).content.decode()
    section = page[page.index('id="largest-gap"') :]
    assert [re.search(r"for statement (\d\.\d)", b).group(1) for b in details(section)] == [
        "3.1",
        "5.3",
    ]


def test_no_section_where_councillors_and_council_agree(guided, login, admin):
    scores = dict(guided.responses.values_list("statement__ref", "score"))
    round_ = close_with_answers(guided, admin, {"statements": scores})
    page = login(admin).get(url(guided, f"feedback/{round_.pk}/results/")).content.decode()
    assert "Results" in page and "What good looks like where the gap is largest" not in page


def test_reassessing_an_assessment_on_the_old_version_brings_the_guidance(unguided, editor, login):
    from selfassess.workspace.services import start_assessment

    result = start_assessment(
        council=unguided.council,
        previous=unguided,
        user=editor,
        title="Review 2025",
        assessed_on=datetime.date(2025, 6, 1),
    )
    new = result.assessment
    assert (unguided.framework.version, new.framework.version) == ("2024-06", "2024-06.1")
    assert (result.removed_refs, result.new_refs) == ([], [])
    assert new.responses.get(statement__ref="2.1").score == 0  # carried over by ref
    page = login(editor).get(url(new, "principles/2/")).content.decode()
    assert len(details(page)) == 5
    assert (
        "What good looks like"
        not in login(editor).get(url(unguided, "principles/2/")).content.decode()
    )
