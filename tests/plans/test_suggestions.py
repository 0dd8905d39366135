"""Suggested actions come from the toolkit's guidance: specific to the statement and to
its score, several per statement, added several at once or edited first, and dismissed
only after confirming, with an optional reason that the plan keeps. A toolkit version
without guidance gets one honest, general suggestion per gap. Nothing enters the plan
until a person adds it."""

import re
from collections import defaultdict

import pytest
import yaml
from django.utils.html import escape

from selfassess.assessments.models import Response
from selfassess.assessments.selectors import assessment_view
from selfassess.frameworks.loader import BUNDLED_FRAMEWORK
from selfassess.plans import selectors, services
from selfassess.plans.models import Action, DismissedSuggestion, PlanChange

from .conftest import plan_url

GAPS = [
    "1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2", "2.3", "2.4", "2.5",
    "3.3", "3.5", "4.2", "5.1", "5.3", "5.4",
]  # fmt: skip
SCORED_0 = {"1.3", "1.5", "2.1", "2.2", "3.5", "5.3"}
OLD_PLACEHOLDER = re.compile(
    r"^(Put arrangements in place|Strengthen arrangements) for statement \d+\.\d+$"
)


def guidance_file() -> dict:
    """Each statement's guidance as the toolkit file has it, read without the app."""
    data = yaml.safe_load(BUNDLED_FRAMEWORK.read_text(encoding="utf-8"))
    return {s["ref"]: s["guidance"] for p in data["principles"] for s in p["statements"]}


def current(assessment):
    view = assessment_view(assessment)
    actions = list(selectors.actions_for(assessment))
    dismissed = selectors.dismissed_keys(selectors.dismissed_suggestions(assessment))
    return selectors.suggestions(view, selectors.covered_refs(actions), dismissed)


def by_ref(suggestions) -> dict[str, list]:
    out = defaultdict(list)
    for s in suggestions:
        out[s.statement.ref].append(s)
    return out


def choice(assessment, ref: str, n: int = 0) -> str:
    return by_ref(current(assessment))[ref][n].choice


def test_each_gap_gets_the_toolkits_actions_for_its_own_score(scored):
    guidance = guidance_file()
    found = by_ref(current(scored))
    assert list(found) == GAPS  # none for a statement scored 2
    for ref, suggestions in found.items():
        score = 0 if ref in SCORED_0 else 1
        expected = [a for a in guidance[ref]["actions"] if score in a["scores"]]
        assert expected, ref
        assert [(s.title, s.description, s.lead, s.partners) for s in suggestions] == [
            (a["title"], a["description"], a["lead"], a["partners"]) for a in expected
        ], ref
        assert all(s.guided and s.statement.ref == ref for s in suggestions)
        assert {s.priority for s in suggestions} == {"high" if score == 0 else "medium"}
    assert not Action.objects.exists()  # suggestions are never stored as actions


def test_a_0_and_a_1_get_different_first_steps(scored):
    before = [s.title for s in by_ref(current(scored))["2.1"]]  # scored 0
    Response.objects.filter(assessment=scored, statement__ref="2.1").update(score=1)
    after = [s.title for s in by_ref(current(scored))["2.1"]]
    assert before and after and before != after
    Response.objects.filter(assessment=scored, statement__ref="2.1").update(score=2)
    assert "2.1" not in by_ref(current(scored))


@pytest.mark.parametrize("scores", ["seed 002", "all 0", "all 1"])
def test_no_two_statements_share_a_suggestion_title_and_none_is_a_placeholder(
    scored, unguided, login, editor, scores
):
    """Across the suggestions the app actually makes, on the pages too: seed 002's
    scores, and every statement at 0 and at 1, so every suggested action is seen."""
    for assessment in (scored, unguided):
        if scores != "seed 002":
            Response.objects.filter(assessment=assessment).update(score=int(scores[-1]))
        suggestions = current(assessment)
        assert suggestions
        statements_of = defaultdict(set)
        for s in suggestions:
            statements_of[" ".join(s.title.split()).casefold()].add(s.statement.ref)
            assert not OLD_PLACEHOLDER.match(s.title), s.title
            assert s.title not in (
                f"Put arrangements in place for statement {s.statement.ref}",
                f"Strengthen arrangements for statement {s.statement.ref}",
            )
        shared = {title: refs for title, refs in statements_of.items() if len(refs) > 1}
        assert shared == {}
        page = login(editor).get(plan_url(assessment, "suggestions/")).content.decode()
        assert "Put arrangements in place" not in page
        assert "Strengthen arrangements for" not in page
        assert page.count('name="chosen"') == len(suggestions)


