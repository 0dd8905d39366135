"""CSV of scores and of the plan: UTF-8 with a byte-order mark so that Excel reads
Welsh letters and other characters right."""

import csv
import io

from .context import PLAN_HEADERS, ReportData, plan_rows, score_rows

FORMULA_START = ("=", "+", "@", "\t", "\r")


def _inert(value):
    """Spreadsheet programs run a cell that starts like a formula; a leading apostrophe
    makes them show it as the text it is (docs/formats.md)."""
    if isinstance(value, str) and (
        value.startswith(FORMULA_START) or (value[:1] == "-" and value[1:2] not in ("", " "))
    ):
        return "'" + value
    return value


def _encode(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([_inert(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def render_scores_csv(report: ReportData) -> bytes:
    return _encode(
        [
            ["Principle", "Ref", "Statement", "Score", "Level", "Evidence", "Links"],
            *(
                [
                    principle,
                    ref,
                    text,
                    "" if score is None else score,
                    level,
                    evidence,
                    " ".join(links),
                ]
                for principle, ref, text, score, level, evidence, links in score_rows(report)
            ),
        ]
    )


def render_plan_csv(report: ReportData) -> bytes:
    return _encode(
        [
            PLAN_HEADERS,
            *(
                [
                    title,
                    description,
                    " ".join(refs),
                    lead,
                    partners,
                    target.isoformat() if target else "",
                    *rest,
                ]
                for title, description, refs, lead, partners, target, *rest in plan_rows(report)
            ),
        ]
    )
