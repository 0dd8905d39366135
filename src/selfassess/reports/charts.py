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


def trend_svg(
    dates: list,
    series: dict[str, list[int]],
    maximum: int,
    title: str,
    drafts: list[bool] | None = None,
    short: list[str] | None = None,
) -> bytes:
    """Principle totals over time: one line per principle, each with its own marker and
    dash, a label at its end with its last score. Equal scores are drawn a little apart,
    so no line hides another; an assessment not yet agreed (`drafts`) has hollow markers.
    `short` names each series in the end labels (the legend has the full names)."""
    return _trend(
        tuple(dates),
        tuple((k, tuple(v)) for k, v in series.items()),
        maximum,
        title,
        tuple(drafts or [False] * len(dates)),
        tuple(short or series.keys()),
    )


# How far apart equal scores are drawn, as a share of the scale: a few pixels.
TIE_STEP = 0.025
TREND_HEIGHT_IN = 5.6
# The share of the trend chart's height kept for its legend: up to four rows.
LEGEND_BAND = 0.23
# The trend chart's size in CSS pixels, for the width and height of its <img>.
TREND_SIZE_PX = (CHART_WIDTH_IN * DPI, round(TREND_HEIGHT_IN * DPI))


def tie_offsets(values_by_series: list[list[int]], maximum: int) -> list[list[float]]:
    """For each series and date, how far its point is moved up or down so that series
    with the same score at that date sit side by side, centred on the true value."""
    offsets = [[0.0] * len(values) for values in values_by_series]
    for j in range(len(values_by_series[0]) if values_by_series else 0):
        groups: dict[int, list[int]] = {}
        for i, values in enumerate(values_by_series):
            groups.setdefault(values[j], []).append(i)
        for members in groups.values():
            for k, i in enumerate(members):
                offsets[i][j] = (k - (len(members) - 1) / 2) * TIE_STEP * maximum
    return offsets


@lru_cache(maxsize=CACHED_CHARTS)
def _trend(
    dates: tuple, items: tuple, maximum: int, title: str, drafts: tuple, short: tuple
) -> bytes:
    from matplotlib.lines import Line2D

    dates = list(dates)
    labels = [label for label, _ in items]
    values = [list(v) for _, v in items]
    offsets = tie_offsets(values, maximum)
    tied = any(any(row) for row in offsets)
    matplotlib, Figure = _matplotlib()  # noqa: N806 (a class)
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "selfassess"}):
        fig = Figure(figsize=(CHART_WIDTH_IN, TREND_HEIGHT_IN), dpi=DPI)
        ax = fig.add_subplot()
        markers = ["o", "s", "^", "D", "v", "P", "X"]
        styles = ["-", "--", "-.", ":", "-", "--", "-."]
        colours = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
        handles = []
        for i, label in enumerate(labels):
            colour = colours[i % len(colours)]
            marker = markers[i % len(markers)]
            drawn = [v + o for v, o in zip(values[i], offsets[i], strict=True)]
            ax.plot(dates, drawn, linestyle=styles[i % len(styles)], linewidth=2, color=colour)
            for day, y, draft in zip(dates, drawn, drafts, strict=True):
                ax.plot(
                    [day],
                    [y],
                    marker=marker,
                    markersize=8,
                    color=colour,
                    markeredgewidth=2,
                    markerfacecolor="white" if draft else colour,
                    linestyle="none",
                )
            handles.append(
                Line2D(
                    [],
                    [],
                    color=colour,
                    linestyle=styles[i % len(styles)],
                    linewidth=2,
                    marker=marker,
                    markersize=8,
                    label=label,
                )
            )
        if any(drafts):
            for name, fill in (("Agreed", TEXT), ("Draft, not yet agreed", "white")):
                handles.append(
                    Line2D(
                        [],
                        [],
                        color=TEXT,
                        linestyle="none",
                        marker="o",
                        markersize=8,
                        markeredgewidth=2,
                        markerfacecolor=fill,
                        label=name,
                    )
                )
        if tied:
            handles.append(
                Line2D([], [], linestyle="none", label="Equal scores are drawn a little apart")
            )
        # The last score of each line, named at its end: lines that end on the same score
        # share one label.
        ends: dict[int, list[str]] = {}
        for i, name in enumerate(short):
            ends.setdefault(values[i][-1], []).append(name)
        for value, names in ends.items():
            ax.annotate(
                f"{', '.join(names)}: {value}",
                xy=(dates[-1], value),
                xytext=(10, 0),
                textcoords="offset points",
                va="center",
                fontsize=10,
                color=TEXT,
                annotation_clip=False,
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
        if dates[0] == dates[-1]:
            # One assessment, or several on the same day: half a year either side.
            ax.set_xlim(
                dates[0] - datetime.timedelta(days=180), dates[0] + datetime.timedelta(days=180)
            )
        else:
            span = dates[-1] - dates[0]
            ax.set_xlim(dates[0] - span * 0.05, dates[-1] + span * 0.05)
        fig.autofmt_xdate()
        # The legend under the chart, in two columns, in a band of the figure kept for it.
        fig.legend(handles=handles, loc="lower left", ncol=2, fontsize=10, frameon=False)
        ax.set_title(title, loc="left", fontsize=14, color=TEXT)
        fig.tight_layout(rect=(0, LEGEND_BAND, 1, 1))
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
