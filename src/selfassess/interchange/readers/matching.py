"""Finding which toolkit statement a row of a document is, by its text.

Texts are compared squashed: Unicode-normalised (NFKC), case-folded, and reduced to
letters and digits. That makes line breaks, hyphenation ("well-\\nbeing"), curly or
straight quotes, and words split or joined by a PDF's spacing ("Cor nprehensive") all
the same. Squashed texts are compared with difflib's SequenceMatcher ratio
(2 × matching characters / total characters; autojunk off, since in a squashed text of
200 letters every letter is "popular").

Thresholds (tested in tests/interchange/test_readers.py with near misses):
- CLEAR (0.90): the row is the statement, perhaps with a few words edited or damaged.
  The two most alike statements in the toolkit, 1.5 and 3.5, score 0.84 against each
  other, so a row that is one of them word for word never reaches 0.90 for the other.
- LOOSE (0.70): the row is probably the statement but its wording differs enough that an
  officer should look ("needs checking").
- MARGIN (0.08): the best statement must beat the next best by this much, or the row is
  close to two statements and needs checking.
Rows below LOOSE are not statements (headings, a council's own notes).

A row may hold only the first part of a statement when the statement runs over a page
break. `best` then also compares the row with the same length of each statement's
start ("prefix"), provided the part is at least MIN_PART of the statement; the caller
joins the next part and matches again.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

CLEAR = 0.90
LOOSE = 0.70
MARGIN = 0.08
MIN_PART = 0.25
CANDIDATES = 2


def squash(text: str) -> str:
    """Letters and digits only, case-folded: the form texts are compared in."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def _trigrams(text: str) -> set[str]:
    return {text[i : i + 3] for i in range(len(text) - 2)}


@dataclass(frozen=True)
class Match:
    ref: str
    similarity: float  # whole text against whole statement
    prefix: float  # text against the same length of the statement's start
    runner_up: float  # the best similarity among the other statements

    @property
    def score(self) -> float:
        return max(self.similarity, self.prefix)

    @property
    def is_clear(self) -> bool:
        return self.similarity >= CLEAR and self.similarity - self.runner_up >= MARGIN


class StatementMatcher:
    def __init__(self, statements: list[tuple[str, str]]) -> None:
        """statements: [(ref, text)]."""
        self._refs = [ref for ref, _ in statements]
        self._texts = [squash(text) for _, text in statements]
        self._grams = [_trigrams(text) for text in self._texts]
        self._known: dict[str, Match | None] = {}
        self._matchers = []
        for text in self._texts:
            matcher = SequenceMatcher(None, autojunk=False)
            matcher.set_seq2(text)
            self._matchers.append(matcher)

    def similarity(self, text: str, ref: str) -> float:
        return self._ratio(squash(text), self._refs.index(ref))

    def best(self, text: str) -> Match | None:
        """The statement the text is most like, or None when it is like none (below
        LOOSE as a whole and as a first part)."""
        squashed = squash(text)
        if squashed not in self._known:
            self._known[squashed] = self._best(squashed)
        return self._known[squashed]

    def _best(self, squashed: str) -> Match | None:
        if len(squashed) < 12:
            return None
        grams = _trigrams(squashed)
        if not grams:
            return None
        shared = sorted(
            ((len(grams & theirs) / len(grams), i) for i, theirs in enumerate(self._grams)),
            reverse=True,
        )
        scored = []
        for overlap, i in shared[:CANDIDATES]:
            if overlap < 0.3:
                break
            statement = self._texts[i]
            whole = self._ratio(squashed, i)
            prefix = 0.0
            if whole < CLEAR and MIN_PART * len(statement) <= len(squashed) < len(statement):
                start = statement[: len(squashed)]
                prefix = SequenceMatcher(None, squashed, start, autojunk=False).ratio()
            scored.append((max(whole, prefix), whole, prefix, i))
        if not scored:
            return None
        scored.sort(reverse=True)
        _, whole, prefix, i = scored[0]
        if max(whole, prefix) < LOOSE:
            return None
        runner_up = max((other[1] for other in scored[1:]), default=0.0)
        return Match(self._refs[i], whole, prefix, runner_up)

    def _ratio(self, squashed: str, index: int) -> float:
        matcher = self._matchers[index]
        matcher.set_seq1(squashed)
        return matcher.ratio()
