"""Benchmarks in a real browser, with axe-core at 1280 and 390 pixels wide on every page:
a council's summary beside councils like it, the sharing page, the public open data and
the host's console."""

import json

import pytest

from selfassess.assessments import services as assessments
from selfassess.benchmarks import services as benchmarks
from selfassess.councils.models import Council
from selfassess.interchange.json_format import import_assessment

from ..benchmarks.conftest import agree, make_council, random_scores, surveyed
from .conftest import sign_in
from .test_truthful_results import WIDE, at_both_widths

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def published(settings, framework, council, admin, seed002):
    """Example District Council (East of England) and 15 others share; two snapshots."""
    settings.BENCHMARKS = True
    settings.BENCHMARK_K = 3
    settings.SURVEY_MIN_RESPONSES = 2
    Council.objects.filter(pk=council.pk).update(region="east", shares_benchmarks=True)
    council.refresh_from_db()
    ours = import_assessment(json.dumps(seed002), council=council).assessment
    ours = assessments.sign_off(
        assessment=ours,
        user=admin,
        agreed_by="Standards Committee",
        agreed_on=ours.assessed_on,
    )
    surveyed(ours, 0)
    for i in range(15):
        other = make_council(f"c{i}", ["district", "unitary"][i % 2], ["east", "london"][i % 3 > 0])
        mine = agree(other, random_scores(i))
        if i % 2 == 0 or i < 6:
            surveyed(mine, i % 3)
    benchmarks.publish_snapshot()
    benchmarks.publish_snapshot()
    return ours


def test_a_council_sees_where_it_stands_and_the_public_sees_the_tables(
    live_server, published, admin, new_page, axe, screenshot
):
    page = new_page(viewport=WIDE)
    sign_in(page, live_server.url, admin.email)
    page.goto(f"{live_server.url}/councils/example/assessments/{published.pk}/summary/")
    assert page.get_by_role("heading", name="Compared with other councils").is_visible()
    statements = page.get_by_role("table", name="1. Creating supportive and informed spaces")
    assert "1 · Partial" in statements.locator("tbody tr").first.inner_text()  # seed 002's 1.1
    at_both_widths(page, axe, screenshot, "benchmarks-summary")
    page.get_by_role("link", name="Councils in the East of England").click()
    assert page.get_by_role(
        "heading", name="Your principle totals beside councils in the East of England"
    ).is_visible()
    gaps = page.get_by_role("heading", name="Councillors’ view beside the council’s score")
    assert gaps.is_visible()
    at_both_widths(page, axe, screenshot, "benchmarks-summary-region")

    page.goto(f"{live_server.url}/councils/example/benchmarks/")
    at_both_widths(page, axe, screenshot, "benchmarks-sharing")
    page.get_by_label("No, do not share").check()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("no longer shares in benchmarks").is_visible()
    at_both_widths(page, axe)

    public = new_page(viewport=WIDE)
    public.goto(f"{live_server.url}/benchmarks/")
    assert public.get_by_role("heading", name="Every group").is_visible()
    assert public.get_by_text("Not shown: too few councils").first.is_visible()
    at_both_widths(public, axe, screenshot, "benchmarks-public")
    public.get_by_label("Group", exact=True).select_option("type:unitary")
    public.get_by_role("button", name="Show this group").click()
    assert public.get_by_role("heading", name="Statement by statement: Unitary authorities")
    at_both_widths(public, axe)
    public.get_by_role("link", name="JSON").wait_for()


def test_the_host_adds_a_council_and_publishes(
    live_server, published, admin, new_page, axe, screenshot
):
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    page = new_page(viewport=WIDE)
    sign_in(page, live_server.url, admin.email)
    page.goto(f"{live_server.url}/host/")
    assert page.get_by_role("heading", name="Host console").is_visible()
    at_both_widths(page, axe, screenshot, "host-console")
    page.get_by_role("button", name="Add a council").click()
    page.get_by_role("button", name="Add the council and send the invitation").click()
    assert page.locator(".govuk-error-summary").is_visible()
    at_both_widths(page, axe, screenshot, "host-new-council-errors")
    page.get_by_label("Council name").fill("Newtown Town Council")
    page.get_by_label("Type of council").select_option("town_parish")
    page.get_by_label("Region or nation").select_option("south_west")
    page.get_by_label("Number of councillors (optional)").fill("12")
    page.get_by_label("Email address").fill("clerk@newtown.example")
    page.get_by_role("button", name="Add the council and send the invitation").click()
    assert page.get_by_text("Created Newtown Town Council").is_visible()
    assert Council.objects.get(slug="newtown-town-council").region == "south_west"
    page.get_by_role("button", name="Publish a new benchmark now").click()
    assert page.get_by_text("A new benchmark is queued").is_visible()
    at_both_widths(page, axe)
