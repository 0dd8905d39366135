"""PDF: the on-screen report's template rendered by WeasyPrint as a tagged PDF/UA."""

import base64
import hashlib
import logging
from functools import cache
from pathlib import Path

from django.core.cache import caches
from django.template.loader import render_to_string

from .context import ReportData, xml_safe
from .glyphs import printable

logger = logging.getLogger(__name__)

STYLESHEET = Path(__file__).resolve().parent / "pdf.css"
OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


def _fetcher():
    from weasyprint.urls import URLFetcher

    # The report embeds its chart as a data: URI and needs nothing else from anywhere:
    # nothing a user typed can make the renderer fetch a file or a web address.
    return URLFetcher(allowed_protocols={"data"})


def _html(report: ReportData) -> str:
    chart = base64.b64encode(report.chart_svg()).decode("ascii")
    html = render_to_string(
        "reports/report_pdf.html",
        {"report": report, "chart_src": f"data:image/svg+xml;base64,{chart}"},
    )
    # Control characters have no glyph in any font; drop them as the Word file does.
    html = xml_safe(html)
    # What the page shows gets a code point in place of a character no font has. The head
    # is the PDF's title and author, which no font draws: kept as typed.
    head, tag, body = html.partition("<body")
    return head + tag + printable(body)


def _write(html: str) -> bytes:
    from weasyprint import CSS, HTML

    return HTML(string=html, url_fetcher=_fetcher()).write_pdf(
        stylesheets=[CSS(string=_stylesheet().decode("utf-8"))], **OPTIONS
    )


@cache
def _stylesheet() -> bytes:
    return STYLESHEET.read_bytes()


@cache
def _renderer_digest() -> bytes:
    """Everything besides the HTML that decides the PDF's bytes: the stylesheet, the
    options and the versions of WeasyPrint and the PDF writer under it."""
    import pydyf
    import weasyprint

    parts = [
        b"selfassess-pdf-1",
        weasyprint.__version__.encode(),
        pydyf.__version__.encode(),
        repr(sorted(OPTIONS.items())).encode(),
        _stylesheet(),
    ]
    return hashlib.sha256(b"\0".join(hashlib.sha256(p).digest() for p in parts)).digest()


def cache_key(html: str) -> str:
    """SHA-256 of the exact HTML and of everything else WeasyPrint is given."""
    return hashlib.sha256(_renderer_digest() + html.encode("utf-8")).hexdigest()


def render_pdf(report: ReportData) -> bytes:
    """The PDF, rendered now (what the benchmarks time)."""
    return _write(_html(report))


def stored():
    """Rendered PDFs, shared by the workers (and the queue's consumers) of one server:
    Django's file-based cache "reports" (settings.CACHES; REPORT_CACHE_DIR), not the
    database cache, so that PDFs, which can print councillors' comments, stay out of the
    database and its backups and are gone a day after they were made."""
    return caches["reports"]


def _pending(key: str) -> str:
    return f"pending-{key}"


def stored_or_queued(report: ReportData, *, since_id: int | None) -> bytes | None:
    """A download's PDF if it is stored; otherwise None, with its render queued (once:
    a marker in the same store says a render is on its way). The queue's consumer
    renders it (tasks.render_pdf) while the officer's page says it is being prepared;
    in immediate mode it is rendered at once."""
    html = _html(report)
    key = cache_key(html)
    try:
        body = stored().get(key)
        if body is None and stored().add(_pending(key), True, timeout=600):
            from .tasks import render_pdf

            render_pdf(report.assessment.pk, since_id, report.include_comments, key)
            body = stored().get(key)
    except OSError:
        logger.exception("Report store unusable; rendering the PDF now")
        body = _write(html)
    return body


def render_and_store(report: ReportData, key: str) -> None:
    """The consumer's part: render the report as it is now and keep it under the key the
    page asked for (so the page finds it even if the report changed in the seconds
    between, or this process draws some detail differently), then lift the marker."""
    try:
        if stored().get(key) is None:
            stored().set(key, _write(_html(report)))
    finally:
        stored().delete(_pending(key))


def forget_stored() -> None:
    """Retention: every stored PDF download goes when councillors' comments were deleted,
    since a stored PDF may print them. (Otherwise a stored PDF is deleted when it is
    next looked up after its day, or to make room: the cache's MAX_ENTRIES.)"""
    stored().clear()
