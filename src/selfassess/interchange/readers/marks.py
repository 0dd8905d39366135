"""What a council wrote in a level's column, read as a mark or not."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from .matching import squash
from .model import Toolkit

# Written in a level's column, these mean "this level".
SYMBOLS = frozenset(
    {"x", "✓", "✔", "✅", "☑", "☒", "✗", "✘", "●", "•", "⬤", "◉", "⚫", "■", "yes", "y"}
)
# Written in a level's column, these mean nothing: the cell is empty.
BLANKS = frozenset({"", "-", "–", "—", "☐", "□", "○"})
_DIGIT = re.compile(r"\(?([0-9]+)\)?\.?")
NAME_SIMILARITY = 0.85

Kind = Literal["empty", "mark", "wrong column", "not a score"]


@dataclass(frozen=True)
class Mark:
    kind: Kind
    level: int | None = None


def quoted(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"“{text}”"


class MarkReader:
    def __init__(self, toolkit: Toolkit) -> None:
        self.values = [value for value, _ in toolkit.levels]
        self.labels = dict(toolkit.levels)
        self._names: list[tuple[int, str]] = []
        for value, label in toolkit.levels:
            for name in [label, *toolkit.level_names.get(value, [])]:
                self._names.append((value, squash(name)))
                self._names.append((value, squash(f"{value}: {name}")))

    def level_named(self, text: str) -> int | None:
        """The level a text names ("Partial", "1: Partial", "Cor nprehensive"), if any."""
        squashed = squash(text)
        if not squashed:
            return None
        best, best_ratio = None, 0.0
        for value, name in self._names:
            ratio = SequenceMatcher(None, squashed, name, autojunk=False).ratio()
            if ratio > best_ratio:
                best, best_ratio = value, ratio
        return best if best_ratio >= NAME_SIMILARITY else None

    def read(self, text: str, column_level: int) -> Mark:
        written = unicodedata.normalize("NFKC", text).strip().casefold()
        if written in BLANKS:
            return Mark("empty")
        if written.rstrip(".!") in SYMBOLS:
            return Mark("mark", column_level)
        digit = _DIGIT.fullmatch(written)
        if digit:
            value = int(digit.group(1))
            if value == column_level:
                return Mark("mark", value)
            return Mark("wrong column" if value in self.values else "not a score", value)
        named = self.level_named(written)
        if named is None:
            return Mark("not a score")
        return Mark("mark" if named == column_level else "wrong column", named)
