"""Reads for the forward plan: actions grouped by principle with overdue flags, the
gaps that have no action, and the suggested actions derived from the scores."""

import datetime
from dataclasses import dataclass, field

from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404

from selfassess.assessments.models import Assessment, Change, Response
from selfassess.assessments.selectors import AssessmentView
from selfassess.frameworks.models import Principle, ScaleLevel, Statement

from .models import PRIORITY_ORDER, Action, ActionStatus, DismissedSuggestion, ProgressUpdate

GAP_SCORES = (0, 1)
# How much of the evidence a suggestion quotes, so that it fits an action's description.
EVIDENCE_QUOTE = 1500


@dataclass(frozen=True)
class Suggestion:
    statement: Statement
    response: Response
    title: str
    description: str
    priority: str


@dataclass
class ActionRow:
    action: Action
    refs: list[str]
    overdue: bool


@dataclass
class PrincipleActions:
    principle: Principle
    rows: list[ActionRow] = field(default_factory=list)


@dataclass
class PlanView:
    groups: list[PrincipleActions]
    total: int
    shown: int
    overdue: int
    by_status: dict[str, int]
    gaps_without_action: list[Response]
    dismissed_refs: set[str]
    leads: list[str]


def actions_for(assessment: Assessment):
    return (
        Action.objects.filter(assessment=assessment)
        .prefetch_related(
            Prefetch(
                "statements",
                queryset=Statement.objects.select_related("principle").order_by(
                    "principle__number", "position"
                ),
            )
        )
        .order_by(F("target_date").asc(nulls_last=True), "id")
    )


def _level(levels: list[ScaleLevel], score: int) -> ScaleLevel:
    return next(level for level in levels if level.value == score)


def suggest(response: Response, principle: Principle, levels: list[ScaleLevel]) -> Suggestion:
    """A draft action for a statement scored 0 or 1, naming the statement and the gap."""
    statement = response.statement
    level = _level(levels, response.score)
    top = levels[-1]
    if response.score == 0:
        title = f"Put arrangements in place for statement {statement.ref}"
    else:
        title = f"Strengthen arrangements for statement {statement.ref}"
    parts = [
        f"Statement {statement.ref} ({principle.title}) is scored {level.value}: {level.label}. "
        f"{level.definition}",
        f"The statement: “{statement.text}”",
    ]
    if response.evidence:
        evidence = response.evidence
        if len(evidence) > EVIDENCE_QUOTE:
            evidence = evidence[:EVIDENCE_QUOTE].rstrip() + "…"
        parts.append(f"Evidence recorded: “{evidence}”")
    parts.append(
        f"Agree what the council will do to reach {top.value}: {top.label}, "
        "who will lead it and by when."
    )
    return Suggestion(
        statement=statement,
        response=response,
        title=title,
        description="\n\n".join(parts),
        priority="high" if response.score == 0 else "medium",
    )


def suggestions(
    view: AssessmentView, covered_refs: set[str], dismissed: set[str]
) -> list[Suggestion]:
    return [
        suggest(r, p.principle, view.levels)
        for p in view.principles
        for r in p.responses
        if r.score in GAP_SCORES
        and r.statement.ref not in covered_refs
        and r.statement.ref not in dismissed
    ]


def dismissed_refs(assessment: Assessment) -> set[str]:
    return set(
        DismissedSuggestion.objects.filter(assessment=assessment).values_list(
            "statement__ref", flat=True
        )
    )


def plan_view(
    view: AssessmentView,
    actions: list[Action],
    *,
    today: datetime.date,
    status: str = "",
    priority: str = "",
    lead: str = "",
) -> PlanView:
    """Group `actions` (from actions_for) under the principle of their first statement,
    filtered by status, priority and lead; count what is overdue on `today`."""
    groups = {p.principle.pk: PrincipleActions(p.principle) for p in view.principles}
    covered: set[str] = set()
    by_status = {s.value: 0 for s in ActionStatus}
    overdue = shown = 0
    for action in actions:
        statements = list(action.statements.all())
        refs = [s.ref for s in statements]
        covered.update(refs)
        by_status[action.status] += 1
        late = action.is_overdue(today)
        overdue += late
        if status == "overdue":
            if not late:
                continue
        elif status and action.status != status:
            continue
        if priority and action.priority != priority:
            continue
        if lead and action.lead != lead:
            continue
        shown += 1
        principle_pk = statements[0].principle_id if statements else None
        if principle_pk in groups:
            groups[principle_pk].rows.append(ActionRow(action, refs, late))
    for group in groups.values():
        group.rows.sort(
            key=lambda r: (
                not r.overdue,
                PRIORITY_ORDER[r.action.priority],
                r.action.target_date or datetime.date.max,
                r.action.pk,
            )
        )
    gaps = [
        r
        for p in view.principles
        for r in p.responses
        if r.score in GAP_SCORES and r.statement.ref not in covered
    ]
    return PlanView(
        groups=list(groups.values()),
        total=len(actions),
        shown=shown,
        overdue=overdue,
        by_status=by_status,
        gaps_without_action=gaps,
        dismissed_refs=dismissed_refs(view.assessment),
        leads=sorted({a.lead for a in actions if a.lead}, key=str.lower),
    )


def covered_refs(actions: list[Action]) -> set[str]:
    return {s.ref for a in actions for s in a.statements.all()}


def action_detail(assessment: Assessment, pk: int) -> Action:
    return get_object_or_404(
        Action.objects.prefetch_related(
            Prefetch(
                "statements", queryset=Statement.objects.order_by("principle__number", "position")
            ),
            Prefetch("updates", queryset=ProgressUpdate.objects.select_related("user")),
        ).select_related("created_by"),
        assessment=assessment,
        pk=pk,
    )


def action_history(action: Action) -> list[Change]:
    return list(action.changes.select_related("user").order_by("-at", "-id"))
