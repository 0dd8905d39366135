"""The annual cycle: start a new assessment from an earlier one of the same council.

Scores, evidence and links are copied by statement reference and flagged for review;
open forward plan actions continue in the new assessment, linked to the action they
carry on (whose history stays where it was written); completed and deferred actions
stay with the old assessment. If the toolkit has a newer version, the new assessment
uses it, and statements that were removed or added are reported.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from selfassess.accounts.models import User
from selfassess.frameworks.models import Framework, Statement
from selfassess.frameworks.selectors import current_framework
from selfassess.plans.models import OPEN_STATUSES, Action

from .compare import statement_changes
from .models import Assessment, Change, Response


@dataclass
class CarryResult:
    assessment: Assessment
    carried: list[str] = field(default_factory=list)
    removed_refs: list[str] = field(default_factory=list)
    new_refs: list[str] = field(default_factory=list)
    actions_carried: int = 0
    actions_left: list[str] = field(default_factory=list)


@transaction.atomic
def start_from(
    *,
    previous: Assessment,
    user: User | None,
    title: str,
    assessed_on: datetime.date,
    framework: Framework | None = None,
) -> CarryResult:
    framework = framework or current_framework(previous.framework.slug) or previous.framework
    now = timezone.now()
    assessment = Assessment.objects.create(
        council=previous.council,
        framework=framework,
        title=title.strip(),
        assessed_on=assessed_on,
        previous=previous,
        created_by=user,
    )
    old = {
        r.statement.ref: r
        for r in Response.objects.filter(assessment=previous).select_related("statement")
    }
    statements = list(Statement.objects.filter(framework=framework))
    result = CarryResult(assessment=assessment)
    result.removed_refs, result.new_refs = statement_changes(previous.framework, framework)
    responses = []
    for statement in statements:
        before = old.get(statement.ref)
        carries = before is not None and (
            before.score is not None or before.evidence or before.links
        )
        responses.append(
            Response(
                assessment=assessment,
                statement=statement,
                score=before.score if carries else None,
                evidence=before.evidence if carries else "",
                links=list(before.links) if carries else [],
                needs_review=carries,
                updated_by=user if carries else None,
                updated_at=now if carries else None,
            )
        )
        if carries:
            result.carried.append(statement.ref)
    Response.objects.bulk_create(responses)
    Change.objects.create(
        assessment=assessment,
        field=Change.Field.CREATED,
        after=assessment.title,
        note=f"Started from “{previous.title}”"[:300],
        user=user,
        at=now,
    )
    _carry_actions(previous, assessment, framework, user, now, result)
    return result


def _carry_actions(previous, assessment, framework, user, now, result: CarryResult) -> None:
    by_ref = {s.ref: s for s in Statement.objects.filter(framework=framework)}
    history = []
    for action in (
        Action.objects.filter(assessment=previous, status__in=OPEN_STATUSES)
        .prefetch_related("statements")
        .order_by("pk")
    ):
        refs = [s.ref for s in action.statements.all()]
        kept = [by_ref[r] for r in refs if r in by_ref]
        if not kept:
            result.actions_left.append(action.title)
            continue
        copy = Action.objects.create(
            assessment=assessment,
            title=action.title,
            description=action.description,
            lead=action.lead,
            partners=action.partners,
            target_date=action.target_date,
            priority=action.priority,
            status=action.status,
            carried_from=action,
            created_by=user,
        )
        copy.statements.set(kept)
        result.actions_carried += 1
        for target, at_assessment, note in (
            (copy, assessment, f"Carried forward from “{previous.title}”"),
            (action, previous, f"Carried forward to “{assessment.title}”"),
        ):
            history.append(
                Change(
                    assessment=at_assessment,
                    action=target,
                    field=Change.Field.CARRIED,
                    after=copy.title,
                    note=note[:300],
                    user=user,
                    at=now,
                )
            )
    Change.objects.bulk_create(history)
