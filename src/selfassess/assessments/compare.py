"""Comparing two assessments of one council, and the council's trend over time.

Statements are matched by reference id, principles by number, so assessments made
against different toolkit versions still compare where their statements agree."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, Sum

from selfassess.councils.models import Council
from selfassess.frameworks.models import Principle, ScaleLevel
from selfassess.plans.models import OPEN_STATUSES, Action, ActionStatus

from .models import Assessment, Response
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


@dataclass
class TrendRow:
    assessment: Assessment
    principle_totals: dict[int, int]
    overall: int
    unscored: int
    actions: int
    complete: int
    open_overdue: int


def trend(council: Council, today) -> list[TrendRow]:
    """Every assessment of the council, oldest first, with principle totals and how its
    forward plan is being delivered, in three queries whatever the number."""
    assessments = list(council.assessments.order_by("assessed_on", "pk"))
    totals: dict[int, dict[int, int]] = defaultdict(dict)
    unscored: dict[int, int] = defaultdict(int)
    for row in (
        Response.objects.filter(assessment__council=council)
        .values("assessment_id", "statement__principle__number")
        .annotate(total=Sum("score", default=0), unscored=Count("pk", filter=Q(score=None)))
    ):
        totals[row["assessment_id"]][row["statement__principle__number"]] = row["total"]
        unscored[row["assessment_id"]] += row["unscored"]
    plans = {
        row["assessment_id"]: row
        for row in Action.objects.filter(assessment__council=council)
        .values("assessment_id")
        .annotate(
            n=Count("pk"),
            complete=Count("pk", filter=Q(status=ActionStatus.COMPLETE)),
            overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, target_date__lt=today)),
        )
    }
    return [
        TrendRow(
            assessment=a,
            principle_totals=dict(sorted(totals[a.pk].items())),
            overall=sum(totals[a.pk].values()),
            unscored=unscored[a.pk],
            actions=plans.get(a.pk, {}).get("n", 0),
            complete=plans.get(a.pk, {}).get("complete", 0),
            open_overdue=plans.get(a.pk, {}).get("overdue", 0),
        )
        for a in assessments
    ]


def principle_scale(framework_id: int) -> tuple[list[Principle], int]:
    """A framework's principles and the most a principle can score."""
    principles = list(
        Principle.objects.filter(framework_id=framework_id)
        .annotate(statement_count=Count("statements"))
        .order_by("number")
    )
    top = ScaleLevel.objects.filter(framework_id=framework_id).aggregate(top=Max("value"))["top"]
    return principles, (top or 0) * max((p.statement_count for p in principles), default=0)
