"""The report formats, one entry each: what the download is called and how it is made."""

from collections.abc import Callable
from dataclasses import dataclass

from selfassess.assessments.interchange import export_json

from .context import ReportData
from .csv import render_plan_csv, render_scores_csv
from .docx import render_docx
from .pdf import render_pdf
from .xlsx import render_xlsx


@dataclass(frozen=True)
class Format:
    key: str
    label: str
    extension: str
    content_type: str
    render: Callable[[ReportData], bytes]
    suffix: str = ""

    def file_name(self, report: ReportData) -> str:
        return report.file_name(self.extension, self.suffix)


FORMATS = {
    f.key: f
    for f in (
        Format(
            "docx",
            "Word document (.docx), for committee papers",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            render_docx,
        ),
        Format("pdf", "PDF (A4)", "pdf", "application/pdf", render_pdf),
        Format(
            "xlsx",
            "Excel workbook (.xlsx): scores, totals and the plan",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            render_xlsx,
        ),
        Format("csv", "Scores as CSV", "csv", "text/csv; charset=utf-8", render_scores_csv),
        Format(
            "plan-csv",
            "Forward plan as CSV",
            "csv",
            "text/csv; charset=utf-8",
            render_plan_csv,
            suffix="-plan",
        ),
        Format(
            "json",
            "Data for another system (JSON, docs/formats.md)",
            "json",
            "application/json",
            lambda report: export_json(report.assessment).encode("utf-8"),
        ),
    )
}
