"""What the readers take and give: plain data, no Django.

The caller builds a `Toolkit` from the database and a `Limits` from its settings, calls
`read_document`, and gets a `Reading` (or a `ReadError` for a file that cannot be read at
all). Nothing here is saved anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from selfassess.core.validation import Problems

Status = Literal["clear", "check"]
Format = Literal["docx", "xlsx", "pdf", "text", "json"]

CLEAR: Status = "clear"
CHECK: Status = "check"


@dataclass(frozen=True)
class Toolkit:
    """The toolkit version the document is read against.

    levels: the scale, [(value, label)], e.g. [(0, "Not addressed"), ...]; labels may
    carry longer names too, see `level_names`.
    principles: [(number, title)].
    statements: [(ref, principle number, text)].
    level_names: more names a council may write for a level, e.g.
    {1: ["Partial implementation"]}; the label is always one.
    """

    title: str
    levels: list[tuple[int, str]]
    principles: list[tuple[int, str]]
    statements: list[tuple[str, int, str]]
    level_names: dict[int, list[str]] = field(default_factory=dict)

    @property
    def max_per_principle(self) -> dict[int, int]:
        top = max(value for value, _ in self.levels)
        counts: dict[int, int] = {}
        for _, number, _ in self.statements:
            counts[number] = counts.get(number, 0) + top
        return counts


@dataclass(frozen=True)
class Limits:
    """How much the readers accept. Sizes are bytes; pass the site's settings in."""

    max_bytes: int = 20 * 1024 * 1024
    max_uncompressed: int = 100 * 1024 * 1024
    max_ratio: int = 200
    max_members: int = 2000
    max_pdf_pages: int = 100
    max_evidence_chars: int = 10_000
    max_links: int = 10
    max_link_chars: int = 500


@dataclass
class RowReading:
    """One toolkit statement as read from the document.

    found_text is the statement as the document has it ("" when not found); score is
    None when no single mark could be read; evidence is its paragraphs joined by a blank
    line; links are web addresses taken out of the evidence; reasons say in plain
    English why the row needs checking (empty when status is "clear").
    """

    ref: str
    found_text: str = ""
    score: int | None = None
    evidence: str = ""
    links: list[str] = field(default_factory=list)
    status: Status = CLEAR
    reasons: list[str] = field(default_factory=list)

    def needs_check(self, reason: str) -> None:
        self.status = CHECK
        if reason not in self.reasons:
            self.reasons.append(reason)


@dataclass
class PrincipleReading:
    """A principle's total from the marks, and the total typed in the document if any.

    note is set when the two differ; the marks win, a typed total is never used.
    """

    number: int
    marks_total: int
    maximum: int
    typed_total: int | None = None
    note: str = ""


@dataclass
class Reading:
    """Everything read from one document.

    format says which reader read it. For "json" nothing is read here: hand the bytes to
    the JSON importer, which has its own checks; rows and principles are then empty.
    extra_rows are rows the reader saw in the toolkit's tables but could not match to a
    statement (a council's own rows or notes); they are shown, never imported.
    problems are about the document as a whole.
    """

    format: Format
    rows: list[RowReading] = field(default_factory=list)
    principles: list[PrincipleReading] = field(default_factory=list)
    extra_rows: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(row.score for row in self.rows if row.score is not None)

    @property
    def maximum(self) -> int:
        return sum(principle.maximum for principle in self.principles)

    @property
    def needs_checking(self) -> list[RowReading]:
        return [row for row in self.rows if row.status == CHECK]

    @property
    def clear(self) -> bool:
        """True when nothing needs an officer's eye before importing."""
        return not self.needs_checking and not self.problems and not any(
            principle.note for principle in self.principles
        )


class ReadError(Problems):
    """The file cannot be read at all; problems says why, in plain English. A kind of
    core.validation.Problems, the one home for documents that cannot be used."""
