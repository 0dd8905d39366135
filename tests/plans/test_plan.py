"""The forward plan: actions with owners and dates, overdue on a fixed today, filters,
gaps without an action, permissions, history and bad input."""

import copy
import datetime
import json

import pytest

from selfassess.assessments.selectors import assessment_view
from selfassess.interchange.json_format import export_assessment, import_assessment
from selfassess.plans import selectors, services
from selfassess.plans.models import Action, PlanChange, ProgressUpdate

from .conftest import ACTION, plan_url


def make(scored, user, **kw) -> Action:
    data = (
        dict(
            title="An action",
            description="",
            lead="",
            partners="",
            target_date=None,
            priority="medium",
            status="not_started",
            refs=["1.1"],
        )
        | kw
    )
    return services.create_action(assessment=scored, user=user, data=services.ActionInput(**data))


def test_editor_adds_an_action_with_lead_and_date(scored, login, editor):
    client = login(editor)
    resp = client.post(plan_url(scored, "actions/new/"), ACTION)
    action = Action.objects.get()
    assert resp.status_code == 302 and resp["Location"].endswith(f"/actions/{action.pk}/")
    assert (action.lead, action.partners, action.target_date, action.priority) == (
        "Monitoring Officer",
        "Kent Police",
        datetime.date(2025, 3, 31),
        "high",
    )
    page = client.get(plan_url(scored)).content.decode()
    assert "Publish a councillor safety page" in page and "31 Mar 2025" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "Enter a title for the action"),
        ({"title": "   "}, "Enter a title for the action"),
        ({"target_date_month": "14"}, "The target date must be a real date"),
        ({"target_date_day": "x"}, "The target date must be a real date"),
        ({"target_date_year": ""}, "must include a year"),
        ({"statements": []}, "Select at least one statement the action covers"),
        ({"statements": ["9.9"]}, "Select statements from this assessment’s toolkit only"),
        ({"priority": "urgent"}, "Select a priority"),
    ],
)
def test_bad_input_is_explained_and_nothing_saved(scored, login, editor, change, message):
    resp = login(editor).post(plan_url(scored, "actions/new/"), ACTION | change)
    assert resp.status_code == 400
    assert message in resp.content.decode()
    assert not Action.objects.exists()


def test_action_cannot_cover_a_statement_of_another_framework(scored, editor, tmp_path):
    import yaml

    from selfassess.frameworks.loader import BUNDLED_FRAMEWORK, load_framework

    data = yaml.safe_load(BUNDLED_FRAMEWORK.read_text())
    data["version"] = "2030-01"
    data["principles"][0]["statements"].append({"ref": "1.6", "text": "A new statement."})
    path = tmp_path / "fw.yaml"
    path.write_text(yaml.safe_dump(data))
    load_framework(path)
    with pytest.raises(services.PlanError, match="1.6 is not part of this assessment"):
        make(scored, editor, refs=["1.6"])
    assert not Action.objects.exists()


def test_actions_of_another_councils_assessment_are_not_found(
    scored, login, outsider, other_council
):
    action = make(scored, None)
    client = login(outsider)
    for tail in (
        "",
        "suggestions/",
        "actions/new/",
        f"actions/{action.pk}/",
        f"actions/{action.pk}/edit/",
        f"actions/{action.pk}/delete/",
    ):
        assert client.get(plan_url(scored, tail)).status_code == 404, tail
    assert client.post(plan_url(scored, f"actions/{action.pk}/delete/")).status_code == 404
    assert client.post(plan_url(scored, "actions/new/"), ACTION).status_code == 404
    # the same action id through the outsider's own council's assessment address
    from selfassess.assessments import services as a_services

    theirs = a_services.create_assessment(
        council=other_council, user=outsider, title="T", assessed_on=datetime.date(2024, 1, 1)
    )
    url = f"/councils/other/assessments/{theirs.pk}/plan/actions/{action.pk}/edit/"
    assert client.post(url, ACTION).status_code == 404
    action.refresh_from_db()
    assert action.title == "An action"


def test_viewer_reads_the_plan_and_cannot_change_it(scored, login, viewer, editor):
    action = make(scored, editor)
    client = login(viewer)
    page = client.get(plan_url(scored)).content.decode()
    assert "An action" in page and "Add an action" not in page
    detail = client.get(plan_url(scored, f"actions/{action.pk}/")).content.decode()
    assert "Change action" not in detail and "Add a progress update" not in detail
    assert client.post(plan_url(scored, "actions/new/"), ACTION).status_code == 403
    assert client.post(plan_url(scored, f"actions/{action.pk}/edit/"), ACTION).status_code == 403
    assert client.post(plan_url(scored, f"actions/{action.pk}/delete/")).status_code == 403
    progress = {"on_day": "1", "on_month": "2", "on_year": "2025", "text": "x"}
    assert (
        client.post(plan_url(scored, f"actions/{action.pk}/progress/"), progress).status_code == 403
    )
    assert Action.objects.get().title == "An action" and not ProgressUpdate.objects.exists()


