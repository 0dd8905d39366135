"""Comparing two assessments of one council, and the council's trend over time.

Statements are matched by reference id, principles by number, so assessments made
against different toolkit versions still compare where their statements agree."""

from dataclasses import dataclass, field

from selfassess.frameworks.models import Framework, Principle, Statement
from selfassess.frameworks.selectors import framework_parts

from .models import Response
from .selectors import AssessmentView, Totals

IMPROVED, UNCHANGED, WORSE = "improved", "unchanged", "worse"
NOT_COMPARED, NEW, REMOVED = "not compared", "new", "removed"


@dataclass
class StatementChange:
    ref: str
    text: str
    before: Response | None
    after: Response | None

    @property
    def kind(self) -> str:
        if self.before is None:
            return NEW
        if self.after is None:
            return REMOVED
        if self.before.score is None or self.after.score is None:
            return NOT_COMPARED
        if self.after.score > self.before.score:
            return IMPROVED
        if self.after.score < self.before.score:
            return WORSE
        return UNCHANGED

    @property
    def label(self) -> str:
        def score(r):
            return "–" if r is None or r.score is None else str(r.score)

        return f"{score(self.before)} → {score(self.after)}, {self.kind}"


@dataclass
class PrincipleChange:
    number: int
    title: str
    before: Totals | None
    after: Totals | None
    statements: list[StatementChange] = field(default_factory=list)

    @property
    def delta(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after.total - self.before.total


@dataclass
class Comparison:
    earlier: AssessmentView
    later: AssessmentView
    principles: list[PrincipleChange]

    @property
    def statements(self) -> list[StatementChange]:
        return [s for p in self.principles for s in p.statements]

    @property
    def counts(self) -> dict[str, int]:
        out = {IMPROVED: 0, UNCHANGED: 0, WORSE: 0, NOT_COMPARED: 0, NEW: 0, REMOVED: 0}
        for s in self.statements:
            out[s.kind] += 1
        return out

    @property
    def overall_delta(self) -> int:
        return self.later.totals.total - self.earlier.totals.total

    def statement(self, ref: str) -> StatementChange | None:
        return next((s for s in self.statements if s.ref == ref), None)


def compare(earlier: AssessmentView, later: AssessmentView) -> Comparison:
    before = {p.principle.number: p for p in earlier.principles}
    after = {p.principle.number: p for p in later.principles}
    principles = []
    for number in sorted(before.keys() | after.keys()):
        b, a = before.get(number), after.get(number)
        b_resp = {r.statement.ref: r for r in (b.responses if b else [])}
        a_resp = {r.statement.ref: r for r in (a.responses if a else [])}
        refs = [r.statement.ref for r in (a.responses if a else [])]
        refs += [r for r in b_resp if r not in a_resp]
        principles.append(
            PrincipleChange(
                number=number,
                title=(a or b).principle.title,
                before=b.totals if b else None,
                after=a.totals if a else None,
                statements=[
                    StatementChange(
                        ref=ref,
                        text=(a_resp.get(ref) or b_resp[ref]).statement.text,
                        before=b_resp.get(ref),
                        after=a_resp.get(ref),
                    )
                    for ref in refs
                ],
            )
        )
    return Comparison(earlier=earlier, later=later, principles=principles)


def statement_changes(old: Framework, new: Framework) -> tuple[list[str], list[str]]:
    """Refs in `old` but not `new` (removed) and in `new` but not `old` (added)."""
    if old.pk == new.pk:
        return [], []
    old_refs = list(
        Statement.objects.filter(framework=old)
        .order_by("principle__number", "position")
        .values_list("ref", flat=True)
    )
    new_refs = list(
        Statement.objects.filter(framework=new)
        .order_by("principle__number", "position")
        .values_list("ref", flat=True)
    )
    return [r for r in old_refs if r not in new_refs], [r for r in new_refs if r not in old_refs]


def principle_scale(framework: Framework) -> tuple[list[Principle], int]:
    """A framework's principles and the most a principle can score."""
    parts = framework_parts(framework)
    return list(parts.principles), parts.principle_maximum
