"""The plan page's light reads: plan_actions gives what actions_for gives, the rows carry
the text their cells show, and the toolkit's parts are read once per process."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from selfassess.assessments.selectors import assessment_view
from selfassess.frameworks import selectors as framework_selectors
from selfassess.frameworks.selectors import framework_parts
from selfassess.plans import selectors

from .conftest import plan_url
from .test_plan import make


def test_plan_actions_match_actions_for(scored, editor):
    make(scored, editor, title="Late", refs=["3.3", "1.2"], target_date=datetime.date(2025, 3, 1))
    make(scored, editor, title="Undated", refs=["5.1"], lead="HR", priority="low")
    make(
        scored,
        editor,
        title="Done",
        refs=["2.4"],
        target_date=datetime.date(2025, 1, 9),
        status="complete",
    )
    light = selectors.plan_actions(scored)
    full = list(selectors.actions_for(scored))
    today = datetime.date(2025, 4, 1)
    assert [a.pk for a in light] == [a.pk for a in full]
    for a, b in zip(light, full, strict=True):
        assert a.refs == [s.ref for s in b.statements.all()]
        assert (a.title, a.lead, a.target_date, a.priority, a.status) == (
            b.title,
            b.lead,
            b.target_date,
            b.priority,
            b.status,
        )
        assert a.is_overdue(today) == b.is_overdue(today)
        assert a.get_priority_display() == b.get_priority_display()
        assert a.get_status_display() == b.get_status_display()
    assert selectors.covered_refs(light) == selectors.covered_refs(full)

    view = assessment_view(scored)
    for actions in (light, full):
        plan = selectors.plan_view(view, actions, today=today, action_url=lambda pk: f"/a/{pk}/")
        rows = {r.action.title: r for g in plan.groups for r in g.rows}
        late = rows["Late"]
        assert late.refs == ["1.2", "3.3"] and late.refs_text == "1.2, 3.3"
        assert late.target_text == "1 Mar 2025" and late.overdue
        assert late.priority_label == "Medium" and late.status_label == "Not started"
        assert late.url == f"/a/{late.action.pk}/"
        assert rows["Undated"].target_text == "" and rows["Undated"].priority_label == "Low"
        assert rows["Done"].target_text == "9 Jan 2025" and not rows["Done"].overdue
        assert plan.overdue == 1 and plan.leads == ["HR"]


def test_plan_page_rows_link_to_each_action(scored, login, editor):
    action = make(scored, editor, title="<Police> & liaison", refs=["4.2", "4.1"])
    page = login(editor).get(plan_url(scored)).content.decode()
    assert f'href="{plan_url(scored, f"actions/{action.pk}/")}"' in page
    assert "&lt;Police&gt; &amp; liaison" in page  # still escaped
    assert "4.1, 4.2" in page


def test_framework_parts_are_read_once(scored):
    parts = framework_parts(scored.framework)
    with CaptureQueriesContext(connection) as ctx:
        again = framework_parts(scored.framework)
        view = assessment_view(scored)
    assert again is parts
    assert len(ctx.captured_queries) == 1  # the responses only
    assert [r.statement.ref for p in view.principles for r in p.responses][:6] == [
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "1.5",
        "2.1",
    ]
    first = view.principles[0].responses
    assert all(r.statement is parts.statements[r.statement_id] for r in first)
    assert view.totals.total == 28


def test_framework_parts_key_changes_when_a_framework_is_loaded_again(scored):
    parts = framework_parts(scored.framework)
    scored.framework.loaded_at = scored.framework.loaded_at + datetime.timedelta(seconds=1)
    assert framework_parts(scored.framework) is not parts
    assert framework_selectors._PARTS  # cached per process
