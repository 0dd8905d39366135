"""Reads for the forward plan: actions grouped by principle with overdue flags, the
gaps that have no action, the suggested actions derived from the scores and the toolkit's
guidance, and the suggestions dismissed."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.shortcuts import get_object_or_404
from django.utils import dateformat

from selfassess.assessments.models import Assessment, Response
from selfassess.assessments.selectors import AssessmentView
from selfassess.core.dates import long_date
from selfassess.frameworks.guidance import GENERAL_KEY, guided_actions
from selfassess.frameworks.models import Principle, ScaleLevel, Statement
from selfassess.frameworks.selectors import framework_parts

from .models import (
    OPEN_STATUSES,
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
    """A draft action for a statement scored below the top: one of the toolkit's
    suggested actions for that score, or, where the toolkit has none, a general one."""

    statement: Statement
    response: Response
    principle: Principle
    key: str  # unique within the statement (frameworks.guidance)
    title: str
    description: str
    lead: str
    partners: str
    priority: str
    guided: bool  # from the toolkit's guidance, not the general fallback

    @property
    def choice(self) -> str:
        """How a form names it: "2.1/key"."""
        return f"{self.statement.ref}/{self.key}"

    @property
    def html_id(self) -> str:
        """Unique on a page and safe as an HTML id: "2-1-key"."""
        return f"{self.statement.ref.replace('.', '-')}-{self.key}"


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
    dismissed: list[DismissedSuggestion]
    leads: list[str]

    @property
    def dismissed_refs(self) -> set[str]:
        """Statements with at least one suggestion dismissed."""
        return {d.statement.ref for d in self.dismissed}


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


def suggest(response: Response, principle: Principle, levels: list[ScaleLevel]) -> list[Suggestion]:
    """Draft actions for a statement scored below the top of the scale: the toolkit's
    suggested actions for that score (a 0 needs different first steps from a 1), or one
    general suggestion where the toolkit version has none."""
    statement = response.statement
    lowest = response.score == levels[0].value
    priority = "high" if lowest else "medium"
    guided = [a for a in guided_actions(statement) if response.score in a.scores]
    if guided:
        return [
            Suggestion(
                statement=statement,
                response=response,
                principle=principle,
                key=a.key,
                title=a.title,
                description=a.description,
                lead=a.lead,
                partners=a.partners,
                priority=priority,
                guided=True,
            )
            for a in guided
        ]
    return [_general(response, principle, levels, priority)]


def _general(
    response: Response, principle: Principle, levels: list[ScaleLevel], priority: str
) -> Suggestion:
    """The one suggestion for a statement its toolkit version gives no suggested actions:
    it says so, and sets out the gap, the statement and the evidence recorded."""
    statement = response.statement
    level = _level(levels, response.score)
    top = levels[-1]
    if response.score == levels[0].value:
        title = f"Decide what the council will put in place for statement {statement.ref}"
    else:
        title = f"Decide how the council will build on what it does for statement {statement.ref}"
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
        "This version of the toolkit has no suggested actions for the statement. Agree what "
        f"the council will do to reach {top.value}: {top.label}, who will lead it and by when."
    )
    return Suggestion(
        statement=statement,
        response=response,
        principle=principle,
        key=GENERAL_KEY,
        title=title,
        description="\n\n".join(parts),
        lead="",
        partners="",
        priority=priority,
        guided=False,
    )


def suggestions(
    view: AssessmentView, covered_refs: set[str], dismissed: set[tuple[str, str]]
) -> list[Suggestion]:
    """The suggestions still waiting for a decision, in toolkit order: for each statement
    scored below the top that no action covers, those not dismissed (by ref and key)."""
    return [
        s
        for p in view.principles
        for r in p.responses
        if is_gap(r.score, view.levels) and r.statement.ref not in covered_refs
        for s in suggest(r, p.principle, view.levels)
        if (s.statement.ref, s.key) not in dismissed
    ]


@dataclass
class StatementSuggestions:
    """A statement's suggestions, as the suggestions page lists them."""

    principle: Principle
    response: Response
    suggestions: list[Suggestion]


def by_statement(suggestions: list[Suggestion]) -> list[StatementSuggestions]:
    groups: list[StatementSuggestions] = []
    for s in suggestions:
        if not groups or groups[-1].response.pk != s.response.pk:
            groups.append(StatementSuggestions(s.principle, s.response, []))
        groups[-1].suggestions.append(s)
    return groups


def find_suggestion(view: AssessmentView, ref: str, key: str) -> Suggestion | None:
    """The statement's suggestion with this key for its score today, decided or not."""
    for p in view.principles:
        for r in p.responses:
            if r.statement.ref == ref and is_gap(r.score, view.levels):
                return next((s for s in suggest(r, p.principle, view.levels) if s.key == key), None)
    return None


def dismissed_suggestions(assessment: Assessment) -> list[DismissedSuggestion]:
    """The suggestions dismissed, with their reasons, in toolkit order: one query."""
    return list(
        DismissedSuggestion.objects.filter(assessment=assessment)
        .select_related("statement__principle", "user")
        .order_by("statement__principle__number", "statement__position", "at", "id")
    )


def dismissed_keys(dismissed: list[DismissedSuggestion]) -> set[tuple[str, str]]:
    return {(d.statement.ref, d.key) for d in dismissed}


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
        dismissed=dismissed_suggestions(view.assessment),
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
        ).select_related("created_by", "owner"),
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


def latest_progress(assessment: Assessment) -> dict[int, ProgressUpdate]:
    """Each action's latest progress update (latest date, then latest written), by
    action id, for the actions that have one. One query."""
    latest = (
        ProgressUpdate.objects.filter(action=OuterRef("action"))
        .order_by("-on", "-id")
        .values("pk")[:1]
    )
    return {
        u.action_id: u
        for u in ProgressUpdate.objects.filter(action__assessment=assessment, pk=Subquery(latest))
    }


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


def owned_actions(user, today: datetime.date) -> list[Action]:
    """The open actions a person owns, in councils they still belong to, soonest first
    (no date last): one query."""
    return list(
        Action.objects.filter(
            owner=user,
            status__in=OPEN_STATUSES,
            assessment__council__memberships__user=user,
        )
        .select_related("assessment__council")
        .order_by(F("target_date").asc(nulls_last=True), "pk")
    )
