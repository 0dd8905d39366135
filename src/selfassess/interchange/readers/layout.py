"""From rows of cells (whatever file they came from) to a `Reading`.

Each format's reader turns its file into `Row`s of `Cell`s in document order; this
module does the rest, the same way for all of them. Two layouts are understood:

- the toolkit's own (seeds 000 and 002): per principle a header row ("Total score",
  "Evidence"), perhaps a row with the typed total ("3 / 10"), a row naming the three
  levels (which says which column is which level), then a row per statement with the
  mark in its level's column and the evidence after the last level column. A statement
  cut by a page break continues in the first row of the next table or page.
- columns headed ref / score / evidence (and perhaps statement, level, links), one row
  per statement, as a council's own sheet or the product's Excel download has them.

Rows are matched to statements by their text (`matching`), never by position.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from . import evidence as ev
from .marks import MarkReader, quoted
from .matching import CLEAR, LOOSE, StatementMatcher, squash
from .model import Format, Limits, PrincipleReading, ReadError, Reading, RowReading, Toolkit

NOT_FOUND = "Statement text not found in the document"
NO_MARK = "No mark found"
SHADED = "Cell shaded instead of marked"
WORDING = "The statement’s wording differs from the toolkit’s: check it is the same statement"
TWO_LIKE = "The statement is like more than one of the toolkit’s statements: check which it is"
TWICE = "The statement appears more than once in the document; the closest copy was read"
NO_LEVELS = (
    "No row naming the levels (0: Not addressed, 1: Partial, 2: Comprehensive) was found, "
    "so no marks could be read."
)
COUNTED = {2: "Two", 3: "Three"}

_TOTAL = re.compile(
    r"(?:total(?:\s*score)?\s*[:\-]?\s*)?(\d{1,3})\s*(?:/|out\s+of)\s*(\d{1,3})", re.IGNORECASE
)
_LEVEL_PREFIX = re.compile(r"\s*(\d)\s*[:.)\-–]")
_REF = re.compile(r"(\d{1,2})\s*\.\s*(\d{1,2})")
_HEADER_WORDS = {"statement", "statements", "evidence", "totalscore", "principle", "score"}


@dataclass
class Cell:
    """One cell: its paragraphs, and what the reader could tell about it.

    fill: the background colour when the cell is shaded (None for none or white).
    merged_from_above: the cell continues a vertically merged cell; its content belongs
    to the row where the merge starts.
    links: web addresses of the cell's hyperlinks.
    tail_room, head_word: from a PDF, the room left at the end of the last line and the
    width of the first word (points), to tell a paragraph's end from a line's.
    """

    paragraphs: list[str] = field(default_factory=list)
    fill: str | None = None
    merged_from_above: bool = False
    links: list[str] = field(default_factory=list)
    tail_room: float | None = None
    head_word: float | None = None

    @property
    def text(self) -> str:
        return " ".join(self.paragraphs).strip()


@dataclass
class Row:
    """A table row. starts_block: the first row of a table, page or sheet, where a row
    cut by a page break may continue. block numbers the tables (or sheets)."""

    cells: list[Cell]
    starts_block: bool = False
    block: int = 0

    def text(self, columns: range | None = None) -> str:
        cells = self.cells if columns is None else self.cells[columns.start : columns.stop]
        return " ".join(cell.text for cell in cells if cell.text)


def continue_cell(before: Cell, after: Cell) -> Cell:
    """A cell cut by a page break, put back together."""
    if not after.paragraphs:
        joined = list(before.paragraphs)
    elif not before.paragraphs:
        joined = list(after.paragraphs)
    else:
        new_paragraph = (
            before.tail_room is not None
            and after.head_word is not None
            and after.head_word < before.tail_room
        )
        if new_paragraph:
            joined = [*before.paragraphs, *after.paragraphs]
        else:
            middle = ev.join_text(before.paragraphs[-1], after.paragraphs[0])
            joined = [*before.paragraphs[:-1], middle, *after.paragraphs[1:]]
    return Cell(
        paragraphs=joined,
        fill=before.fill or after.fill,
        merged_from_above=before.merged_from_above and after.merged_from_above,
        links=[*before.links, *after.links],
        tail_room=after.tail_room if after.paragraphs else before.tail_room,
        head_word=before.head_word if before.paragraphs else after.head_word,
    )


@dataclass
class Group:
    """A statement's row, with any continuation rows (after a page break) joined on."""

    rows: list[Row]
    levels: dict[int, int] | None  # {level: column} from the levels row above it
    statement_columns: range
    ref: str | None = None
    similarity: float = 0.0
    clear: bool = False

    def statement_text(self) -> str:
        text = ""
        for row in self.rows:
            text = ev.join_text(text, row.text(self.statement_columns))
        return text

    def cell(self, column: int) -> Cell:
        """One column's cell, joined across the group's rows."""
        joined: Cell | None = None
        for row in self.rows:
            if column < len(row.cells):
                here = row.cells[column]
                joined = here if joined is None else continue_cell(joined, here)
        return joined or Cell()

    def cells_from(self, column: int) -> Cell:
        """The cells from a column onwards as one cell: within a row each cell's
        paragraphs follow the last; across rows a paragraph cut by the page break is
        joined up. (Extracted text does not always keep a row's cells in the same
        columns, so the rows are joined, not the columns.)"""
        joined = Cell()
        for row in self.rows:
            cells = [c for c in row.cells[column:] if c.paragraphs and not c.merged_from_above]
            if not cells:
                continue
            part = Cell(
                paragraphs=[p for c in cells for p in c.paragraphs],
                links=[link for c in cells for link in c.links],
                tail_room=cells[-1].tail_room,
                head_word=cells[0].head_word,
            )
            joined = continue_cell(joined, part)
        return joined


