"""Charts drawn on the server as SVG with matplotlib (no pyplot), so
that pages, printouts and reports show the same picture without JavaScript."""

import datetime
import io
import textwrap
from functools import cache, lru_cache

from selfassess.core.dates import month_year

# Drawing a chart takes matplotlib 0.1-0.2 s; the same figures always give the same bytes
# (fixed SVG hash salt, no dates in the metadata), so the last few charts are kept, keyed
# on everything drawn. The summary page's chart, its PDF and its Word file then draw once
# per change of scores rather than on every request. At most 64 entries of 20-60 KB.
CACHED_CHARTS = 64


@cache
def _matplotlib():
    """matplotlib (and numpy under it) imported on first drawing, not when a worker
    starts: most requests never draw a chart, and the import costs tens of MiB."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return matplotlib, Figure


# GOV.UK Frontend's palette: dark blue bars on white, black text.
BAR = "#1d70b8"
TEXT = "#0b0c0c"
GRID = "#b1b4b6"


CHART_WIDTH_IN = 8
DPI = 100


def chart_height_in(bars: int) -> float:
    return 0.75 * bars + 1.0


def chart_size_px(bars: int) -> tuple[int, int]:
    """The chart's size in CSS pixels, for the width and height of its <img>."""
    return CHART_WIDTH_IN * DPI, round(chart_height_in(bars) * DPI)


def principle_scores_svg(labels: list[str], scores: list[int], maximum: int, title: str) -> bytes:
    """A horizontal bar chart of each principle's score out of `maximum`."""
    return _principle_scores(tuple(labels), tuple(scores), maximum, title, "svg")


def principle_scores_png(labels: list[str], scores: list[int], maximum: int, title: str) -> bytes:
    """The same chart as a PNG, for Word, which does not take SVG everywhere."""
    return _principle_scores(tuple(labels), tuple(scores), maximum, title, "png")


@lru_cache(maxsize=CACHED_CHARTS)
def _principle_scores(
    labels: tuple[str, ...], scores: tuple[int, ...], maximum: int, title: str, fmt: str
) -> bytes:
    if fmt == "svg":
        # Text stays text (searchable, crisp); a fixed salt gives the same bytes each time.
        matplotlib, _ = _matplotlib()
        with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "selfassess"}):
            return _draw(list(labels), list(scores), maximum, title, fmt)
    return _draw(list(labels), list(scores), maximum, title, fmt)


def _draw(labels: list[str], scores: list[int], maximum: int, title: str, fmt: str) -> bytes:
    _, Figure = _matplotlib()  # noqa: N806 (a class)
    fig = Figure(figsize=(CHART_WIDTH_IN, chart_height_in(len(labels))), dpi=DPI)
    ax = fig.add_subplot()
    wrapped = ["\n".join(textwrap.wrap(label, 26)) for label in labels]
    positions = list(range(len(labels)))[::-1]
    bars = ax.barh(positions, scores, color=BAR, height=0.6)
    ax.set_yticks(positions, wrapped, fontsize=13, color=TEXT, fontfamily="sans-serif")
    ax.set_xlim(0, maximum)
    ax.set_xticks(range(0, maximum + 1, 2 if maximum > 10 else 1))
    ax.tick_params(axis="x", colors=TEXT, labelsize=12)
    ax.set_xlabel(f"Score out of {maximum}", color=TEXT, fontsize=12)
    ax.xaxis.grid(True, color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for bar, score in zip(bars, scores, strict=True):
        ax.text(
            min(bar.get_width() + maximum * 0.015, maximum * 0.97),
            bar.get_y() + bar.get_height() / 2,
            f"{score}",
            va="center",
            ha="left" if score < maximum * 0.95 else "right",
            fontsize=13,
            fontweight="bold",
            color=TEXT if score < maximum * 0.95 else "white",
        )
    ax.set_title(title, loc="left", fontsize=14, color=TEXT)
    fig.tight_layout()
    out = io.BytesIO()
    if fmt == "svg":
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": "Self-Assess"})
    else:
        fig.savefig(out, format="png", dpi=150, metadata={"Software": "Self-Assess"})
    return out.getvalue()


def trend_svg(dates: list, series: dict[str, list[int]], maximum: int, title: str) -> bytes:
    """Principle totals over time: one line per principle, marked points, labelled axes."""
    return _trend(tuple(dates), tuple((k, tuple(v)) for k, v in series.items()), maximum, title)


@lru_cache(maxsize=CACHED_CHARTS)
def _trend(dates: tuple, items: tuple, maximum: int, title: str) -> bytes:
    dates = list(dates)
    series = {label: list(values) for label, values in items}
    matplotlib, Figure = _matplotlib()  # noqa: N806 (a class)
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "selfassess"}):
        fig = Figure(figsize=(CHART_WIDTH_IN, 4.8), dpi=DPI)
        ax = fig.add_subplot()
        markers = ["o", "s", "^", "D", "v", "P", "X"]
        styles = ["-", "--", "-.", ":", "-", "--", "-."]
        for i, (label, values) in enumerate(series.items()):
            ax.plot(
                dates,
                values,
                marker=markers[i % len(markers)],
                linestyle=styles[i % len(styles)],
                linewidth=2,
                label=label,
            )
        ax.set_ylim(0, maximum)
        ax.set_ylabel(f"Score out of {maximum}", color=TEXT, fontsize=12)
        ax.yaxis.grid(True, color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.tick_params(colors=TEXT, labelsize=11)
        # One tick per assessment, labelled with its date, rather than a calendar scale.
        ax.set_xticks(dates, [f"{month_year(d)}" for d in dates])
        if len(dates) == 1:
            ax.set_xlim(
                dates[0] - datetime.timedelta(days=180), dates[0] + datetime.timedelta(days=180)
            )
        fig.autofmt_xdate()
        ax.legend(
            loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=2, fontsize=10, frameon=False
        )
        ax.set_title(title, loc="left", fontsize=14, color=TEXT)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": "Self-Assess"})
        return out.getvalue()


def principle_chart(view, fmt: str = "svg") -> bytes:
    """The chart of an assessment's principle scores (an AssessmentView), as SVG for
    pages and PDF or PNG for Word."""
    maximum = view.principles[0].totals.maximum if view.principles else 0
    draw = principle_scores_svg if fmt == "svg" else principle_scores_png
    return draw(
        labels=[f"{p.principle.number}. {p.principle.title}" for p in view.principles],
        scores=[p.totals.total for p in view.principles],
        maximum=maximum,
        title=f"Score for each principle, out of {maximum}",
    )
