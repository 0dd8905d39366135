"""PDF: the on-screen report's template rendered by WeasyPrint as a tagged PDF/UA."""

import base64
from pathlib import Path

from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from .context import ReportData, xml_safe

STYLESHEET = Path(__file__).resolve().parent / "pdf.css"


def _fetcher() -> URLFetcher:
    # The report embeds its chart as a data: URI and needs nothing else from anywhere:
    # nothing a user typed can make the renderer fetch a file or a web address.
    return URLFetcher(allowed_protocols={"data"})


def render_pdf(report: ReportData) -> bytes:
    chart = base64.b64encode(report.chart_svg()).decode("ascii")
    html = render_to_string(
        "reports/report_pdf.html",
        {"report": report, "chart_src": f"data:image/svg+xml;base64,{chart}"},
    )
    # Control characters have no glyph in any font; drop them as the Word file does.
    return HTML(string=xml_safe(html), url_fetcher=_fetcher()).write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET))],
        pdf_variant="pdf/ua-1",
        pdf_tags=True,
    )
