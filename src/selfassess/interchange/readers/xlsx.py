"""Excel (.xlsx): every worksheet's rows, as the cells show them.

openpyxl opens the workbook (after `containers` checked it) with the values Excel last
calculated. A merged range's value is in its first cell; the cells below it in a
vertical merge are marked as continuing it. A cell's solid fill is kept. Within a cell,
a blank line separates paragraphs. Only the first MAX_ROWS rows and MAX_COLUMNS columns
of a sheet are read: the toolkit needs about 50 rows and 6 columns.
"""

from __future__ import annotations

import datetime
import io

from openpyxl import load_workbook

from . import evidence as ev
from .containers import DAMAGED
from .layout import Cell, Row
from .model import ReadError

MAX_ROWS = 2000
MAX_COLUMNS = 40
PLAIN_FILLS = {None, "00000000", "FFFFFFFF", "FFFFFF"}


def xlsx_rows(data: bytes) -> list[Row]:
    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # a broken workbook can fail anywhere in openpyxl
        raise ReadError([DAMAGED]) from None
    rows: list[Row] = []
    for block, sheet in enumerate(book.worksheets, start=1):
        below: set[tuple[int, int]] = set()
        for merged in sheet.merged_cells.ranges:
            for row in range(merged.min_row + 1, merged.max_row + 1):
                for column in range(merged.min_col, merged.max_col + 1):
                    below.add((row, column))
        first = True
        for line in sheet.iter_rows(
            max_row=min(sheet.max_row, MAX_ROWS), max_col=min(sheet.max_column, MAX_COLUMNS)
        ):
            cells = [_cell(cell, (cell.row, cell.column) in below) for cell in line]
            rows.append(Row(cells, starts_block=first, block=block))
            first = False
    return rows


def _text(value: object) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "Yes"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def _fill(cell) -> str | None:
    fill = cell.fill
    if fill is None or fill.fill_type != "solid":
        return None
    colour = fill.fgColor
    if colour.type == "rgb":
        value = colour.rgb if isinstance(colour.rgb, str) else None
    elif colour.type == "theme":
        value = None if colour.theme == 0 and not colour.tint else f"theme:{colour.theme}"
    elif colour.type == "indexed":
        value = None if colour.indexed in (9, 64) else f"indexed:{colour.indexed}"
    else:
        value = None
    return None if value in PLAIN_FILLS else value


def _cell(cell, merged_from_above: bool) -> Cell:
    if merged_from_above:
        return Cell(merged_from_above=True)
    hyperlink = getattr(cell, "hyperlink", None)
    links = [hyperlink.target] if hyperlink is not None and hyperlink.target else []
    return Cell(
        paragraphs=ev.split_paragraphs(_text(cell.value)),
        fill=_fill(cell),
        links=links,
    )
