"""An action's history shows what was stored in words: "High", "In progress",
"30 September 2024", never the stored codes."""

import datetime

from selfassess.plans import selectors, services
from selfassess.plans.models import PlanChange

from .conftest import plan_url


def test_action_history_shows_words_not_codes(scored, login, editor):
    action = services.create_action(
        assessment=scored,
        user=editor,
        data=services.ActionInput(
            title="Police contact",
            description="",
            lead="",
            partners="",
            target_date=None,
            priority="low",
            status="not_started",
            refs=["4.2"],
        ),
    )
    services.update_action(
        action=action,
        user=editor,
        data=services.ActionInput(
            title="Police contact",
            description="",
            lead="",
            partners="",
            target_date=datetime.date(2024, 9, 30),
            priority="high",
            status="in_progress",
            refs=["4.2"],
        ),
        seen_version=0,
    )
    stored = {c.field: (c.before, c.after) for c in PlanChange.objects.filter(action=action)}
    # What is stored stays as it was written.
    assert stored[PlanChange.Field.PRIORITY] == ("low", "high")
    assert stored[PlanChange.Field.ACTION_STATUS] == ("not_started", "in_progress")
    assert stored[PlanChange.Field.TARGET_DATE] == ("", "2024-09-30")
    page = login(editor).get(plan_url(scored, f"actions/{action.pk}/")).content.decode()
    history = page[page.index('<h2 class="govuk-heading-m">History</h2>') :]
    for words in ("High", "Low", "In progress", "Not started", "30 September 2024", "Not set"):
        assert f">{words}</td>" in history, words
    for code in ("high", "low", "in_progress", "not_started", "2024-09-30"):
        assert f">{code}</td>" not in history, code


def test_every_stored_code_has_its_words():
    shown = selectors.shown_value
    assert shown(PlanChange.Field.ACTION_STATUS, "complete") == "Complete"
    assert shown(PlanChange.Field.ACTION_STATUS, "deferred") == "Deferred"
    assert shown(PlanChange.Field.PRIORITY, "medium") == "Medium"
    assert shown(PlanChange.Field.TARGET_DATE, "2025-03-31") == "31 March 2025"
    assert shown(PlanChange.Field.SUGGESTION, "dismissed") == "Dismissed"
    # Text a person typed is shown as typed, even when it looks like a code.
    assert shown(PlanChange.Field.TITLE, "high") == "high"
    assert shown(PlanChange.Field.LEAD, "2024-09-30") == "2024-09-30"
