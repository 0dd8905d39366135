"""The report formats, one entry each: what the download is called and how it is made."""

from dataclasses import dataclass

from django.utils.module_loading import import_string

from selfassess.interchange.json_format import export_json

from .context import ReportData


@dataclass(frozen=True)
class Format:
    key: str
    label: str
    extension: str
    content_type: str
    # The renderer's dotted path: WeasyPrint, python-docx and openpyxl are imported when
    # a report is first made, not when a worker starts.
    renderer: str
    suffix: str = ""
    # It prints the councillors' feedback, and so their comments unless left out.
    feedback: bool = False

    def render(self, report: ReportData) -> bytes:
        return import_string(self.renderer)(report)

    def file_name(self, report: ReportData) -> str:
        return report.file_name(self.extension, self.suffix)


def render_json(report: ReportData) -> bytes:
    return export_json(report.assessment).encode("utf-8")


FORMATS = {
    f.key: f
    for f in (
        Format(
            "docx",
            "Word document (.docx), for committee papers",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "selfassess.reports.docx.render_docx",
            feedback=True,
        ),
        Format(
            "pdf",
            "PDF (A4)",
            "pdf",
            "application/pdf",
            "selfassess.reports.pdf.render_pdf",
            feedback=True,
        ),
        Format(
            "xlsx",
            "Excel workbook (.xlsx): scores, totals and the plan",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "selfassess.reports.xlsx.render_xlsx",
            feedback=True,
        ),
        Format(
            "csv",
            "Scores as CSV",
            "csv",
            "text/csv; charset=utf-8",
            "selfassess.reports.csv.render_scores_csv",
        ),
        Format(
            "plan-csv",
            "Forward plan as CSV",
            "csv",
            "text/csv; charset=utf-8",
            "selfassess.reports.csv.render_plan_csv",
            suffix="-plan",
        ),
        Format(
            "json",
            "Data for another system (JSON): scores, evidence and the plan",
            "json",
            "application/json",
            "selfassess.reports.formats.render_json",
        ),
    )
}
