"""Charts are drawn once per set of figures: the same figures give the same bytes."""

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