def test_overdue_on_a_fixed_today(scored, editor):
    today = datetime.date(2025, 4, 1)
    late = make(scored, editor, title="Late", target_date=datetime.date(2025, 3, 31))
    make(scored, editor, title="Due today", target_date=today)
    make(
        scored, editor, title="Done late", target_date=datetime.date(2025, 1, 1), status="complete"
    )
    make(scored, editor, title="Deferred", target_date=datetime.date(2025, 1, 1), status="deferred")
    make(
        scored,
        editor,
        title="In progress, late",
        target_date=datetime.date(2024, 12, 1),
        status="in_progress",
    )
    make(scored, editor, title="No date")
    view = selectors.plan_view(
        assessment_view(scored), list(selectors.actions_for(scored)), today=today
    )
    assert view.overdue == 2
    rows = [r for g in view.groups for r in g.rows]
    assert {r.action.title for r in rows if r.overdue} == {"Late", "In progress, late"}
    assert late.is_overdue(today) and not late.is_overdue(datetime.date(2025, 3, 31))
    only_late = selectors.plan_view(
        assessment_view(scored), list(selectors.actions_for(scored)), today=today, status="overdue"
    )
    assert only_late.shown == 2


def test_plan_groups_by_principle_and_filters(scored, login, editor):
    make(
        scored,
        editor,
        title="Police liaison",
        refs=["4.2"],
        lead="Chief Executive",
        priority="high",
    )
    make(
        scored,
        editor,
        title="Wellbeing offer",
        refs=["1.3", "1.5"],
        lead="HR Manager",
        priority="low",
        status="in_progress",
    )
    client = login(editor)
    page = client.get(plan_url(scored)).content.decode()
    assert page.index("Wellbeing offer") < page.index("Police liaison")  # principle 1 before 4
    assert "1.3, 1.5" in page
    filtered = client.get(plan_url(scored), {"lead": "Chief Executive"}).content.decode()
    assert "Police liaison" in filtered and "Wellbeing offer" not in filtered
    assert "Showing 1 of 2 actions." in filtered
    by_status = client.get(plan_url(scored), {"status": "in_progress"}).content.decode()
    assert "Wellbeing offer" in by_status and "Police liaison" not in by_status
    by_priority = client.get(plan_url(scored), {"priority": "high"}).content.decode()
    assert "Police liaison" in by_priority and "Wellbeing offer" not in by_priority
    nonsense = client.get(plan_url(scored), {"status": "bogus"})
    assert nonsense.status_code == 200


