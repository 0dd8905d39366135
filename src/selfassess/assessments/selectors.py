"""Reads for assessment pages. Each function fetches what a page needs in a fixed number
of queries, whatever the size of the data; totals are computed here, never stored."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from selfassess.councils.models import Council
from selfassess.frameworks.models import Framework, Principle, ScaleLevel, Statement
from selfassess.frameworks.selectors import FrameworkParts, framework_parts

from .models import Assessment, Change, Response, Status


class PrincipleStatus:
    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"


@dataclass
class Totals:
    """A sum of scores that knows how many statements are still unscored."""

    total: int = 0
    maximum: int = 0
    scored: int = 0
    unscored: int = 0
    counts: dict[int, int] = field(default_factory=dict)

    @property
    def statements(self) -> int:
        return self.scored + self.unscored


@dataclass
class PrincipleView:
    principle: Principle
    responses: list[Response]
    totals: Totals
    status: str

    @property
    def to_review(self) -> int:
        return sum(r.needs_review for r in self.responses)

    @property
    def needing_review(self) -> list[Response]:
        """Statements still marked "carried forward – review"."""
        return [r for r in self.responses if r.needs_review]

    @property
    def without_evidence(self) -> list[Response]:
        return [r for r in self.responses if r.scored_without_evidence]


@dataclass
class AssessmentView:
    assessment: Assessment
    levels: list[ScaleLevel]
    principles: list[PrincipleView]
    totals: Totals

    def principle(self, number: int) -> PrincipleView | None:
        return next((p for p in self.principles if p.principle.number == number), None)

    @property
    def to_review(self) -> int:
        return sum(p.to_review for p in self.principles)

    @property
    def needing_review(self) -> list[Response]:
        return [r for p in self.principles for r in p.needing_review]

    @property
    def without_evidence(self) -> list[Response]:
        return [r for p in self.principles for r in p.without_evidence]


def assessments_for_council(council: Council) -> QuerySet[Assessment]:
    return council.assessments.select_related("framework").order_by("-assessed_on", "-id")


def get_assessment(council: Council, pk: int, *, related: tuple[str, ...] = ()) -> Assessment:
    """The council's assessment or 404: another council's id is never found here. With
    its toolkit version, which every page reads; `related` names what else the page
    reads (each join costs every request that asks for it)."""
    assessment = get_object_or_404(
        Assessment.objects.select_related("framework", *related), council=council, pk=pk
    )
    assessment.council = council  # the caller's own: no query when a page reads it
    return assessment


def totals_of(scores: list[int | None], parts: FrameworkParts) -> Totals:
    scored = [s for s in scores if s is not None]
    counter = Counter(scored)
    return Totals(
        total=sum(scored),
        maximum=parts.maximum(len(scores)),
        scored=len(scored),
        unscored=len(scores) - len(scored),
        counts={v: counter.get(v, 0) for v in parts.values},
    )


def _status(responses: list[Response]) -> str:
    if all(r.score is not None for r in responses):
        return PrincipleStatus.COMPLETED
    if any(r.score is not None or r.evidence or r.links for r in responses):
        return PrincipleStatus.IN_PROGRESS
    return PrincipleStatus.NOT_STARTED


def _framework_of(assessment: Assessment) -> Framework:
    if not Assessment.framework.is_cached(assessment):
        # One query; pages pass assessments from get_assessment, with the framework.
        assessment.framework = Framework.objects.get(pk=assessment.framework_id)
    return assessment.framework


def assessment_view(assessment: Assessment) -> AssessmentView:
    """Every principle with its responses and totals: one query for the responses, the
    toolkit's own parts from framework_parts."""
    parts = framework_parts(_framework_of(assessment))
    levels = list(parts.levels)
    principles = list(parts.principles)
    statements = parts.statements
    order = {pk: i for i, pk in enumerate(statements)}
    responses = list(Response.objects.filter(assessment=assessment).order_by())
    if any(r.statement_id not in statements for r in responses):
        # Not expected (responses point at their assessment's toolkit), but never wrong.
        statements = statements | {
            s.pk: s
            for s in Statement.objects.select_related("principle").filter(
                pk__in={r.statement_id for r in responses} - statements.keys()
            )
        }
        order = {pk: (s.principle.number, s.position) for pk, s in statements.items()}
    responses.sort(key=lambda r: order[r.statement_id])
    by_principle: dict[int, list[Response]] = {p.pk: [] for p in principles}
    for response in responses:
        response.statement = statements[response.statement_id]
        by_principle.setdefault(response.statement.principle_id, []).append(response)
    views = [
        PrincipleView(
            principle=p,
            responses=by_principle[p.pk],
            totals=totals_of([r.score for r in by_principle[p.pk]], parts),
            status=_status(by_principle[p.pk]),
        )
        for p in principles
    ]
    return AssessmentView(
        assessment=assessment,
        levels=levels,
        principles=views,
        totals=totals_of([r.score for r in responses], parts),
    )


