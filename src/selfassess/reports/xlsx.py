"""Excel: the report's front page (status, minute reference, covering summary and
recommendations), scores and evidence, principle totals, the forward plan with each
action's latest progress, the gaps without an action and the councillors' feedback (their
comments on a sheet of their own, unless left out), one sheet each, with frozen header
rows, sized columns and real dates."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from selfassess.core.dates import long_date

from .context import (
    DISMISSED_HEADERS,
    PLAN_HEADERS,
    ReportData,
    dismissed_rows,
    gap_rows,
    plan_rows,
    score_rows,
    xml_safe,
)

WRAP = Alignment(wrap_text=True, vertical="top")
BOLD = Font(bold=True)


def _sheet(wb: Workbook, title: str, headers: list[str], widths: list[int], first: bool = False):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append(headers)
    for cell in ws[1]:
        cell.font = BOLD
        cell.alignment = WRAP
    ws.freeze_panes = "A2"
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    return ws


def _clean(value):
    return xml_safe(value) if isinstance(value, str) else value


def _rows(ws, rows) -> None:
    for row in rows:
        ws.append([_clean(v) for v in row])
        for cell in ws[ws.max_row]:
            cell.alignment = WRAP
            if cell.data_type == "f":
                # openpyxl stores text that starts with "=" as a formula; user text is text.
                cell.data_type = "s"


def _front(wb: Workbook, report: ReportData) -> None:
    a = report.assessment
    totals = report.view.totals
    rows = [
        ("Council", report.council.name),
        ("Assessment", a.title),
        ("Date assessed", a.assessed_on),
        ("Overall score", f"{totals.total} / {totals.maximum}"),
        (
            "Status",
            f"Agreed by {a.agreed_by} on {long_date(a.agreed_on)}"
            if a.is_complete
            else "DRAFT: not yet agreed",
        ),
    ]
    if a.is_complete:
        rows.append(("Minute reference", a.minute_reference or "Not recorded"))
    covering = report.covering
    rows += [
        ("Covering summary", covering.summary if covering else ""),
        ("Recommendations", covering.recommendations if covering else ""),
    ]
    if report.has_comments:
        rows.append(
            (
                "Councillors’ comments",
                "On the sheet “Councillors’ comments”"
                if report.include_comments
                else "Left out of this report",
            )
        )
    rows.append(("Produced by Self-Assess on", report.generated_on))
    ws = _sheet(wb, "Report", ["Item", "Value"], [28, 100], first=True)
    _rows(ws, rows)
    for (cell,) in ws.iter_rows(min_row=2, max_col=1):
        cell.font = BOLD
    for (cell,) in ws.iter_rows(min_row=2, min_col=2, max_col=2):
        if cell.is_date:
            cell.number_format = "d mmmm yyyy"


def _feedback(wb: Workbook, report: ReportData) -> None:
    results = report.feedback
    answers = list(results.answer_labels.values())
    ws = _sheet(
        wb,
        "Councillors’ feedback",
        ["Ref", "Statement", *answers, "Don’t know", "Average", "Council", "Gap"],
        [6, 60, *[14] * len(answers), 11, 9, 9, 8],
    )
    _rows(
        ws,
        (
            (
                s.ref,
                s.text,
                *s.cells,
                s.counts["dont_know"],
                s.mean,
                s.officer_score,
                s.gap,
            )
            for p in results.principles
            for s in p.statements
        ),
    )
    # The average and the gap are numbers, shown to one place as the page shows them.
    dont_know = 3 + len(answers)  # after the ref, the statement and one per answer
    for column, number_format in ((dont_know + 1, "0.0"), (dont_know + 3, "+0.0;-0.0;0.0")):
        for (cell,) in ws.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = number_format
    if report.include_comments and report.has_comments:
        comments = _sheet(wb, "Councillors’ comments", ["Principle", "Comment"], [40, 100])
        _rows(
            comments,
            ((f"{p.number}. {p.title}", c) for p in results.principles for c in p.comments),
        )


def render_xlsx(report: ReportData) -> bytes:
    view = report.view
    wb = Workbook()
    wb.properties.title = xml_safe(f"{report.council.name}: {report.assessment.title}")
    wb.properties.creator = "Self-Assess"
    _front(wb, report)

    scores = _sheet(
        wb,
        "Scores",
        ["Principle", "Ref", "Statement", "Score", "Level", "Evidence", "Links"],
        [30, 6, 60, 7, 16, 70, 40],
    )
    _rows(scores, (row[:6] + ("\n".join(row[6]),) for row in score_rows(report)))

    totals = _sheet(
        wb, "Totals", ["Principle", "Score", "Out of", "Not yet scored"], [45, 8, 8, 15]
    )
    _rows(
        totals,
        [
            *(
                (
                    f"{p.principle.number}. {p.principle.title}",
                    p.totals.total,
                    p.totals.maximum,
                    p.totals.unscored,
                )
                for p in view.principles
            ),
            ("Overall", view.totals.total, view.totals.maximum, view.totals.unscored),
        ],
    )
    for cell in totals[totals.max_row]:
        cell.font = BOLD

    plan = _sheet(wb, "Forward plan", PLAN_HEADERS, [40, 60, 12, 24, 24, 13, 10, 13, 9, 13, 60])
    _rows(plan, ((r[0], r[1], ", ".join(r[2]), *r[3:]) for r in plan_rows(report)))
    for column in (6, 10):  # target date, latest progress on
        for (cell,) in plan.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = "d mmm yyyy"

    gaps = _sheet(
        wb,
        "Gaps without an action",
        ["Principle", "Ref", "Statement", "Score", "Level"],
        [30, 6, 60, 7, 16],
    )
    _rows(gaps, gap_rows(report))

    dismissed = _sheet(wb, "Suggestions dismissed", DISMISSED_HEADERS, [10, 60, 70, 14])
    _rows(dismissed, dismissed_rows(report))
    for (cell,) in dismissed.iter_rows(min_row=2, min_col=4, max_col=4):
        cell.number_format = "d mmm yyyy"
    if report.feedback:
        _feedback(wb, report)

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