def test_a_toolkit_without_guidance_gets_one_honest_suggestion_per_gap(unguided):
    found = by_ref(current(unguided))
    assert list(found) == GAPS and all(len(s) == 1 for s in found.values())
    (first,) = found["2.1"]
    assert first.title == "Decide what the council will put in place for statement 2.1"
    assert not first.guided and first.priority == "high" and first.lead == ""
    assert "is scored 0: Not addressed" in first.description
    assert "No formal risk assessment support currently exists" in first.description
    assert "This version of the toolkit has no suggested actions" in first.description
    (later,) = found["4.2"]
    assert later.title == "Decide how the council will build on what it does for statement 4.2"
    assert "We provide councillors and council staff with clear advice" in later.description


def test_unscored_statements_get_no_suggestion(assessment):
    assert assessment.framework.version == "2024-06.1"
    assert current(assessment) == []


def test_several_are_added_at_once_with_their_lead_and_partners(scored, login, editor):
    client = login(editor)
    page = client.get(plan_url(scored, "suggestions/")).content.decode()
    assert "Add selected actions to the plan" in page
    two_for_21 = [choice(scored, "2.1", 0), choice(scored, "2.1", 1)]
    one_for_42 = choice(scored, "4.2", 0)
    wanted = {s.choice: s for s in current(scored)}
    resp = client.post(plan_url(scored, "suggestions/add/"), {"chosen": [*two_for_21, one_for_42]})
    assert resp.status_code == 302 and resp["Location"] == plan_url(scored)
    added = list(Action.objects.order_by("pk"))
    assert len(added) == 3
    for action, key in zip(added, [*two_for_21, one_for_42], strict=True):
        s = wanted[key]
        assert (action.title, action.description, action.lead, action.partners) == (
            s.title,
            s.description,
            s.lead,
            s.partners,
        )
        assert [st.ref for st in action.statements.all()] == [s.statement.ref]
        assert action.target_date is None and action.status == "not_started"
    assert added[0].priority == "high" and added[2].priority == "medium"
    left = by_ref(current(scored))
    assert "2.1" not in left and "4.2" not in left and "2.2" in left
    plan = client.get(plan_url(scored)).content.decode()
    assert "Added 3 actions to the plan" in plan and escape(added[2].title) in plan
    assert PlanChange.objects.filter(field="action_created").count() == 3


def test_adding_nothing_is_explained_and_adds_nothing(scored, login, editor):
    resp = login(editor).post(plan_url(scored, "suggestions/add/"), {})
    assert resp.status_code == 400
    page = resp.content.decode()
    assert "There is a problem" in page
    first = current(scored)[0]
    assert (
        f'<a href="#suggestion-{first.html_id}">Select at least one suggested action to add' in page
    )
    assert f'id="suggestion-{first.html_id}" name="chosen"' in page
    assert not Action.objects.exists()


def test_a_suggestion_gone_meanwhile_adds_none_of_the_chosen(scored, login, editor, second_editor):
    chosen = [choice(scored, "4.2"), choice(scored, "2.1")]
    login(second_editor).post(plan_url(scored, "suggestions/add/"), {"chosen": [chosen[1]]})
    assert Action.objects.count() == 1
    resp = login(editor).post(plan_url(scored, "suggestions/add/"), {"chosen": chosen})
    assert resp.status_code == 400
    page = resp.content.decode()
    assert "A suggestion you selected is no longer in the list" in page
    assert Action.objects.count() == 1  # not even the one for 4.2
    assert f'value="{chosen[0]}" checked' in page  # the choice is kept to resend
    assert (
        login(editor).post(plan_url(scored, "suggestions/add/"), {"chosen": ["9.9/x"]}).status_code
        == 400
    )


def test_the_service_adds_all_or_none(scored, editor):
    pending = {s.choice: s for s in current(scored)}
    fine, gone = pending[choice(scored, "4.2")], pending[choice(scored, "2.1")]
    services.create_action(
        assessment=scored,
        user=editor,
        data=services.ActionInput("Other", "", "", "", None, "low", "not_started", ["2.1"]),
    )
    with pytest.raises(services.PlanError, match="statement 2.1 already has an action"):
        services.accept_suggestions(
            assessment=scored,
            user=editor,
            chosen=[
                services.SuggestedAction(s.statement.ref, s.key, services.ActionInput(
                    s.title, s.description, s.lead, s.partners, None, s.priority,
                    "not_started", [s.statement.ref],
                ))
                for s in (fine, gone)
            ],
        )  # fmt: skip
    assert list(Action.objects.values_list("title", flat=True)) == ["Other"]


