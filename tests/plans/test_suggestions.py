"""Suggested actions: one per statement scored 0 or 1, none for 2, and never in the
plan until a person accepts one."""

from selfassess.assessments.selectors import assessment_view
from selfassess.plans import selectors
from selfassess.plans.models import Action, DismissedSuggestion

from .conftest import plan_url

GAPS = [
    "1.1",
    "1.2",
    "1.3",
    "1.4",
    "1.5",
    "2.1",
    "2.2",
    "2.3",
    "2.4",
    "2.5",
    "3.3",
    "3.5",
    "4.2",
    "5.1",
    "5.3",
    "5.4",
]


def current(scored):
    view = assessment_view(scored)
    actions = list(selectors.actions_for(scored))
    return selectors.suggestions(
        view, selectors.covered_refs(actions), selectors.dismissed_refs(scored)
    )


def test_one_suggestion_per_statement_scored_0_or_1_and_none_for_2(scored):
    suggestions = current(scored)
    assert [s.statement.ref for s in suggestions] == GAPS
    by_ref = {s.statement.ref: s for s in suggestions}
    assert by_ref["2.1"].title == "Put arrangements in place for statement 2.1"
    assert by_ref["2.1"].priority == "high"
    assert "is scored 0: Not addressed" in by_ref["2.1"].description
    assert "No formal risk assessment support currently exists" in by_ref["2.1"].description
    assert by_ref["4.2"].title == "Strengthen arrangements for statement 4.2"
    assert "We provide councillors and council staff with clear advice" in by_ref["4.2"].description
    assert not Action.objects.exists()  # suggestions are never stored as actions


def test_unscored_statements_get_no_suggestion(assessment):
    assert current(assessment) == []


def test_accepting_puts_it_in_the_plan_and_removes_the_suggestion(scored, login, editor):
    client = login(editor)
    page = client.get(plan_url(scored, "suggestions/")).content.decode()
    assert page.count('value="accept"') == len(GAPS)
    resp = client.post(plan_url(scored, "suggestions/2.1/"), {"decision": "accept"})
    action = Action.objects.get()
    assert resp.status_code == 302 and resp["Location"].endswith(f"/actions/{action.pk}/edit/")
    assert action.title == "Put arrangements in place for statement 2.1"
    assert [s.ref for s in action.statements.all()] == ["2.1"]
    assert "2.1" not in [s.statement.ref for s in current(scored)]


def test_edit_then_add_prefills_the_form(scored, login, editor):
    page = login(editor).get(plan_url(scored, "actions/new/?from=5.3")).content.decode()
    assert 'value="Put arrangements in place for statement 5.3"' in page
    assert 'value="5.3" checked' in page
    assert not Action.objects.exists()


def test_dismiss_and_restore(scored, login, editor):
    client = login(editor)
    client.post(plan_url(scored, "suggestions/1.3/"), {"decision": "dismiss"})
    assert DismissedSuggestion.objects.filter(statement__ref="1.3").exists()
    assert "1.3" not in [s.statement.ref for s in current(scored)]
    plan = client.get(plan_url(scored)).content.decode()
    assert "Suggestion dismissed." in plan  # still listed as a gap without an action
    client.post(plan_url(scored, "suggestions/1.3/"), {"decision": "restore"})
    assert "1.3" in [s.statement.ref for s in current(scored)]
    assert not Action.objects.exists()


def test_no_suggestion_for_a_statement_scored_2(scored, login, editor):
    resp = login(editor).post(plan_url(scored, "suggestions/3.1/"), {"decision": "accept"})
    assert resp.status_code == 404
    assert not Action.objects.exists()


def test_viewer_sees_suggestions_but_cannot_act(scored, login, viewer):
    client = login(viewer)
    page = client.get(plan_url(scored, "suggestions/")).content.decode()
    assert "Put arrangements in place for statement 2.1" in page
    assert 'value="accept"' not in page
    assert (
        client.post(plan_url(scored, "suggestions/2.1/"), {"decision": "accept"}).status_code == 403
    )
    assert not Action.objects.exists()


def test_long_evidence_is_quoted_short_enough_for_an_action(scored, login, editor):
    from selfassess.assessments.models import Response

    Response.objects.filter(assessment=scored, statement__ref="2.1").update(evidence="e" * 9000)
    client = login(editor)
    client.post(plan_url(scored, "suggestions/2.1/"), {"decision": "accept"})
    action = Action.objects.get()
    assert len(action.description) <= 5000 and "e…”" in action.description


def test_a_suggestion_is_decided_once(scored, login, editor, second_editor):
    first, second = login(editor), login(second_editor)
    first.post(plan_url(scored, "suggestions/2.1/"), {"decision": "accept"})
    resp = second.post(plan_url(scored, "suggestions/2.1/"), {"decision": "accept"}, follow=True)
    assert "Statement 2.1 already has an action in the plan" in resp.content.decode()
    assert Action.objects.count() == 1
    first.post(plan_url(scored, "suggestions/1.3/"), {"decision": "dismiss"})
    second.post(plan_url(scored, "suggestions/1.3/"), {"decision": "accept"})
    assert not Action.objects.filter(statements__ref="1.3").exists()


def test_dismiss_and_restore_are_recorded(scored, login, editor):
    from selfassess.plans.models import PlanChange

    client = login(editor)
    client.post(plan_url(scored, "suggestions/1.3/"), {"decision": "dismiss"})
    client.post(plan_url(scored, "suggestions/1.3/"), {"decision": "restore"})
    changes = PlanChange.objects.filter(field="suggestion").order_by("at", "id")
    assert list(changes.values_list("after", "user")) == [
        ("dismissed", editor.pk),
        ("restored", editor.pk),
    ]