@dataclass
class Section:
    """The rows between one principle's header and the next."""

    typed_total: tuple[int, int] | None = None
    groups: list[Group] = field(default_factory=list)


class ToolkitLayout:
    def __init__(self, toolkit: Toolkit, limits: Limits) -> None:
        self.toolkit = toolkit
        self.limits = limits
        self.matcher = StatementMatcher([(ref, text) for ref, _, text in toolkit.statements])
        self.marks = MarkReader(toolkit)
        self.principle_of = {ref: number for ref, number, _ in toolkit.statements}
        self.values = [value for value, _ in toolkit.levels]
        self.titles = [squash(title) for _, title in toolkit.principles]

    # Rows -----------------------------------------------------------------------

    def level_columns(self, row: Row) -> dict[int, int] | None:
        """For a row naming the levels, {level: column}; None for any other row."""
        found: dict[int, int] = {}
        for column, cell in enumerate(row.cells):
            text = cell.text
            if not text:
                continue
            if len(squash(text)) > 40:
                return None
            prefix = _LEVEL_PREFIX.match(text)
            level = int(prefix.group(1)) if prefix else self.marks.level_named(text)
            if level in self.values:
                found.setdefault(level, column)
        return found if len(found) >= 2 else None

    def is_header(self, row: Row) -> bool:
        """A principle's header row ("Total score", "Evidence") or its title."""
        words = {squash(cell.text) for cell in row.cells}
        if words & {"evidence", "totalscore"} or any(w.startswith("totalscore") for w in words):
            return True
        whole = squash(row.text())
        return any(
            title in whole and len(whole) <= len(title) + 40 for title in self.titles
        )

    @staticmethod
    def typed_total(row: Row) -> tuple[int, int] | None:
        for cell in row.cells:
            found = _TOTAL.fullmatch(cell.text.strip())
            if found:
                return int(found.group(1)), int(found.group(2))
        return None

    @staticmethod
    def is_separator(row: Row) -> bool:
        return all(set(cell.text) <= set("-=|_ ") for cell in row.cells)

    # Reading --------------------------------------------------------------------

    def read(self, rows: list[Row], format: Format) -> Reading:
        reading = Reading(format=format)
        sections: list[Section] = [Section()]
        groups: list[Group] = []
        current: Group | None = None
        levels: dict[int, int] | None = None
        block_start = False
        unmatched: Row | None = None  # the row before, if it matched no statement
        for row in rows:
            block_start = block_start or row.starts_block
            if not any(cell.text for cell in row.cells) or self.is_separator(row):
                continue
            starts_block, block_start = block_start, False
            found_levels = self.level_columns(row)
            header = self.is_header(row)
            total = self.typed_total(row)
            if found_levels or header or (total and not self._statement_like(row, levels)):
                if sections[-1].groups:
                    sections.append(Section())
                if found_levels:
                    levels = found_levels
                if total and sections[-1].typed_total is None:
                    sections[-1].typed_total = total
                current = unmatched = None
                continue
            columns = self._statement_columns(row, levels)
            text = row.text(columns)
            if current is not None and starts_block and self._continues(current, row, text):
                current.rows.append(row)
                unmatched = None
                continue
            match = self.matcher.best(text) if text else None
            parts = [row]
            if starts_block and unmatched is not None:
                # The row before, matching nothing, may be a statement's first few
                # words left at the foot of the page.
                before = ev.join_text(unmatched.text(columns), text)
                joined = self.matcher.best(before)
                if joined is not None and joined.similarity > (match.score if match else 0):
                    reading.extra_rows.pop()
                    match, parts = joined, [unmatched, row]
            unmatched = None
            if match is None:
                reading.extra_rows.append(" | ".join(c.text for c in row.cells if c.text))
                current, unmatched = None, row
                continue
            current = Group(parts, levels, columns, match.ref)
            current.similarity = match.score
            sections[-1].groups.append(current)
            groups.append(current)
        if not groups:
            raise ReadError(
                [
                    f"This file does not look like the {self.toolkit.title} toolkit: none "
                    f"of its {len(self.toolkit.statements)} statements were found in it."
                ]
            )
        if any(group.levels is None for group in groups):
            reading.problems.append(NO_LEVELS)
        reading.rows = self._rows(groups, reading)
        reading.principles = self._principles(reading.rows, sections)
        return reading

    def _statement_like(self, row: Row, levels: dict[int, int] | None) -> bool:
        return self.matcher.best(row.text(self._statement_columns(row, levels))) is not None

    @staticmethod
    def _statement_columns(row: Row, levels: dict[int, int] | None) -> range:
        if levels:
            return range(0, min(levels.values()))
        return range(0, 1)

    def _continues(self, group: Group, row: Row, text: str) -> bool:
        """Whether a row at the top of a table or page carries on the statement above."""
        if not text:
            return True
        if group.ref is None:
            return False
        alone = self.matcher.best(text)
        if alone is not None and alone.score >= LOOSE and alone.prefix >= alone.similarity:
            # The row starts a statement of its own.
            return False
        before = self.matcher.similarity(group.statement_text(), group.ref)
        after = self.matcher.similarity(f"{group.statement_text()} {text}", group.ref)
        return after > before + 0.02

    # Statements -----------------------------------------------------------------

    def _rows(self, groups: list[Group], reading: Reading) -> list[RowReading]:
        chosen: dict[str, Group] = {}
        twice: set[str] = set()
        for group in groups:
            match = self.matcher.best(group.statement_text())
            if match is None:
                reading.extra_rows.append(group.statement_text())
                continue
            group.ref, group.similarity = match.ref, match.similarity
            group.clear = match.is_clear
            if match.ref in chosen:
                twice.add(match.ref)
                if chosen[match.ref].similarity >= group.similarity:
                    reading.extra_rows.append(group.statement_text())
                    continue
                reading.extra_rows.append(chosen[match.ref].statement_text())
            chosen[match.ref] = group
        rows = []
        for ref, _, _ in self.toolkit.statements:
            group = chosen.get(ref)
            if group is None:
                row = RowReading(ref=ref)
                row.needs_check(NOT_FOUND)
                rows.append(row)
                continue
            row = self._row(ref, group)
            if ref in twice:
                row.needs_check(TWICE)
            rows.append(row)
        return rows

    def _row(self, ref: str, group: Group) -> RowReading:
        row = RowReading(ref=ref, found_text=group.statement_text())
        if not group.clear:
            if group.similarity >= CLEAR:
                row.needs_check(TWO_LIKE)
            else:
                row.needs_check(WORDING)
        levels = group.levels
        evidence_from = (max(levels.values()) + 1) if levels else group.statement_columns.stop
        self._read_marks(row, group)
        cell = group.cells_from(evidence_from)
        paragraphs, links = ev.take_links([p for p in map(ev.tidy, cell.paragraphs) if p])
        ev.add_links(links, cell.links)
        row.evidence = "\n\n".join(paragraphs)
        row.links = links
        self._check_lengths(row)
        return row

    def _read_marks(self, row: RowReading, group: Group) -> None:
        levels = group.levels
        if not levels:
            row.needs_check(NO_MARK)
            return
        marked: list[int] = []
        doubts: list[str] = []
        fills: dict[int, str | None] = {}
        for level, column in sorted(levels.items()):
            cell = group.cell(column)
            fills[level] = cell.fill
            if cell.merged_from_above or not cell.text:
                continue
            mark = self.marks.read(cell.text, level)
            if mark.kind == "mark" and mark.level is not None:
                marked.append(mark.level)
            elif mark.kind == "wrong column":
                doubts.append(
                    f"{quoted(cell.text)} is written in the "
                    f"“{self.marks.labels[level]}” column"
                )
            elif mark.kind == "not a score":
                doubts.append(f"{quoted(cell.text)} is not a score")
        for doubt in doubts:
            row.needs_check(doubt)
        if len(marked) == 1 and not doubts:
            row.score = marked[0]
        elif len(marked) > 1:
            row.needs_check(f"{COUNTED.get(len(marked), 'Several')} marks in one row")
        elif not marked and not doubts:
            shaded = self._shaded(fills)
            if len(shaded) == 1:
                row.score = shaded[0]
                row.needs_check(SHADED)
            elif shaded:
                row.needs_check(f"{COUNTED.get(len(shaded), 'Several')} cells shaded in one row")
            else:
                row.needs_check(NO_MARK)

    @staticmethod
    def _shaded(fills: dict[int, str | None]) -> list[int]:
        """Levels whose cell is shaded differently from the others in the row."""
        colours = [fill for fill in fills.values() if fill]
        if not colours:
            return []
        if len(colours) == len(fills):
            common, count = Counter(colours).most_common(1)[0]
            if count == len(fills):
                return []
            return [level for level, fill in fills.items() if fill != common]
        return [level for level, fill in fills.items() if fill]

    def _check_lengths(self, row: RowReading) -> None:
        most = self.limits.max_evidence_chars
        if len(row.evidence) > most:
            row.needs_check(
                f"The evidence is {len(row.evidence):,} characters long; the most is {most:,}"
            )
        if len(row.links) > self.limits.max_links:
            row.needs_check(
                f"The evidence has {len(row.links)} web addresses; the most is "
                f"{self.limits.max_links}"
            )
        for link in row.links:
            if len(link) > self.limits.max_link_chars:
                row.needs_check(
                    f"A web address is longer than {self.limits.max_link_chars} characters"
                )

    # Principles -----------------------------------------------------------------

    def _principles(
        self, rows: list[RowReading], sections: list[Section]
    ) -> list[PrincipleReading]:
        typed: dict[int, int] = {}
        for section in sections:
            if section.typed_total is None or not section.groups:
                continue
            numbers = Counter(self.principle_of[g.ref] for g in section.groups if g.ref)
            if numbers:
                typed.setdefault(numbers.most_common(1)[0][0], section.typed_total[0])
        by_ref = {row.ref: row for row in rows}
        maximum = self.toolkit.max_per_principle
        result = []
        for number, _ in self.toolkit.principles:
            scores = [
                by_ref[ref].score for ref, n, _ in self.toolkit.statements if n == number
            ]
            marks = sum(score for score in scores if score is not None)
            principle = PrincipleReading(number, marks, maximum.get(number, 0), typed.get(number))
            if principle.typed_total is not None and principle.typed_total != marks:
                unscored = sum(score is None for score in scores)
                still = ""
                if unscored:
                    verb = "has" if unscored == 1 else "have"
                    still = f" ({unscored} of its statements {verb} no score read)"
                principle.note = (
                    f"The document gives principle {number} a total of "
                    f"{principle.typed_total} / {principle.maximum}, but its marks add up to "
                    f"{marks} / {principle.maximum}{still}. The marks are used."
                )
            result.append(principle)
        return result


