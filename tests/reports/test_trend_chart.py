"""The trend chart hides no line behind another, and marks drafts apart from agreed
assessments; the council page's table says which are drafts."""

import datetime
import json
import re

from selfassess.assessments import services
from selfassess.interchange.json_format import import_assessment
from selfassess.reports import charts

DATES = [datetime.date(2023, 6, 1), datetime.date(2024, 6, 1)]


def marker_positions(svg: str) -> list[tuple[str, str]]:
    """The centre of every point's marker (matplotlib writes each as a <use> of its
    shape, as it does the axes' ticks, which are drawn thinner)."""
    return re.findall(
        r'<use xlink:href="#[^"]+" x="([-\d.]+)" y="([-\d.]+)" style="[^"]*stroke-width: 2\b', svg
    )


def test_equal_scores_are_drawn_apart_centred_on_the_true_value():
    offsets = charts.tie_offsets([[6, 5], [6, 4], [6, 5], [3, 4]], 10)
    assert [row[0] for row in offsets] == [-0.25, 0.0, 0.25, 0.0]
    assert [row[1] for row in offsets] == [-0.125, -0.125, 0.125, 0.125]


def test_two_lines_with_the_same_scores_both_show():
    svg = charts.trend_svg(
        DATES, {"1. One": [6, 7], "2. Two": [6, 7]}, 10, "Trend", short=["P1", "P2"]
    ).decode()
    points = marker_positions(svg)
    assert len(points) == 4 and len(set(points)) == 4  # no marker drawn on another
    assert "P1, P2: 7" in svg  # the end label gives the true score
    assert "Equal scores are drawn a little apart" in svg
    alone = charts.trend_svg(DATES, {"1. One": [6, 7], "2. Two": [5, 8]}, 10, "Trend").decode()
    assert "Equal scores are drawn a little apart" not in alone


def test_drafts_have_hollow_markers_and_a_legend_entry():
    agreed = charts.trend_svg(DATES, {"1. One": [4, 6]}, 10, "Trend", drafts=[False, False])
    draft = charts.trend_svg(DATES, {"1. One": [4, 6]}, 10, "Trend", drafts=[False, True])
    assert b"Draft, not yet agreed" in draft and b"Draft, not yet agreed" not in agreed
    hollow = re.compile(rb'<use [^>]*style="fill: #ffffff; stroke: #1f77b4; stroke-width: 2"')
    assert len(hollow.findall(draft)) == 1 and not hollow.findall(agreed)


def test_the_council_page_says_which_assessments_are_drafts(
    framework, council, seed002, editor, login
):
    done = import_assessment(json.dumps(seed002), council=council).assessment
    services.sign_off(
        assessment=done,
        user=editor,
        agreed_by="Standards Committee",
        agreed_on=datetime.date(2024, 7, 1),
    )
    services.create_assessment(
        council=council, user=editor, title="Review 2025", assessed_on=datetime.date(2025, 6, 1)
    )
    page = login(editor).get("/councils/example/").content.decode()
    assert "12 Jun 2024</span>" in page
    assert "1 Jun 2025, draft, not yet agreed</span>" in page
    assert 'width="800" height="560"' in page  # the chart's own size: nothing moves as it loads
    chart = login(editor).get("/councils/example/assessments/trend.svg")
    assert b"Draft, not yet agreed" in chart.content
