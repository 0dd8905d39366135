"""The assessment's histories show words: scores by their level, statuses as "In
progress" and "Complete", never the stored codes."""

import datetime

from selfassess.assessments import selectors, services
from selfassess.assessments.models import Change

from .helpers import url


def test_statement_history_names_the_levels(assessment, editor, login):
    services.save_responses(
        assessment=assessment,
        user=editor,
        entries=[services.ResponseInput(ref="1.1", score=2, evidence="Policy adopted.", links=[])],
    )
    services.save_responses(
        assessment=assessment,
        user=editor,
        entries=[services.ResponseInput(ref="1.1", score=1, evidence="Policy adopted.", links=[])],
    )
    page = login(editor).get(url(assessment, "statements/1.1/history/")).content.decode()
    for words in ("Unscored", "2: Comprehensive", "1: Partial"):
        assert f">{words}</td>" in page, words
    for code in ("0", "1", "2"):
        assert f">{code}</td>" not in page, code


def test_the_task_list_history_says_in_progress_and_complete(framework, council, admin, login):
    from selfassess.interchange.json_format import import_assessment
    from tests.conftest import SEED_002

    scored = import_assessment(SEED_002.read_text(), council=council).assessment
    services.sign_off(
        assessment=scored,
        user=admin,
        agreed_by="Standards Committee",
        agreed_on=datetime.date(2024, 9, 30),
    )
    services.reopen(assessment=scored, user=admin, reason="Evidence for 4.2 was missing")
    stored = list(
        Change.objects.filter(assessment=scored, field=Change.Field.STATUS).values_list(
            "before", "after"
        )
    )
    assert ("draft", "complete") in stored and ("complete", "draft") in stored
    events = login(admin).get(url(scored)).content.decode()
    events = events[events.index("History of this assessment") :]
    assert (
        "Status changed from In progress to Complete. Agreed by Standards Committee on "
        "30 September 2024" in events
    )
    assert "Status changed from Complete to In progress. Reopened: Evidence for 4.2" in events
    for code in ("draft", "complete", "2024-09-30"):
        assert code not in events.split("</ul>")[0], code


def test_shown_values():
    levels = list(_levels())
    shown = selectors.shown_value
    assert shown(Change.Field.STATUS, "draft", levels) == "In progress"
    assert shown(Change.Field.STATUS, "complete", levels) == "Complete"
    assert shown(Change.Field.SCORE, "0", levels) == "0: Not addressed"
    assert shown(Change.Field.SCORE, "", levels) == "Unscored"
    assert shown(Change.Field.REVIEWED, "carried forward", levels) == "Carried forward"
    assert shown(Change.Field.EVIDENCE, "draft", levels) == "draft"  # typed text as typed


def _levels():
    from types import SimpleNamespace

    return [
        SimpleNamespace(value=0, label="Not addressed"),
        SimpleNamespace(value=1, label="Partial"),
        SimpleNamespace(value=2, label="Comprehensive"),
    ]