def shown_value(field: str, value: str, levels: list[ScaleLevel]) -> str:
    """A value kept in an assessment's history as the pages write it: a score as its
    level ("2: Comprehensive"), a status as "In progress" or "Complete", never the stored
    code. The history keeps what was stored; only its showing changes."""
    if field == Change.Field.SCORE:
        if not value:
            return "Unscored"
        level = next((lv for lv in levels if str(lv.value) == value), None)
        return f"{level.value}: {level.label}" if level else value
    if field == Change.Field.STATUS and value in Status.values:
        return Status(value).label
    if field == Change.Field.REVIEWED:
        return value.capitalize()
    return value


def statement_history(assessment: Assessment, ref: str) -> tuple[Statement, list[Change]]:
    """The statement and its changes, newest first, each with `before_shown` and
    `after_shown`."""
    response = get_object_or_404(
        Response.objects.select_related("statement__principle"),
        assessment=assessment,
        statement__ref=ref,
    )
    levels = list(framework_parts(_framework_of(assessment)).levels)
    changes = list(response.changes.select_related("user").order_by("-at", "-id"))
    for change in changes:
        change.before_shown = shown_value(change.field, change.before, levels)
        change.after_shown = shown_value(change.field, change.after, levels)
    return response.statement, changes


def _event_text(change: Change) -> str:
    if change.field == Change.Field.CREATED:
        return change.note or "Started"
    if change.before in Status.values and change.after in Status.values:
        moved = (
            f"Status changed from {Status(change.before).label} to {Status(change.after).label}"
        )
        return f"{moved}. {change.note}" if change.note else moved
    return change.note or change.get_field_display()


def assessment_history(assessment: Assessment) -> list[Change]:
    """Events of the assessment itself: created or imported, signed off, reopened,
    councillor feedback; each with `text`, the event in words."""
    changes = list(
        assessment.changes.filter(field__in=[Change.Field.STATUS, Change.Field.CREATED])
        .select_related("user")
        .order_by("-at", "-id")
    )
    for change in changes:
        change.text = _event_text(change)
    return changes


def assessment_list(council: Council) -> list[Assessment]:
    """The council's assessments with total, maximum and unscored count, in two queries."""
    assessments = list(
        assessments_for_council(council).annotate(
            total=Sum("responses__score", default=0),
            unscored=Count("responses", filter=Q(responses__score__isnull=True)),
            statements=Count("responses"),
        )
    )
    frameworks = {a.framework_id: a.framework for a in assessments}
    parts = {pk: framework_parts(f) for pk, f in frameworks.items()}
    for a in assessments:
        a.maximum = parts[a.framework_id].maximum(a.statements)
    return assessments


@dataclass
class LevelGroup:
    level: ScaleLevel | None
    responses: list[Response]


def statements_by_level(view: AssessmentView) -> list[LevelGroup]:
    """Statements grouped from the top level down (strengths first), then the unscored."""
    groups = [
        LevelGroup(
            level, [r for p in view.principles for r in p.responses if r.score == level.value]
        )
        for level in reversed(view.levels)
    ]
    unscored = [r for p in view.principles for r in p.responses if r.score is None]
    if unscored:
        groups.append(LevelGroup(None, unscored))
    return groups


def principle_totals_by_assessment(
    council: Council,
) -> dict[Assessment, tuple[dict[int, int], int]]:
    """Every assessment of the council, oldest first, with each principle's total (by
    principle number) and how many statements are unscored: two queries."""
    assessments = list(
        council.assessments.select_related("framework").order_by("assessed_on", "pk")
    )
    totals: dict[int, dict[int, int]] = defaultdict(dict)
    unscored: dict[int, int] = defaultdict(int)
    for row in (
        Response.objects.filter(assessment__council=council)
        .values("assessment_id", "statement__principle__number")
        .annotate(total=Sum("score", default=0), unscored=Count("pk", filter=Q(score=None)))
    ):
        totals[row["assessment_id"]][row["statement__principle__number"]] = row["total"]
        unscored[row["assessment_id"]] += row["unscored"]
    return {a: (dict(sorted(totals[a.pk].items())), unscored[a.pk]) for a in assessments}