def test_edit_then_add_opens_the_form_filled_in(scored, login, editor):
    client = login(editor)
    s = by_ref(current(scored))["5.3"][0]
    url = plan_url(scored, f"actions/new/?from=5.3&key={s.key}")
    assert (
        f'href="{url.replace("&", "&amp;")}"'
        in client.get(plan_url(scored, "suggestions/")).content.decode()
    )
    page = client.get(url).content.decode()
    assert f'value="{escape(s.title)}"' in page
    assert escape(s.description) in page
    assert f'value="{escape(s.lead)}"' in page
    assert 'value="5.3" checked' in page
    assert "This is the suggested action for statement 5.3" in page
    assert not Action.objects.exists()
    resp = client.post(
        url,
        {
            "title": "Our own version of it",
            "description": "Changed before adding.",
            "statements": ["5.3"],
            "lead": "Head of Legal",
            "partners": "",
            "priority": "high",
            "status": "not_started",
        },
    )
    assert resp.status_code == 302
    action = Action.objects.get()
    assert (action.title, action.lead) == ("Our own version of it", "Head of Legal")
    assert "5.3" not in by_ref(current(scored))  # covered now: its suggestions are done


def test_dismissing_asks_first_then_keeps_the_reason(scored, login, editor):
    client = login(editor)
    first, second = by_ref(current(scored))["1.3"][:2]
    url = plan_url(scored, f"suggestions/1.3/{first.key}/dismiss/")
    page = client.get(url).content.decode()
    assert "Are you sure you want to dismiss this suggested action?" in page
    assert escape(first.title) in page and "Yes, dismiss it" in page
    assert not DismissedSuggestion.objects.exists()  # asking changes nothing
    reason = "The council's wellbeing review covers this already.\r\nSee the HR plan."
    resp = client.post(url, {"reason": reason})
    assert resp.status_code == 302 and resp["Location"] == plan_url(scored, "suggestions/")
    dismissed = DismissedSuggestion.objects.get()
    assert (dismissed.key, dismissed.title, dismissed.user) == (first.key, first.title, editor)
    assert dismissed.reason == reason.replace("\r\n", "\n")
    left = [s.title for s in by_ref(current(scored))["1.3"]]
    assert first.title not in left and second.title in left  # only that one goes
    plan = client.get(plan_url(scored)).content.decode()
    assert "Suggestions dismissed" in plan
    assert escape(first.title) in plan
    assert "See the HR plan." in plan and "Eddie Editor" in plan
    (change,) = PlanChange.objects.filter(field="suggestion")
    assert change.after == f"Dismissed. Reason: {reason.replace(chr(13) + chr(10), chr(10))}"
    assert first.title in change.note and change.user == editor


def test_a_dismissal_without_a_reason_says_so(scored, login, editor):
    client = login(editor)
    key = by_ref(current(scored))["2.2"][0].key
    client.post(plan_url(scored, f"suggestions/2.2/{key}/dismiss/"), {"reason": "  "})
    assert DismissedSuggestion.objects.get().reason == ""
    assert "No reason given." in client.get(plan_url(scored)).content.decode()


def test_a_reason_too_long_is_explained_and_nothing_dismissed(scored, login, editor):
    key = by_ref(current(scored))["2.2"][0].key
    resp = login(editor).post(
        plan_url(scored, f"suggestions/2.2/{key}/dismiss/"), {"reason": "x" * 1001}
    )
    assert resp.status_code == 400
    assert "The reason must be 1,000 characters or fewer" in resp.content.decode()
    assert not DismissedSuggestion.objects.exists()


def test_restore_puts_it_back_and_both_are_recorded(scored, login, editor):
    client = login(editor)
    s = by_ref(current(scored))["1.3"][0]
    client.post(plan_url(scored, f"suggestions/1.3/{s.key}/dismiss/"), {"reason": "Not now"})
    page = client.get(plan_url(scored, "suggestions/")).content.decode()
    assert "Dismissed suggestions" in page and "Reason: <span" in page
    client.post(plan_url(scored, f"suggestions/1.3/{s.key}/restore/"))
    assert s.title in [x.title for x in current(scored)]
    resp = client.post(plan_url(scored, f"suggestions/1.3/{s.key}/restore/"), follow=True)
    assert "That suggestion was not dismissed: nothing changed." in resp.content.decode()
    changes = PlanChange.objects.filter(field="suggestion").order_by("at", "id")
    assert list(changes.values_list("before", "after", "user")) == [
        ("", "Dismissed. Reason: Not now", editor.pk),
        ("Dismissed. Reason: Not now", "Restored", editor.pk),
    ]
    assert not Action.objects.exists()


