"""Writes for the forward plan, each in one transaction and each recorded in the plan's
history (PlanChange): who, when, before, after."""

import datetime
from dataclasses import dataclass, fields, replace
from dataclasses import field as dataclass_field

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from selfassess.accounts.models import User
from selfassess.assessments.models import Assessment
from selfassess.background.services import Message, queue_emails
from selfassess.core.dates import long_date
from selfassess.frameworks.models import Statement

from .models import (
    OPEN_STATUSES,
    Action,
    ActionStatus,
    DismissedSuggestion,
    PlanChange,
    Priority,
    ProgressUpdate,
)


class PlanError(ValueError):
    """A plan change that breaks a rule; the message says which, for the user."""


class ActionConflict(Exception):
    """The action changed since the form was opened; nothing was saved."""

    def __init__(self, current: Action):
        self.current = current
        super().__init__(f"Action {current.pk} changed")


@dataclass(frozen=True)
class ActionInput:
    title: str
    description: str
    lead: str
    partners: str
    target_date: datetime.date | None
    priority: str
    status: str
    refs: list[str]
    # A member of the council who owns the action in the product (None: nobody).
    owner_id: int | None = None


TRACKED = {
    "title": PlanChange.Field.TITLE,
    "description": PlanChange.Field.DESCRIPTION,
    "lead": PlanChange.Field.LEAD,
    "partners": PlanChange.Field.PARTNERS,
    "target_date": PlanChange.Field.TARGET_DATE,
    "priority": PlanChange.Field.PRIORITY,
    "status": PlanChange.Field.ACTION_STATUS,
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _statements(assessment: Assessment, refs: list[str]) -> list[Statement]:
    if not refs:
        raise PlanError("Select at least one statement the action covers")
    found = {
        s.ref: s
        for s in Statement.objects.filter(framework_id=assessment.framework_id, ref__in=refs)
    }
    unknown = [r for r in refs if r not in found]
    if unknown:
        raise PlanError(f"Statement {', '.join(unknown)} is not part of this assessment’s toolkit")
    return [found[r] for r in dict.fromkeys(refs)]


LIMITS = {"title": 200, "description": 5000, "lead": 200, "partners": 300}


def _clean(data: ActionInput) -> ActionInput:
    """Trimmed text, checked against the same limits as the form and the import."""
    data = replace(
        data,
        title=data.title.strip(),
        description=data.description.strip(),
        lead=data.lead.strip(),
        partners=data.partners.strip(),
    )
    _check(data)
    return data


def _check_owner(assessment: Assessment, owner_id: int | None) -> User | None:
    if owner_id is None:
        return None
    owner = User.objects.filter(
        pk=owner_id, memberships__council_id=assessment.council_id
    ).first()
    if owner is None:
        raise PlanError("Choose an owner who belongs to the council, or nobody")
    return owner


def _person(user: User | None) -> str:
    return user.display_name if user else ""


def _check(data: ActionInput) -> None:
    if not data.title:
        raise PlanError("Enter a title for the action")
    for name, limit in LIMITS.items():
        if len(getattr(data, name)) > limit:
            raise PlanError(f"The action’s {name} must be {limit:,} characters or fewer")
    if data.priority not in Priority.values:
        raise PlanError("Select a priority: high, medium or low")
    if data.status not in ActionStatus.values:
        raise PlanError("Select a status")


def _change(assessment, action, user, field, before="", after="", note="", at=None) -> PlanChange:
    """The one place a plan history row is built; the caller saves it, alone or in bulk."""
    return PlanChange(
        assessment=assessment,
        action=action,
        field=field,
        before=before,
        after=after,
        note=note[:300],
        user=user,
        at=at or timezone.now(),
    )


@transaction.atomic
def create_action(*, assessment: Assessment, user: User | None, data: ActionInput) -> Action:
    data = _clean(data)
    statements = _statements(assessment, data.refs)
    _check_owner(assessment, data.owner_id)
    values = {f.name: getattr(data, f.name) for f in fields(data) if f.name != "refs"}
    action = Action.objects.create(assessment=assessment, created_by=user, **values)
    action.statements.set(statements)
    _change(
        assessment,
        action,
        user,
        PlanChange.Field.ACTION_CREATED,
        after=action.title,
        note=f"Covers {', '.join(s.ref for s in statements)}",
    ).save()
    return action


@transaction.atomic
def update_action(
    *, action: Action, user: User | None, data: ActionInput, seen_version: int
) -> Action:
    data = _clean(data)
    locked = _lock_action(action)
    statements = _statements(locked.assessment, data.refs)
    if locked.version != seen_version:
        raise ActionConflict(locked)
    now = timezone.now()
    history = []
    if locked.owner_id != data.owner_id:
        new_owner = _check_owner(locked.assessment, data.owner_id)
        history.append(
            _change(
                locked.assessment,
                locked,
                user,
                PlanChange.Field.OWNER,
                _person(locked.owner),
                _person(new_owner),
                at=now,
            )
        )
        locked.owner = new_owner
    for name, field in TRACKED.items():
        new = getattr(data, name)
        old = getattr(locked, name)
        if _text(old) != _text(new):
            history.append(
                _change(locked.assessment, locked, user, field, _text(old), _text(new), at=now)
            )
            setattr(locked, name, new)
    old_refs = [s.ref for s in locked.statements.order_by("principle__number", "position")]
    new_refs = [s.ref for s in statements]
    if sorted(old_refs) != sorted(new_refs):
        locked.statements.set(statements)
        history.append(
            _change(
                locked.assessment,
                locked,
                user,
                PlanChange.Field.STATEMENTS,
                ", ".join(old_refs),
                ", ".join(sorted(new_refs)),
                at=now,
            )
        )
    if history:
        locked.version += 1
        locked.save()
        PlanChange.objects.bulk_create(history)
    return locked


def _lock_action(action: Action) -> Action:
    locked = Action.objects.select_for_update().filter(pk=action.pk).first()
    if locked is None:
        raise PlanError("Someone else deleted this action meanwhile; nothing was saved")
    return locked


@transaction.atomic
def delete_action(*, action: Action, user: User | None) -> None:
    locked = _lock_action(action)
    refs = ", ".join(s.ref for s in locked.statements.order_by("principle__number", "position"))
    _change(
        locked.assessment,
        None,
        user,
        PlanChange.Field.ACTION_DELETED,
        before=locked.title,
        note=f"Deleted action covering {refs}",
    ).save()
    locked.delete()


@transaction.atomic
def add_progress(
    *, action: Action, user: User | None, on: datetime.date, text: str
) -> ProgressUpdate:
    text = text.strip()
    if not text:
        raise PlanError("Enter the progress update")
    action = _lock_action(action)
    update = ProgressUpdate.objects.create(action=action, on=on, text=text, user=user)
    _change(
        action.assessment,
        action,
        user,
        PlanChange.Field.PROGRESS,
        after=text,
        note=f"Progress on {long_date(on)}",
    ).save()
    return update


REASON_LIMIT = 1000


@dataclass(frozen=True)
class SuggestedAction:
    """A suggestion an editor chose to add: its statement, its key, and the action."""

    ref: str
    key: str
    data: ActionInput


def _lock_assessment(assessment: Assessment) -> None:
    """Lock the assessment, so two decisions on the same suggestions queue."""
    Assessment.objects.select_for_update().get(pk=assessment.pk)


def _covered(assessment: Assessment, statements: list[Statement]) -> set[str]:
    return set(
        Action.objects.filter(assessment=assessment, statements__in=statements).values_list(
            "statements__ref", flat=True
        )
    ) & {s.ref for s in statements}


def _dismissed(assessment: Assessment, ref: str, key: str) -> bool:
    return DismissedSuggestion.objects.filter(
        assessment=assessment, statement__ref=ref, key=key
    ).exists()


@transaction.atomic
def accept_suggestions(
    *, assessment: Assessment, user: User | None, chosen: list[SuggestedAction]
) -> list[Action]:
    """Add the chosen suggestions to the plan as actions, all or none: none is added if
    any of their statements has gained an action, or any was dismissed, since the editor
    chose (the message says which)."""
    if not chosen:
        raise PlanError("Select at least one suggested action to add")
    _lock_assessment(assessment)
    statements = _statements(assessment, [c.ref for c in chosen])
    covered = _covered(assessment, statements)
    problems = [f"statement {ref} already has an action in the plan" for ref in sorted(covered)]
    problems += [
        f"“{c.data.title}” has been dismissed"
        for c in chosen
        if _dismissed(assessment, c.ref, c.key)
    ]
    if problems:
        raise PlanError(
            "Nothing was added: someone changed the plan meanwhile ("
            + "; ".join(problems)
            + "). Choose again from the suggestions that are left"
        )
    return [create_action(assessment=assessment, user=user, data=c.data) for c in chosen]


@transaction.atomic
def dismiss_suggestion(
    *, assessment: Assessment, user: User | None, ref: str, key: str, title: str, reason: str
) -> DismissedSuggestion:
    """Record that a suggestion is not for this plan, and why if the editor said."""
    reason = reason.replace("\r\n", "\n").strip()
    if len(reason) > REASON_LIMIT:
        raise PlanError(f"The reason must be {REASON_LIMIT:,} characters or fewer")
    title = title.strip()
    if not key or not title:
        raise PlanError("Choose a suggestion to dismiss")
    _lock_assessment(assessment)
    (statement,) = _statements(assessment, [ref])
    if _covered(assessment, [statement]):
        raise PlanError(f"Statement {ref} already has an action in the plan")
    if _dismissed(assessment, ref, key):
        raise PlanError(f"“{title}” has already been dismissed")
    dismissed = DismissedSuggestion.objects.create(
        assessment=assessment, statement=statement, key=key, title=title, reason=reason, user=user
    )
    _change(
        assessment,
        None,
        user,
        PlanChange.Field.SUGGESTION,
        after=_dismissal_text(reason),
        note=f"Dismissed “{title}” for statement {ref}",
    ).save()
    return dismissed


def _dismissal_text(reason: str) -> str:
    return f"Dismissed. Reason: {reason}" if reason else "Dismissed, no reason given"


@transaction.atomic
def restore_suggestion(*, assessment: Assessment, user: User | None, ref: str, key: str) -> bool:
    """Put a dismissed suggestion back among those waiting for a decision; False if it
    was not dismissed (someone restored it meanwhile)."""
    found = (
        DismissedSuggestion.objects.select_for_update()
        .filter(assessment=assessment, statement__ref=ref, key=key)
        .first()
    )
    if found is None:
        return False
    found.delete()
    _change(
        assessment,
        None,
        user,
        PlanChange.Field.SUGGESTION,
        before=_dismissal_text(found.reason),
        after="Restored",
        note=f"Restored “{found.title}” for statement {ref}",
    ).save()
    return True


@dataclass
class Carried:
    actions: int = 0
    left: list[str] = dataclass_field(default_factory=list)


@transaction.atomic
def carry_open_actions(*, previous: Assessment, new: Assessment, user: User | None) -> Carried:
    """The annual cycle: open actions of `previous` continue in `new` as new actions
    linked by `carried_from` (the old plan, and its history, stay as they were), covering
    the statements that are still in the new toolkit; an action none of whose statements
    is left stays behind, and its title is reported."""
    by_ref = {s.ref: s for s in Statement.objects.filter(framework_id=new.framework_id)}
    now = timezone.now()
    result = Carried()
    history = []
    for action in (
        Action.objects.filter(assessment=previous, status__in=OPEN_STATUSES)
        .prefetch_related("statements")
        .order_by("pk")
    ):
        kept = [by_ref[s.ref] for s in action.statements.all() if s.ref in by_ref]
        if not kept:
            result.left.append(action.title)
            continue
        copy = Action.objects.create(
            assessment=new,
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
        result.actions += 1
        history += [
            _change(
                new,
                copy,
                user,
                PlanChange.Field.CARRIED,
                after=copy.title,
                note=f"Carried forward from “{previous.title}”",
                at=now,
            ),
            _change(
                previous,
                action,
                user,
                PlanChange.Field.CARRIED,
                after=copy.title,
                note=f"Carried forward to “{new.title}”",
                at=now,
            ),
        ]
    PlanChange.objects.bulk_create(history)
    return result


DIGEST_DAYS = 14


def send_digests(today: datetime.date | None = None) -> int:
    """The weekly digest: to each person who owns open actions due in the next
    DIGEST_DAYS days or overdue, across every council they belong to, one email (once a
    week: the week is in its dedupe key); nobody who switched reminders off. How many."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=DIGEST_DAYS)
    actions = (
        Action.objects.filter(
            owner__isnull=False,
            owner__reminders_by_email=True,
            owner__is_active=True,
            status__in=OPEN_STATUSES,
            target_date__lte=horizon,
            # Only while the owner still belongs to the action's council.
            owner__memberships__council=F("assessment__council"),
        )
        .select_related("owner", "assessment__council")
        .order_by("owner_id", "target_date", "pk")
    )
    by_owner: dict[int, list[Action]] = {}
    for action in actions:
        by_owner.setdefault(action.owner_id, []).append(action)
    year, week, _ = today.isocalendar()
    messages = []
    for owned in by_owner.values():
        owner = owned[0].owner
        context = {
            "owner": owner,
            "overdue": [a for a in owned if a.is_overdue(today)],
            "due": [a for a in owned if not a.is_overdue(today)],
            "days": DIGEST_DAYS,
            "site": settings.SITE_URL,
            "settings_url": settings.SITE_URL + reverse("workspace:account") + "#emails",
            "work_url": settings.SITE_URL + reverse("workspace:your_work"),
        }
        messages.append(
            Message(
                to=owner.email,
                subject=f"{settings.PRODUCT_NAME}: your actions due and overdue",
                body=render_to_string("plans/email_digest.txt", context),
                purpose="Weekly digest of actions",
                topic="digest",
                dedupe_key=f"digest:{owner.pk}:{year}-{week}",
            )
        )
    return len(queue_emails(messages))
