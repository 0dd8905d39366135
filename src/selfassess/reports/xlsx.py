"""Excel: scores and evidence, principle totals and the forward plan, one sheet each,
with frozen header rows, sized columns and real dates."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .context import (
    DISMISSED_HEADERS,
    PLAN_HEADERS,
    ReportData,
    dismissed_rows,
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


def render_xlsx(report: ReportData) -> bytes:
    view = report.view
    wb = Workbook()
    wb.properties.title = xml_safe(f"{report.council.name}: {report.assessment.title}")
    wb.properties.creator = "Self-Assess"

    scores = _sheet(
        wb,
        "Scores",
        ["Principle", "Ref", "Statement", "Score", "Level", "Evidence", "Links"],
        [30, 6, 60, 7, 16, 70, 40],
        first=True,
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

    plan = _sheet(wb, "Forward plan", PLAN_HEADERS, [40, 60, 12, 24, 24, 13, 10, 13, 9])
    _rows(plan, ((r[0], r[1], ", ".join(r[2]), *r[3:]) for r in plan_rows(report)))
    for (cell,) in plan.iter_rows(min_row=2, min_col=6, max_col=6):
        cell.number_format = "d mmm yyyy"

    dismissed = _sheet(wb, "Suggestions dismissed", DISMISSED_HEADERS, [10, 60, 70, 14])
    _rows(dismissed, dismissed_rows(report))
    for (cell,) in dismissed.iter_rows(min_row=2, min_col=4, max_col=4):
        cell.number_format = "d mmm yyyy"

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
