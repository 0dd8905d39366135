"""Readers for councils' completed toolkits: Word, PDF, Excel and plain text.

    reading = read_document(data, filename, toolkit, limits)

The format is told from the content, never the file name. A JSON file is not read here:
the Reading comes back with format "json" for the caller to hand to the JSON importer.
A file that cannot be read at all raises ReadError with plain-English problems. Nothing
here touches the database or Django's settings; the caller passes the toolkit and the
limits in.
"""

from __future__ import annotations

from .containers import sniff
from .layout import read_rows
from .model import (
    CHECK,
    CLEAR,
    Limits,
    PrincipleReading,
    ReadError,
    Reading,
    RowReading,
    Toolkit,
)

__all__ = [
    "CHECK",
    "CLEAR",
    "Limits",
    "PrincipleReading",
    "ReadError",
    "Reading",
    "RowReading",
    "Toolkit",
    "read_document",
]


def read_document(data: bytes, filename: str, toolkit: Toolkit, limits: Limits) -> Reading:
    """Read a completed toolkit. filename is only for messages; the content decides."""
    kind = sniff(data, limits)
    if kind == "json":
        return Reading(format="json")
    problems: list[str] = []
    if kind == "docx":
        from .docx import docx_rows

        rows = docx_rows(data)
    elif kind == "xlsx":
        from .xlsx import xlsx_rows

        rows = xlsx_rows(data)
    elif kind == "pdf":
        from .pdf import pdf_rows

        rows, problems = pdf_rows(data, limits)
    else:
        from .text import text_rows

        rows = text_rows(data)
    reading = read_rows(rows, toolkit, limits, kind)
    reading.problems.extend(problems)
    return reading
