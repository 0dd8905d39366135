"""Word (.docx): the body's tables, row by row, cell by cell, on the grid of columns.

python-docx opens the package (after `containers` checked it). The tables are walked in
the XML so that what matters here is seen: a cell spanning columns (gridSpan) fills its
first column and leaves the others empty; a cell continuing a vertical merge (vMerge)
is marked as such and carries no text of its own; a cell's shading (w:shd fill) is
kept; tables and rows inside content controls (w:sdt) are included; deleted text of
tracked changes is not. Symbols from the Wingdings font that people use as ticks and
boxes are read as the characters they look like.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from docx import Document
from docx.oxml.ns import qn

from .containers import DAMAGED
from .layout import Cell, Row
from .model import ReadError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# Wingdings characters people tick with, as the characters they show.
WINGDINGS = {"ü": "✓", "þ": "☑", "ý": "☒", "û": "✗", "l": "●", "n": "■", "o": "☐", "¨": "☐"}
PLAIN_FILLS = {None, "", "auto", "FFFFFF", "ffffff"}


def docx_rows(data: bytes) -> list[Row]:
    try:
        document = Document(io.BytesIO(data))
    except Exception:  # a broken package can fail anywhere in python-docx
        raise ReadError([DAMAGED]) from None
    targets = {
        rel_id: rel.target_ref
        for rel_id, rel in document.part.rels.items()
        if rel.is_external
    }
    rows: list[Row] = []
    for block, table in enumerate(_tables(document.element.body), start=1):
        rows.extend(_table_rows(table, block, targets))
    return rows


def _children(element, tag: str) -> Iterator:
    """Children with this tag, looking through content controls (w:sdt)."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _children(content, tag)


def _tables(body) -> Iterator:
    yield from _children(body, f"{W}tbl")


def _table_rows(table, block: int, targets: dict[str, str]) -> list[Row]:
    rows = []
    for number, tr in enumerate(_children(table, f"{W}tr")):
        cells: list[Cell] = []
        for tc in _children(tr, f"{W}tc"):
            cell = _cell(tc, targets)
            cells.append(cell)
            cells.extend(Cell() for _ in range(tc.grid_span - 1))
        rows.append(Row(cells, starts_block=number == 0, block=block))
    return rows


def _cell(tc, targets: dict[str, str]) -> Cell:
    properties = tc.tcPr
    fill = None
    if properties is not None:
        shading = properties.find(qn("w:shd"))
        if shading is not None:
            fill = shading.get(qn("w:fill"))
            theme = shading.get(qn("w:themeFill"))
            if theme and theme not in ("background1", "light1"):
                fill = f"theme:{theme}"
    if fill in PLAIN_FILLS:
        fill = None
    merge = properties.find(qn("w:vMerge")) if properties is not None else None
    if merge is not None and merge.get(qn("w:val")) in (None, "continue"):
        return Cell(fill=fill, merged_from_above=True)
    paragraphs = []
    links: list[str] = []
    for p in _children(tc, f"{W}p"):
        text = _paragraph_text(p)
        if text.strip():
            paragraphs.append(text)
        for hyperlink in p.iter(f"{W}hyperlink"):
            target = targets.get(hyperlink.get(R_ID, ""))
            if target:
                links.append(target)
    return Cell(paragraphs=paragraphs, fill=fill, links=links)


def _paragraph_text(p) -> str:
    parts: list[str] = []
    _collect(p, parts, wingdings=False)
    return "".join(parts)


def _collect(element, parts: list[str], wingdings: bool) -> None:
    for child in element:
        tag = child.tag
        if tag in (f"{W}del", f"{W}moveFrom", FALLBACK, f"{W}rPr", f"{W}pPr"):
            continue
        if tag == f"{W}r":
            fonts = child.find(f"{W}rPr/{W}rFonts")
            run_wingdings = fonts is not None and any(
                "wingdings" in (value or "").lower() for value in fonts.attrib.values()
            )
            _collect(child, parts, run_wingdings)
        elif tag == f"{W}t":
            text = child.text or ""
            parts.append("".join(WINGDINGS.get(c, c) for c in text) if wingdings else text)
        elif tag == f"{W}tab":
            parts.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
        elif tag == f"{W}noBreakHyphen":
            parts.append("-")
        elif tag == f"{W}sym":
            parts.append(_symbol(child.get(f"{W}char", "")))
        else:
            _collect(child, parts, wingdings)


def _symbol(code: str) -> str:
    """A w:sym character (a code in the symbol font's private range, "F0FC")."""
    try:
        value = int(code, 16)
    except ValueError:
        return ""
    if value >= 0xF000:
        value -= 0xF000
    if not 0 < value < 0x110000:
        return ""
    character = chr(value)
    return WINGDINGS.get(character, character)
