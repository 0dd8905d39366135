"""Reads for the forward plan: actions grouped by principle with overdue flags, the
gaps that have no action, and the suggested actions derived from the scores."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import dateformat

from selfassess.assessments.models import Assessment, Response
from selfassess.assessments.selectors import AssessmentView
from selfassess.core.dates import long_date
from selfassess.frameworks.models import Principle, ScaleLevel, Statement
from selfassess.frameworks.selectors import framework_parts

from .models import (
    PRIORITY_ORDER,
    Action,
    ActionStatus,
    DismissedSuggestion,
    PlanChange,
    Priority,
    ProgressUpdate,
    is_overdue,
    overdue_q,
)

# How much of the evidence a suggestion quotes, so that it fits an action's description.
EVIDENCE_QUOTE = 1500


def is_gap(score: int | None, levels) -> bool:
    """A statement scored below the top of its toolkit's scale (0 or 1 in the LGA's)."""
    return score is not None and score < levels[-1].value


@dataclass(frozen=True)
class Suggestion:
    statement: Statement
    response: Response
    title: str
    description: str
    priority: str


_PRIORITY_LABELS = dict(Priority.choices)
_STATUS_LABELS = dict(ActionStatus.choices)


@dataclass(slots=True)
class PlanAction:
    """An action as the plan lists it, read with values() rather than as a model object
    with a prefetched statement list: the plan page shows up to a hundred of them."""

    pk: int
    title: str
    lead: str
    target_date: datetime.date | None
    priority: str
    status: str
    refs: list[str]  # in toolkit order
    principle_id: int | None  # of its first statement

    def is_overdue(self, today: datetime.date) -> bool:
        return is_overdue(self.target_date, self.status, today)

    def get_priority_display(self) -> str:
        return _PRIORITY_LABELS.get(self.priority, self.priority)

    def get_status_display(self) -> str:
        return _STATUS_LABELS.get(self.status, self.status)


@dataclass
class ActionRow:
    action: Action | PlanAction
    refs: list[str]
    overdue: bool
    # What the plan's table shows, worked out once here rather than by template tags in
    # a loop of up to a hundred rows.
    url: str = ""
    refs_text: str = ""
    target_text: str = ""
    priority_label: str = ""
    status_label: str = ""


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


def plan_actions(assessment: Assessment) -> list[PlanAction]:
    """The assessment's actions in actions_for's order, each with its statement refs in
    toolkit order: two queries of plain values, the statements from framework_parts."""
    rows = list(
        Action.objects.filter(assessment=assessment)
        .order_by(F("target_date").asc(nulls_last=True), "id")
        .values_list("id", "title", "lead", "target_date", "priority", "status")
    )
    links = list(
        Action.statements.through.objects.filter(action__assessment=assessment).values_list(
            "action_id", "statement_id"
        )
    )
    statements = dict(framework_parts(assessment.framework).statements)
    unknown = {sid for _, sid in links} - statements.keys()
    if unknown:  # not expected: actions point at their assessment's toolkit
        statements |= {
            s.pk: s for s in Statement.objects.select_related("principle").filter(pk__in=unknown)
        }
    by_action: dict[int, list[Statement]] = {}
    for action_id, statement_id in links:
        by_action.setdefault(action_id, []).append(statements[statement_id])
    out = []
    for pk, title, lead, target_date, priority, status in rows:
        linked = sorted(by_action.get(pk, []), key=lambda s: (s.principle.number, s.position))
        out.append(
            PlanAction(
                pk=pk,
                title=title,
                lead=lead,
                target_date=target_date,
                priority=priority,
                status=status,
                refs=[s.ref for s in linked],
                principle_id=linked[0].principle_id if linked else None,
            )
        )
    return out


def _refs_and_principle(action: Action | PlanAction) -> tuple[list[str], int | None]:
    if isinstance(action, PlanAction):
        return action.refs, action.principle_id
    statements = list(action.statements.all())
    return [s.ref for s in statements], statements[0].principle_id if statements else None


def _month_names() -> dict[int, str]:
    """The "M" of a date format for each month, in the active language."""
    return {m: dateformat.format(datetime.date(2000, m, 1), "M") for m in range(1, 13)}


def _level(levels: list[ScaleLevel], score: int) -> ScaleLevel:
    return next(level for level in levels if level.value == score)


def suggest(response: Response, principle: Principle, levels: list[ScaleLevel]) -> Suggestion:
    """A draft action for a statement scored 0 or 1, naming the statement and the gap."""
    statement = response.statement
    level = _level(levels, response.score)
    top = levels[-1]
    lowest = response.score == levels[0].value
    if lowest:
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
        priority="high" if lowest else "medium",
    )


def suggestions(
    view: AssessmentView, covered_refs: set[str], dismissed: set[str]
) -> list[Suggestion]:
    return [
        suggest(r, p.principle, view.levels)
        for p in view.principles
        for r in p.responses
        if is_gap(r.score, view.levels)
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
    actions: list[Action] | list[PlanAction],
    *,
    today: datetime.date,
    status: str = "",
    priority: str = "",
    lead: str = "",
    action_url: Callable[[int], str] | None = None,
) -> PlanView:
    """Group `actions` (from plan_actions, or actions_for) under the principle of their
    first statement, filtered by status, priority and lead; count what is overdue on
    `today`. Each row carries the text its table cells show, and its link from
    `action_url(pk)` when given."""
    groups = {p.principle.pk: PrincipleActions(p.principle) for p in view.principles}
    covered: set[str] = set()
    by_status = {s.value: 0 for s in ActionStatus}
    overdue = shown = 0
    months = _month_names()
    for action in actions:
        refs, principle_pk = _refs_and_principle(action)
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
        if principle_pk in groups:
            target = action.target_date
            groups[principle_pk].rows.append(
                ActionRow(
                    action,
                    refs,
                    late,
                    url=action_url(action.pk) if action_url else "",
                    refs_text=", ".join(refs),
                    target_text=(
                        f"{target.day} {months[target.month]} {target.year:04d}" if target else ""
                    ),
                    priority_label=action.get_priority_display(),
                    status_label=action.get_status_display(),
                )
            )
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
        if is_gap(r.score, view.levels) and r.statement.ref not in covered
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


def covered_refs(actions: list[Action] | list[PlanAction]) -> set[str]:
    return {ref for a in actions for ref in _refs_and_principle(a)[0]}


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


def shown_value(field: str, value: str) -> str:
    """A value kept in the plan's history as the pages write it: "High", not "high";
    "In progress", not "in_progress"; "30 September 2024", not "2024-09-30". The history
    keeps what was stored; only its showing changes."""
    if field == PlanChange.Field.PRIORITY and value in Priority.values:
        return Priority(value).label
    if field == PlanChange.Field.ACTION_STATUS and value in ActionStatus.values:
        return ActionStatus(value).label
    if field == PlanChange.Field.TARGET_DATE:
        if not value:
            return "Not set"
        try:
            return long_date(datetime.date.fromisoformat(value))
        except ValueError:
            return value
    if field == PlanChange.Field.SUGGESTION:
        return value.capitalize()
    return value


def action_history(action: Action) -> list[PlanChange]:
    """The action's changes, newest first, each with `before_shown` and `after_shown`."""
    changes = list(action.changes.select_related("user").order_by("-at", "-id"))
    for change in changes:
        change.before_shown = shown_value(change.field, change.before)
        change.after_shown = shown_value(change.field, change.after)
    return changes


@dataclass(frozen=True)
class Delivery:
    actions: int
    complete: int
    overdue: int


def delivery_by_assessment(council, today: datetime.date) -> dict[int, Delivery]:
    """How each of the council's forward plans is being delivered, by assessment id:
    actions, complete, overdue on `today`. One query."""
    return {
        row["assessment_id"]: Delivery(row["n"], row["complete"], row["overdue"])
        for row in Action.objects.filter(assessment__council=council)
        .values("assessment_id")
        .annotate(
            n=Count("pk"),
            complete=Count("pk", filter=Q(status=ActionStatus.COMPLETE)),
            overdue=Count("pk", filter=overdue_q(today)),
        )
        .order_by()
    }