class ColumnsLayout:
    """Rows under a header naming a ref column and a score (or level) column."""

    REF = {"ref", "reference", "statementref", "statementreference", "refno", "number", "no"}

    def __init__(self, toolkit: Toolkit, limits: Limits) -> None:
        self.toolkit = toolkit
        self.layout = ToolkitLayout(toolkit, limits)
        self.statements = {ref: text for ref, _, text in toolkit.statements}

    def header(self, row: Row) -> dict[str, int] | None:
        found: dict[str, int] = {}
        for column, cell in enumerate(row.cells):
            word = squash(cell.text)
            if not word:
                continue
            if word in self.REF or word.startswith("ref"):
                kind = "ref"
            elif word.startswith(("score", "mark", "rating")):
                kind = "score"
            elif word == "level" or word.startswith("level"):
                kind = "level"
            elif word.startswith(("evidence", "comment", "note")):
                kind = "evidence"
            elif word.startswith("link") or word.startswith("weblink"):
                kind = "links"
            elif word.startswith("statement"):
                kind = "statement"
            else:
                continue
            found.setdefault(kind, column)
        if "ref" in found and ("score" in found or "level" in found):
            return found
        return None

    def find(self, rows: list[Row]) -> int | None:
        """Index of the header row, if the rows are in this layout."""
        for index, row in enumerate(rows):
            if self.header(row):
                return index
        return None

    def read(self, rows: list[Row], start: int, format: Format) -> Reading:
        columns = self.header(rows[start])
        assert columns is not None
        reading = Reading(format=format)
        found: dict[str, RowReading] = {}
        for row in rows[start + 1 :]:
            if row.block != rows[start].block:
                break

            def value(kind: str, row: Row = row) -> str:
                column = columns.get(kind)
                if column is None or column >= len(row.cells):
                    return ""
                return row.cells[column].text

            if not any(cell.text for cell in row.cells):
                continue
            ref_match = _REF.search(value("ref"))
            ref = f"{int(ref_match.group(1))}.{int(ref_match.group(2))}" if ref_match else ""
            if ref not in self.statements:
                reading.extra_rows.append(" | ".join(c.text for c in row.cells if c.text))
                continue
            result = self._row(ref, row, columns, value)
            if ref in found:
                found[ref].needs_check(TWICE)
                continue
            found[ref] = result
        if not found:
            raise ReadError(
                [
                    f"This file does not look like the {self.toolkit.title} toolkit: none "
                    f"of its {len(self.toolkit.statements)} statement references were found."
                ]
            )
        for ref in self.statements:
            if ref not in found:
                missing = RowReading(ref=ref)
                missing.needs_check(NOT_FOUND)
                found[ref] = missing
        reading.rows = [found[ref] for ref, _, _ in self.toolkit.statements]
        reading.principles = self.layout._principles(reading.rows, [])
        return reading

    def _row(self, ref: str, row: Row, columns: dict[str, int], value) -> RowReading:
        result = RowReading(ref=ref, found_text=value("statement"))
        if result.found_text:
            similarity = self.layout.matcher.similarity(result.found_text, ref)
            if similarity < LOOSE:
                result.needs_check(f"The statement’s text is not statement {ref}’s")
            elif similarity < CLEAR:
                result.needs_check(WORDING)
        score_text = value("score") or value("level")
        written = score_text.strip()
        if not written:
            result.needs_check(NO_MARK)
        elif written.isdigit() and int(written) in self.layout.values:
            result.score = int(written)
        else:
            named = self.layout.marks.level_named(written)
            if named is None:
                result.needs_check(f"{quoted(written)} is not a score")
            else:
                result.score = named
        column = columns.get("evidence")
        cell = row.cells[column] if column is not None and column < len(row.cells) else Cell()
        paragraphs, links = ev.take_links([p for p in (ev.tidy(p) for p in cell.paragraphs) if p])
        ev.add_links(links, cell.links)
        ev.add_links(links, value("links").split())
        result.evidence = "\n\n".join(paragraphs)
        result.links = links
        self.layout._check_lengths(result)
        return result


def read_rows(rows: list[Row], toolkit: Toolkit, limits: Limits, format: Format) -> Reading:
    columns = ColumnsLayout(toolkit, limits)
    start = columns.find(rows)
    if start is not None:
        return columns.read(rows, start, format)
    return ToolkitLayout(toolkit, limits).read(rows, format)