def test_gaps_without_an_action(scored, editor):
    make(scored, editor, refs=["1.1", "2.1", "3.1"])
    view = selectors.plan_view(
        assessment_view(scored),
        list(selectors.actions_for(scored)),
        today=datetime.date(2025, 1, 1),
    )
    gaps = [r.statement.ref for r in view.gaps_without_action]
    assert "1.1" not in gaps and "2.1" not in gaps and "3.1" not in gaps
    assert gaps == [
        "1.2",
        "1.3",
        "1.4",
        "1.5",
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


def test_edit_progress_and_delete_are_recorded_in_history(scored, login, editor, second_editor):
    action = make(scored, editor, title="Original", lead="Monitoring Officer")
    client = login(second_editor)
    resp = client.post(
        plan_url(scored, f"actions/{action.pk}/edit/"),
        ACTION | {"title": "Renamed", "statements": ["1.1", "1.2"], "version": "0"},
    )
    assert resp.status_code == 302
    client.post(
        plan_url(scored, f"actions/{action.pk}/progress/"),
        {"on_day": "3", "on_month": "2", "on_year": "2025", "text": "Draft page written"},
    )
    fields = {(c.field, c.before, c.after) for c in PlanChange.objects.filter(action=action)}
    assert ("title", "Original", "Renamed") in fields
    assert ("lead", "Monitoring Officer", "Monitoring Officer") not in fields
    assert ("statements", "1.1", "1.1, 1.2") in fields
    assert ("target_date", "", "2025-03-31") in fields
    assert ("progress", "", "Draft page written") in fields
    page = client.get(plan_url(scored, f"actions/{action.pk}/")).content.decode()
    assert "Draft page written" in page and "Erin Editor" in page

    confirm = client.get(plan_url(scored, f"actions/{action.pk}/delete/")).content.decode()
    assert "Are you sure you want to delete" in confirm
    assert Action.objects.filter(pk=action.pk).exists()  # asking changes nothing
    client.post(plan_url(scored, f"actions/{action.pk}/delete/"))
    assert not Action.objects.filter(pk=action.pk).exists()
    deleted = PlanChange.objects.get(field="action_deleted")
    assert (deleted.before, deleted.user, deleted.assessment) == ("Renamed", second_editor, scored)


def test_second_editor_of_an_action_is_told(scored, login, editor, second_editor):
    action = make(scored, editor, title="Original")
    login(editor).post(
        plan_url(scored, f"actions/{action.pk}/edit/"),
        ACTION | {"title": "Editor one", "statements": ["1.1"], "version": "0"},
    )
    resp = login(second_editor).post(
        plan_url(scored, f"actions/{action.pk}/edit/"),
        ACTION | {"title": "Editor two", "statements": ["1.1"], "version": "0"},
    )
    assert resp.status_code == 409
    assert "Someone else changed this action" in resp.content.decode()
    action.refresh_from_db()
    assert action.title == "Editor one"


def test_progress_update_needs_text_and_a_real_date(scored, login, editor):
    action = make(scored, editor)
    client = login(editor)
    resp = client.post(
        plan_url(scored, f"actions/{action.pk}/progress/"),
        {"on_day": "30", "on_month": "2", "on_year": "2025", "text": ""},
    )
    assert resp.status_code == 400
    page = resp.content.decode()
    assert "Enter the progress update" in page and "must be a real date" in page
    assert not ProgressUpdate.objects.exists()


def test_json_round_trip_with_actions(scored, editor, council):
    action = make(
        scored,
        editor,
        title="Police SPOC",
        refs=["4.2", "4.4"],
        lead="Chief Executive",
        partners="Kent Police",
        target_date=datetime.date(2025, 6, 30),
        priority="high",
        status="in_progress",
        description="Name a single point of contact.\nAgree a protocol.",
    )
    services.add_progress(
        action=action, user=editor, on=datetime.date(2025, 1, 10), text="Met the inspector"
    )
    make(scored, editor, title="No date yet", refs=["1.3"])
    exported = export_assessment(scored)
    assert exported["actions"][0] == {
        "title": "Police SPOC",
        "description": "Name a single point of contact.\nAgree a protocol.",
        "lead": "Chief Executive",
        "partners": "Kent Police",
        "target_date": "2025-06-30",
        "priority": "high",
        "status": "in_progress",
        "statements": ["4.2", "4.4"],
        "updates": [{"on": "2025-01-10", "text": "Met the inspector"}],
    }
    again = import_assessment(json.dumps(exported), council=council).assessment
    assert export_assessment(again)["actions"] == exported["actions"]
    assert Action.objects.filter(assessment=again).count() == 2


def test_import_refuses_actions_that_do_not_fit(scored, council):
    data = copy.deepcopy(export_assessment(scored))
    data["actions"] = [
        {"title": "Bad ref", "statements": ["7.7"]},
        {"title": "Bad date", "statements": ["1.1"], "target_date": "2025-13-01"},
        {"title": "  ", "statements": ["1.1"]},
        {"title": "No statements", "statements": []},
    ]
    from selfassess.core.validation import Problems

    with pytest.raises(Problems) as exc:
        import_assessment(json.dumps(data), council=council)
    problems = exc.value.problems
    assert any(p.startswith("actions[3].statements") for p in problems)
    data["actions"] = data["actions"][:3]
    with pytest.raises(Problems) as exc:
        import_assessment(json.dumps(data), council=council)
    assert set(exc.value.problems) == {
        "actions[0].statements[0]: '7.7' is not a statement of this toolkit",
        "actions[1].target_date: '2025-13-01' is not a real date (YYYY-MM-DD)",
        "actions[2].title: must not be blank",
    }
    assert Action.objects.count() == 0


def test_edit_without_a_version_is_refused_as_out_of_date(scored, login, editor):
    action = make(scored, editor, title="Original")
    body = ACTION | {"title": "Blind overwrite", "statements": ["1.1"]}
    resp = login(editor).post(plan_url(scored, f"actions/{action.pk}/edit/"), body)
    assert resp.status_code == 400
    assert "This page is out of date" in resp.content.decode()
    action.refresh_from_db()
    assert action.title == "Original"


def test_statement_error_links_to_the_first_checkbox(scored, login, editor):
    resp = login(editor).post(plan_url(scored, "actions/new/"), ACTION | {"statements": []})
    html = resp.content.decode()
    assert 'href="#id_statements_0"' in html and 'id="id_statements_0"' in html


def test_saving_or_updating_a_deleted_action_is_a_clear_message(scored, login, editor):
    action = make(scored, editor)
    stale = Action.objects.get(pk=action.pk)
    services.delete_action(action=action, user=editor)
    with pytest.raises(services.PlanError, match="deleted"):
        services.add_progress(action=stale, user=editor, on=datetime.date(2025, 1, 1), text="x")
    assert not ProgressUpdate.objects.exists()


def test_import_trims_text_and_keeps_dates_in_range(scored, council):
    from selfassess.core.validation import Problems

    data = copy.deepcopy(export_assessment(scored))
    data["actions"] = [{"title": " T ", "lead": " Bob ", "statements": ["1.1"]}]
    again = import_assessment(json.dumps(data), council=council).assessment
    assert Action.objects.get(assessment=again).lead == "Bob"
    data["actions"][0]["target_date"] = "0001-01-01"
    with pytest.raises(Problems, match="outside the years 1900 to 2200"):
        import_assessment(json.dumps(data), council=council)
