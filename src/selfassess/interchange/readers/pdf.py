"""PDF exported from Word: pdfplumber finds the tables by their ruled lines.

Each table row becomes a Row; each word on the page goes to the cell its middle falls
in. A cell's words become lines, and lines become paragraphs where the text shows a
paragraph ended: a larger gap than between lines, or a line that stops short although
the next line's first word would have fitted after it (so the writer ended the line,
not the page's width). The first row of every table on a page starts a block, where a
row cut by the page break may continue. A cell shaded by a filled rectangle behind it
keeps the rectangle's colour.

When a page has text but no ruled tables, pdfplumber's text strategy (columns and rows
from the alignment of the words) is tried instead. A PDF with no text at all is a scan:
no OCR here.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pdfplumber
from pdfplumber.utils.exceptions import PdfminerException

from . import evidence as ev
from .containers import DAMAGED
from .layout import Cell, Row
from .model import Limits, ReadError

SCANNED = (
    "This PDF has no text layer; it looks scanned. Export it from Word as PDF or upload "
    "the Word file; we do not read scanned images."
)
ENCRYPTED = (
    "This PDF is protected with a password, so it cannot be read. Export it again from "
    "Word without a password, or upload the Word file."
)
UNRULED = (
    "This PDF’s tables have no ruled lines, so its rows and columns were worked out from "
    "where the words sit, which is often wrong. Check every row, or upload the Word file "
    "instead."
)
TEXT_TABLES = {"vertical_strategy": "text", "horizontal_strategy": "text"}
WHITE = {(1,), (1, 1, 1), (0, 0, 0, 0), (1.0,), (1.0, 1.0, 1.0)}


@dataclass
class Line:
    words: list[dict]

    @property
    def x0(self) -> float:
        return min(w["x0"] for w in self.words)

    @property
    def x1(self) -> float:
        return max(w["x1"] for w in self.words)

    @property
    def top(self) -> float:
        return min(w["top"] for w in self.words)

    @property
    def height(self) -> float:
        return max(w["bottom"] - w["top"] for w in self.words)

    @property
    def first_word(self) -> float:
        return self.words[0]["x1"] - self.words[0]["x0"]

    @property
    def text(self) -> str:
        return " ".join(w["text"] for w in self.words)


def pdf_rows(data: bytes, limits: Limits) -> tuple[list[Row], list[str]]:
    """The rows of the PDF's tables, and any problem to show about how they were read."""
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except PdfminerException as error:
        cause = error.args[0] if error.args else None
        if type(cause).__name__ in ("PDFPasswordIncorrect", "PDFEncryptionError"):
            raise ReadError([ENCRYPTED]) from None
        raise ReadError([DAMAGED]) from None
    except Exception:  # pdfminer raises many kinds of error for a broken file
        raise ReadError([DAMAGED]) from None
    with pdf:
        if len(pages) > limits.max_pdf_pages:
            raise ReadError(
                [
                    f"This PDF has {len(pages):,} pages; we read PDFs of up to "
                    f"{limits.max_pdf_pages:,} pages (the toolkit has about 10)."
                ]
            )
        try:
            return _rows(pages)
        except ReadError:
            raise
        except Exception:  # a damaged page can fail anywhere in pdfminer
            raise ReadError([DAMAGED]) from None


def _rows(pages) -> tuple[list[Row], list[str]]:
    if not any(page.chars for page in pages):
        raise ReadError([SCANNED])
    problems = []
    ruled = [page.find_tables() for page in pages]
    if not any(ruled):
        ruled = [page.find_tables(TEXT_TABLES) for page in pages]
        problems.append(UNRULED)
    rows: list[Row] = []
    block = 0
    for page, tables in zip(pages, ruled, strict=True):
        words = page.extract_words()
        fills = [r for r in page.rects if r.get("fill")]
        for table in sorted(tables, key=lambda t: (t.bbox[1], t.bbox[0])):
            block += 1
            for number, row in enumerate(table.rows):
                cells = [_cell(bbox, words, fills) for bbox in row.cells]
                rows.append(Row(cells, starts_block=number == 0, block=block))
    return rows, problems


def _inside(word: dict, bbox: tuple[float, float, float, float]) -> bool:
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _cell(bbox, words: list[dict], fills: list[dict]) -> Cell:
    if bbox is None:
        return Cell()
    lines = _lines([w for w in words if _inside(w, bbox)])
    fill = _fill(bbox, fills)
    if not lines:
        return Cell(fill=fill)
    padding = max(0.0, min(line.x0 for line in lines) - bbox[0])
    right = bbox[2] - padding
    paragraphs: list[str] = []
    text = lines[0].text
    pitches = [b.top - a.top for a, b in zip(lines, lines[1:], strict=False)]
    usual = min(pitches) if pitches else 0.0
    for before, after in zip(lines, lines[1:], strict=False):
        space = 0.3 * before.height
        gap_ends = usual and (after.top - before.top) > 1.4 * usual
        short_ends = after.first_word + space < right - before.x1 - 1
        if gap_ends or short_ends:
            paragraphs.append(text)
            text = after.text
        else:
            text = ev.join_text(text, after.text)
    paragraphs.append(text)
    last = lines[-1]
    return Cell(
        paragraphs=paragraphs,
        fill=fill,
        tail_room=right - last.x1 - 0.3 * last.height - 1,
        head_word=lines[0].first_word,
    )


def _lines(words: list[dict]) -> list[Line]:
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and word["top"] < lines[-1].top + 0.5 * lines[-1].height:
            lines[-1].words.append(word)
        else:
            lines.append(Line([word]))
    for line in lines:
        line.words.sort(key=lambda w: w["x0"])
    return lines


def _fill(bbox, fills: list[dict]) -> str | None:
    """The colour of a filled rectangle covering most of the cell, unless white."""
    x0, top, x1, bottom = bbox
    area = (x1 - x0) * (bottom - top)
    if area <= 0:
        return None
    for rect in fills:
        width = min(x1, rect["x1"]) - max(x0, rect["x0"])
        height = min(bottom, rect["bottom"]) - max(top, rect["top"])
        rect_area = (rect["x1"] - rect["x0"]) * (rect["bottom"] - rect["top"])
        if width <= 0 or height <= 0 or rect_area > 4 * area:
            continue
        if width * height >= 0.6 * area:
            colour = rect.get("non_stroking_color")
            key = tuple(colour) if isinstance(colour, list | tuple) else (colour,)
            if colour is not None and key not in WHITE:
                return str(key)
    return None

