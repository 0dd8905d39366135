"""Rendering a council's comparison cheaply. Almost all of it depends only on the snapshot
and the group compared with, and a statement's row only on those, the statement and the
council's own score there: each part is rendered once per process and kept with the
snapshot (`selectors.Published.rows`), shared by every council's page. The summary page's
added cost then stays small, and does not grow with the number of councils."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()


def _kept(comparison, key: tuple, name: str, context: dict) -> SafeString:
    cache = comparison.snapshot.rows
    html = cache.get(key)
    if html is None:
        html = render_to_string(name, context)
        cache[key] = html
    return html


@register.simple_tag
def statement_table(comparison, principle) -> SafeString:
    """One principle's statements: the council's score beside the group's, with a bar."""
    chosen = comparison.chosen
    parts = [
        _kept(
            comparison,
            ("head", principle.group, principle.number),
            "benchmarks/_statement_table.html",
            {"p": principle, "chosen": chosen, "scale": comparison.snapshot.content["scale"]},
        )
    ]
    for row in principle.statements:
        parts.append(
            _kept(comparison, (row.group, row.ref, row.own), "benchmarks/_row.html", {"s": row})
        )
    parts.append(SafeString("</tbody></table></div>"))
    return SafeString("".join(parts))


@register.simple_tag
def total_row(comparison, principle) -> SafeString:
    """A principle's total beside the group's (benchmarks/_total_row.html)."""
    key = ("total", principle.group, principle.number, principle.own)
    return _kept(comparison, key, "benchmarks/_total_row.html", {"p": principle})


@register.simple_tag
def gap_cells(comparison, principle) -> SafeString:
    """A group's survey-gap cells for one principle (benchmarks/_gap_cells.html)."""
    key = ("gap", principle.group, principle.number)
    return _kept(comparison, key, "benchmarks/_gap_cells.html", {"f": principle.figures})


@register.simple_tag
def bar_key(comparison, what: str) -> SafeString:
    """What the bars' colours stand for: the scores ("scale") or the survey-gap bands."""
    content = comparison.snapshot.content
    context = (
        {"scale": content["scale"]} if what == "scale" else {"bands": content["survey_gap_bands"]}
    )
    return _kept(comparison, ("key", what), "benchmarks/_key.html", context)
