"""Plain text as seed 002 was extracted: table rows as lines with cells separated by
tabs, other lines as prose, a blank line where a page broke.

A cell's paragraphs cannot be told apart in this form (a line is a row), so each cell is
one paragraph.
"""

from __future__ import annotations

from .containers import UNKNOWN
from .layout import Cell, Row
from .model import ReadError


def decode(data: bytes) -> str:
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise ReadError([UNKNOWN]) from None
    if "\x00" in text:
        raise ReadError([UNKNOWN])
    return text


def text_rows(data: bytes) -> list[Row]:
    rows: list[Row] = []
    block = 0
    new_block = True
    for line in decode(data).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if "\t" not in line:
            # Prose or a blank line: whatever comes next starts a new table or page.
            new_block = True
            continue
        if new_block:
            block += 1
        cells = [Cell([part.strip()] if part.strip() else []) for part in line.split("\t")]
        rows.append(Row(cells, starts_block=new_block, block=block))
        new_block = False
    return rows
