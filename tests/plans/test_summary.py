"""The summary a committee member reads first: totals, a chart with the same figures in a
table, the 25-statement grid labelled in text, and strengths and gaps."""

import xml.etree.ElementTree as ET

from selfassess.reports.charts import principle_scores_svg


def summary_url(assessment, tail=""):
    return f"/councils/example/assessments/{assessment.pk}/summary/{tail}"


def test_summary_shows_totals_groups_and_grid(scored, login, viewer):
    page = login(viewer).get(summary_url(scored)).content.decode()
    assert "28 / 50" in page
    for number, total in enumerate([3, 3, 7, 9, 6], start=1):
        assert f"{total} / 10" in page, number
    assert "Strengths – scored 2 (9)" in page
    assert "Partly in place – scored 1 (10)" in page
    assert "Not addressed – scored 0 (6)" in page
    # every grid cell names its statement and its score in words, not by colour alone
    assert page.count('class="app-grid__cell') == 25
    assert '<span class="app-grid__ref">2.1</span>0: Not addressed' in page
    assert '<span class="app-grid__ref">4.1</span>2: Comprehensive' in page
    assert "Principle scores" in page and 'alt="Bar chart of the score for each principle' in page


def test_chart_is_svg_with_the_scores_as_text(scored, login, viewer):
    resp = login(viewer).get(summary_url(scored, "chart.svg"))
    assert resp["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(resp.content)
    text = " ".join(t.strip() for t in root.itertext() if t.strip())
    assert "Creating connections" in text
    for score in ("3", "7", "9", "6"):
        assert score in text.split()


def test_chart_is_the_same_bytes_for_the_same_scores():
    args = (["1. A", "2. B"], [3, 7], 10, "Scores")
    assert principle_scores_svg(*args) == principle_scores_svg(*args)
    assert principle_scores_svg(*args) != principle_scores_svg(
        ["1. A", "2. B"], [3, 8], 10, "Scores"
    )


def test_summary_of_an_unscored_assessment_says_so(assessment, login, editor):
    page = login(editor).get(summary_url(assessment)).content.decode()
    assert "25 of 25 statements not yet scored" in page
    assert "Not yet scored (25)" in page
    assert page.count("Unscored") == 25


def test_summary_is_not_found_for_another_council(scored, login, outsider):
    client = login(outsider)
    assert client.get(summary_url(scored)).status_code == 404
    assert client.get(summary_url(scored, "chart.svg")).status_code == 404
