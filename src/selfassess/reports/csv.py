"""CSV of scores and of the plan: UTF-8 with a byte-order mark so that Excel reads
Welsh letters and other characters right."""

import csv
import io

from .context import ReportData

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
    labels = {lv.value: lv.label for lv in report.view.levels}
    return _encode(
        [
            ["Principle", "Ref", "Statement", "Score", "Level", "Evidence", "Links"],
            *(
                [
                    f"{p.principle.number}. {p.principle.title}",
                    r.statement.ref,
                    r.statement.text,
                    "" if r.score is None else r.score,
                    labels.get(r.score, "Not yet scored"),
                    r.evidence,
                    " ".join(r.links),
                ]
                for p in report.view.principles
                for r in p.responses
            ),
        ]
    )


def render_plan_csv(report: ReportData) -> bytes:
    return _encode(
        [
            [
                "Action",
                "What will be done",
                "Statements",
                "Lead",
                "Partners",
                "Target date",
                "Priority",
                "Status",
                "Overdue",
            ],
            *(
                [
                    row.action.title,
                    row.action.description,
                    " ".join(row.refs),
                    row.action.lead,
                    row.action.partners,
                    row.action.target_date.isoformat() if row.action.target_date else "",
                    row.action.get_priority_display(),
                    row.action.get_status_display(),
                    "Yes" if row.overdue else "No",
                ]
                for row in report.actions
            ),
        ]
    )