def test_no_suggestion_for_a_statement_scored_2_or_an_unknown_key(scored, login, editor):
    client = login(editor)
    any_key = by_ref(current(scored))["2.1"][0].key
    assert client.get(plan_url(scored, f"suggestions/3.1/{any_key}/dismiss/")).status_code == 404
    assert client.get(plan_url(scored, "suggestions/2.1/no-such-thing/dismiss/")).status_code == 404
    assert client.post(plan_url(scored, "suggestions/2.1/general/dismiss/")).status_code == 404
    assert not DismissedSuggestion.objects.exists()


def test_viewer_sees_suggestions_but_cannot_act(scored, login, viewer):
    client = login(viewer)
    s = by_ref(current(scored))["2.1"][0]
    page = client.get(plan_url(scored, "suggestions/")).content.decode()
    assert escape(s.title) in page
    assert 'name="chosen"' not in page and 'method="post"' not in page
    assert (
        client.post(plan_url(scored, "suggestions/add/"), {"chosen": [s.choice]}).status_code == 403
    )
    dismiss = plan_url(scored, f"suggestions/2.1/{s.key}/dismiss/")
    assert client.get(dismiss).status_code == 403
    assert client.post(dismiss, {"reason": "x"}).status_code == 403
    assert client.post(plan_url(scored, f"suggestions/2.1/{s.key}/restore/")).status_code == 403
    assert not Action.objects.exists() and not DismissedSuggestion.objects.exists()


def test_a_suggestion_is_decided_once(scored, login, editor, second_editor):
    first, second = login(editor), login(second_editor)
    s = by_ref(current(scored))["1.3"][0]
    url = plan_url(scored, f"suggestions/1.3/{s.key}/dismiss/")
    first.post(url, {"reason": "One"})
    resp = second.post(url, {"reason": "Two"}, follow=True)
    assert "has already been dismissed" in resp.content.decode()
    assert list(DismissedSuggestion.objects.values_list("reason", flat=True)) == ["One"]
    t = by_ref(current(scored))["2.1"][0]
    first.post(plan_url(scored, "suggestions/add/"), {"chosen": [t.choice]})
    resp = second.post(plan_url(scored, f"suggestions/2.1/{t.key}/dismiss/"), {}, follow=True)
    assert "Statement 2.1 already has an action in the plan" in resp.content.decode()
    assert DismissedSuggestion.objects.count() == 1


def test_the_general_suggestion_is_dismissed_and_added_the_same_way(unguided, login, editor):
    client = login(editor)
    client.post(plan_url(unguided, "suggestions/1.3/general/dismiss/"), {"reason": "Done"})
    assert DismissedSuggestion.objects.get().title.endswith("statement 1.3")
    client.post(plan_url(unguided, "suggestions/add/"), {"chosen": ["2.1/general"]})
    action = Action.objects.get()
    assert action.title == "Decide what the council will put in place for statement 2.1"
    left = by_ref(current(unguided))
    assert "1.3" not in left and "2.1" not in left and len(left) == len(GAPS) - 2


def test_long_evidence_is_quoted_short_enough_for_an_action(unguided, login, editor):
    Response.objects.filter(assessment=unguided, statement__ref="2.1").update(evidence="e" * 9000)
    login(editor).post(plan_url(unguided, "suggestions/add/"), {"chosen": ["2.1/general"]})
    action = Action.objects.get()
    assert len(action.description) <= 5000 and "e…”" in action.description


def test_the_reason_is_in_the_dismissers_own_data_download(scored, login, editor):
    client = login(editor)
    s = by_ref(current(scored))["2.2"][0]
    client.post(plan_url(scored, f"suggestions/2.2/{s.key}/dismiss/"), {"reason": "Not now"})
    data = client.get("/account/your-data.json").json()
    (row,) = data["suggestions_dismissed"]
    assert (row["statement"], row["suggestion"], row["reason"]) == ("2.2", s.title, "Not now")
