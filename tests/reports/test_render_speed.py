"""Reports draw and style once: charts once per set of figures (the same figures give the
same bytes), Word styles once per document (the same file)."""

import datetime

from selfassess.reports import charts


def test_principle_chart_is_drawn_once_per_set_of_figures():
    charts._principle_scores.cache_clear()
    args = dict(labels=["1. One", "2. Two"], scores=[3, 7], maximum=10, title="Scores")
    first = charts.principle_scores_svg(**args)
    assert charts.principle_scores_svg(**args) is first
    assert charts._principle_scores.cache_info().hits == 1
    other = charts.principle_scores_svg(**(args | {"scores": [3, 8]}))
    assert other != first and b"<svg" in other
    png = charts.principle_scores_png(**args)
    assert png.startswith(b"\x89PNG") and charts.principle_scores_png(**args) is png


def test_trend_chart_is_drawn_once_per_set_of_figures():
    charts._trend.cache_clear()
    dates = [datetime.date(2024, 1, 15), datetime.date(2025, 1, 15)]
    first = charts.trend_svg(dates, {"1. One": [3, 5]}, 10, "Trend")
    assert charts.trend_svg(list(dates), {"1. One": [3, 5]}, 10, "Trend") is first
    assert charts.trend_svg(dates, {"1. One": [3, 6]}, 10, "Trend") != first


def test_word_resolves_each_style_name_once(framework, council, seed002):
    """The Word file looks each style name up once, and is the same file for it."""
    import io
    import json
    import zipfile

    from selfassess.interchange.json_format import import_assessment
    from selfassess.reports import docx
    from selfassess.reports.context import report_data

    assessment = import_assessment(json.dumps(seed002), council=council).assessment
    data = report_data(assessment, today=datetime.date(2025, 1, 1))
    fast = docx.render_docx(data)
    calls = []
    original = docx._resolve_styles_once

    def counting(doc):
        lookup = doc.part.get_style_id
        doc.part.get_style_id = lambda s, t: calls.append(s) or lookup(s, t)
        original(doc)

    docx._resolve_styles_once = counting
    try:
        docx.render_docx(data)
    finally:
        docx._resolve_styles_once = original
    names = [c for c in calls if isinstance(c, str)]  # None (no style) costs nothing
    assert names and len(names) == len(set(names))  # each name resolved once
    docx._resolve_styles_once = lambda doc: None
    try:
        slow = docx.render_docx(data)
    finally:
        docx._resolve_styles_once = original
    fast_zip, slow_zip = zipfile.ZipFile(io.BytesIO(fast)), zipfile.ZipFile(io.BytesIO(slow))
    for name in fast_zip.namelist():
        if name != "docProps/core.xml":  # holds the time it was written
            assert fast_zip.read(name) == slow_zip.read(name), name
