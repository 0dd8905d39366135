"""Writes for assessments: one function per use case, each in one transaction.

Views call these with clean, typed values; every rule that protects the data is checked
here (and again by database constraints), so the management commands and the web pages
obey the same rules.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from selfassess.accounts.models import User
from selfassess.audit import services as audit
from selfassess.audit.models import Action as AuditAction
from selfassess.background.services import Message, queue_emails
from selfassess.core.dates import long_date
from selfassess.councils.models import Council
from selfassess.frameworks.models import Framework
from selfassess.frameworks.selectors import current_framework, framework_parts

from .models import Assessment, Change, Response, Status


class AssessmentLocked(Exception):
    """The assessment is complete and read-only until an admin reopens it."""


class NotReadyToSignOff(Exception):
    def __init__(self, unscored: int, to_review: int = 0):
        self.unscored = unscored
        self.to_review = to_review
        super().__init__(f"{unscored} statements are unscored, {to_review} need review")


class SignOffDateWrong(ValueError):
    """The date an assessment was agreed is before it was made, or not yet come."""


def check_agreed_on(
    *, assessed_on: datetime.date, agreed_on: datetime.date, today: datetime.date
) -> None:
    """A committee agrees an assessment on or after the date of the assessment, and not
    in the future."""
    if agreed_on < assessed_on:
        raise SignOffDateWrong(
            "The date it was agreed must be the same as or after the date of the "
            f"assessment, {long_date(assessed_on)}"
        )
    if agreed_on > today:
        raise SignOffDateWrong("The date it was agreed must be today or in the past")


def values_digest(score: int | None, evidence: str, links: list[str]) -> str:
    """A fingerprint of a statement's values, carried by the form it was shown in."""
    canonical = json.dumps([score, evidence, list(links)], ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ResponseInput:
    """What a user sends for one statement. `seen_version` and `seen_digest` describe the
    saved values the user's page showed, so that a stale copy the user never touched is
    not written back over a colleague's newer save."""

    ref: str
    score: int | None
    evidence: str
    links: list[str]
    seen_version: int | None = None
    seen_digest: str | None = None
    # The user confirmed a carried-forward statement is still right as it stands.
    confirmed: bool = False

    @property
    def touched(self) -> bool:
        """Did the user change this statement from what their page showed?"""
        if self.seen_digest is None:
            return True
        return values_digest(self.score, self.evidence, self.links) != self.seen_digest

    def is_stale(self, response: Response) -> bool:
        return self.seen_version is not None and self.seen_version != response.version


@dataclass(frozen=True)
class ConflictInfo:
    ref: str
    current: Response


class EditConflict(Exception):
    """Someone saved these statements after the form was opened; nothing was saved."""

    def __init__(self, conflicts: list[ConflictInfo]):
        self.conflicts = conflicts
        super().__init__(", ".join(c.ref for c in conflicts))


def _score_text(score: int | None) -> str:
    return "" if score is None else str(score)


def _change(
    *, assessment, field, user, before="", after="", response=None, note="", at=None
) -> Change:
    """The one place a history row is built; the caller saves it, alone or in bulk."""
    return Change(
        assessment=assessment,
        response=response,
        field=field,
        before=before,
        after=after,
        note=note[:300],
        user=user,
        at=at or timezone.now(),
    )


def record_event(*, assessment: Assessment, user: User | None, after: str, note: str) -> Change:
    """An event in the assessment's own history, shown on its task list (for example
    councillor feedback opened or closed)."""
    change = _change(
        assessment=assessment, field=Change.Field.STATUS, user=user, after=after, note=note
    )
    change.save()
    return change


@dataclass(frozen=True)
class Values:
    """A statement's score, evidence and links, as a new assessment starts with them."""

    score: int | None
    evidence: str = ""
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class SignOff:
    agreed_by: str
    agreed_on: datetime.date


class OffTheScale(ValueError):
    """A score the assessment's toolkit does not have."""


def check_scores(framework: Framework, scores: dict[str, int | None]) -> None:
    """Every score must be one of the toolkit's scale values (0, 1, 2 in the LGA's): the
    scale is data in the toolkit, and this is where it is enforced."""
    allowed = framework_parts(framework).values
    wrong = {ref: s for ref, s in scores.items() if s is not None and s not in allowed}
    if wrong:
        raise OffTheScale(
            ", ".join(f"{ref}: {s}" for ref, s in wrong.items())
            + f" is not on the toolkit's scale ({', '.join(map(str, allowed))})"
        )


@transaction.atomic
def create_assessment(
    *,
    council: Council,
    user: User | None,
    title: str,
    assessed_on: datetime.date,
    framework: Framework | None = None,
    previous: Assessment | None = None,
    values: dict[str, Values] | None = None,
    note: str = "",
    sign_off: SignOff | None = None,
) -> Assessment:
    """The one way an assessment comes into being, with one response per statement of
    its toolkit and a "created" entry in its history.

    - blank: the newest toolkit, every statement unscored;
    - from `previous` (the annual cycle): the newest version of the previous one's
      toolkit; scores, evidence and links copied by statement ref and flagged for review
      until someone confirms or changes each;
    - with `values` (an import): those values by ref, as given; `sign_off` makes it
      complete (every statement must then be scored).
    """
    if framework is None and previous is not None:
        framework = current_framework(previous.framework.slug) or previous.framework
    framework = framework or current_framework()
    if framework is None:
        raise ValueError("No toolkit is loaded: run manage.py load_framework first")
    carry = values is None and previous is not None
    if carry:
        values = {
            r.statement.ref: Values(r.score, r.evidence, tuple(r.links))
            for r in Response.objects.filter(assessment=previous).select_related("statement")
            if r.score is not None or r.evidence or r.links
        }
    values = values or {}
    check_scores(framework, {ref: v.score for ref, v in values.items()})
    statements = list(framework_parts(framework).statements.values())
    if sign_off is not None:
        unscored = sum(s.ref not in values or values[s.ref].score is None for s in statements)
        if unscored:
            raise NotReadyToSignOff(unscored)
    now = timezone.now()
    assessment = Assessment.objects.create(
        council=council,
        framework=framework,
        title=title.strip(),
        assessed_on=assessed_on,
        previous=previous,
        created_by=user,
        status=Status.COMPLETE if sign_off else Status.DRAFT,
        agreed_by=sign_off.agreed_by.strip() if sign_off else "",
        agreed_on=sign_off.agreed_on if sign_off else None,
        signed_off_at=now if sign_off else None,
    )
    Response.objects.bulk_create(
        Response(
            assessment=assessment,
            statement=s,
            score=values[s.ref].score if s.ref in values else None,
            evidence=values[s.ref].evidence if s.ref in values else "",
            links=list(values[s.ref].links) if s.ref in values else [],
            needs_review=carry and s.ref in values,
            updated_by=user if s.ref in values else None,
            updated_at=now if s.ref in values else None,
        )
        for s in statements
    )
    _change(
        assessment=assessment,
        user=user,
        field=Change.Field.CREATED,
        after=assessment.title,
        note=note or (f"Started from “{previous.title}”" if previous else ""),
        at=now,
    ).save()
    return assessment


def _lock(assessment: Assessment) -> Assessment:
    """Re-read the assessment inside the transaction, locking its row where supported."""
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


@transaction.atomic
def save_responses(
    *, assessment: Assessment, user: User | None, entries: list[ResponseInput]
) -> int:
    """Save scores, evidence and links; return how many statements changed.

    All or nothing: if a statement this user changed was also changed by someone else
    since `seen_version` (to different values), EditConflict is raised and nothing is
    written. A statement someone else changed but this user did not touch keeps the
    other person's values.
    """
    if _lock(assessment).status != Status.DRAFT:
        raise AssessmentLocked
    check_scores(assessment.framework, {e.ref: e.score for e in entries})
    current = {
        r.statement.ref: r
        for r in Response.objects.select_related("statement", "updated_by").filter(
            assessment=assessment, statement__ref__in=[e.ref for e in entries]
        )
    }
    unknown = [e.ref for e in entries if e.ref not in current]
    if unknown:
        raise ValueError(f"Unknown statements for this assessment: {', '.join(unknown)}")

    def differs(entry: ResponseInput, response: Response) -> bool:
        return (entry.score, entry.evidence, list(entry.links)) != (
            response.score,
            response.evidence,
            list(response.links),
        )

    stale = {e.ref for e in entries if e.is_stale(current[e.ref])}
    conflicts = [
        ConflictInfo(e.ref, current[e.ref])
        for e in entries
        if e.ref in stale and e.touched and differs(e, current[e.ref])
    ]
    if conflicts:
        raise EditConflict(conflicts)

    now = timezone.now()
    history: list[Change] = []
    changed = 0
    for entry in entries:
        response = current[entry.ref]
        if entry.ref in stale and not entry.touched:
            continue
        reviewed = response.needs_review and entry.confirmed
        if not differs(entry, response) and not reviewed:
            continue
        updated = Response.objects.filter(pk=response.pk, version=response.version).update(
            score=entry.score,
            evidence=entry.evidence,
            links=list(entry.links),
            needs_review=False,
            version=F("version") + 1,
            updated_by=user,
            updated_at=now,
        )
        if updated != 1:
            # Someone else's save landed between our read and our write.
            raise EditConflict([ConflictInfo(entry.ref, Response.objects.get(pk=response.pk))])
        changed += 1
        if response.needs_review:
            history.append(
                _change(
                    assessment=assessment,
                    response=response,
                    user=user,
                    field=Change.Field.REVIEWED,
                    before="carried forward",
                    after="confirmed" if not differs(entry, response) else "changed",
                    at=now,
                )
            )
        for field, before, after in (
            (Change.Field.SCORE, _score_text(response.score), _score_text(entry.score)),
            (Change.Field.EVIDENCE, response.evidence, entry.evidence),
            (Change.Field.LINKS, "\n".join(response.links), "\n".join(entry.links)),
        ):
            if before != after:
                history.append(
                    _change(
                        assessment=assessment,
                        response=response,
                        user=user,
                        field=field,
                        before=before,
                        after=after,
                        at=now,
                    )
                )
    Change.objects.bulk_create(history)
    return changed


@transaction.atomic
def sign_off(
    *,
    assessment: Assessment,
    user: User,
    agreed_by: str,
    agreed_on: datetime.date,
    minute_reference: str = "",
) -> Assessment:
    locked = _lock(assessment)
    if locked.status != Status.DRAFT:
        raise AssessmentLocked
    check_agreed_on(
        assessed_on=locked.assessed_on, agreed_on=agreed_on, today=timezone.localdate()
    )
    unscored = Response.objects.filter(assessment=locked, score__isnull=True).count()
    to_review = Response.objects.filter(assessment=locked, needs_review=True).count()
    if unscored or to_review:
        raise NotReadyToSignOff(unscored, to_review)
    now = timezone.now()
    locked.status = Status.COMPLETE
    locked.agreed_by = agreed_by.strip()
    locked.agreed_on = agreed_on
    locked.minute_reference = minute_reference.strip()
    locked.signed_off_by = user
    locked.signed_off_at = now
    locked.save(
        update_fields=[
            "status",
            "agreed_by",
            "agreed_on",
            "minute_reference",
            "signed_off_by",
            "signed_off_at",
        ]
    )
    agreed = f"agreed by {locked.agreed_by} on {long_date(agreed_on)}"
    if locked.minute_reference:
        agreed += f" ({locked.minute_reference})"
    _change(
        assessment=locked,
        user=user,
        field=Change.Field.STATUS,
        before=Status.DRAFT,
        after=Status.COMPLETE,
        note=agreed[:1].upper() + agreed[1:],
        at=now,
    ).save()
    audit.record(
        AuditAction.SIGNED_OFF,
        f"Signed off “{locked.title}”, {agreed}",
        actor=user,
        council=locked.council,
    )
    return locked


@transaction.atomic
def reopen(*, assessment: Assessment, user: User, reason: str) -> Assessment:
    locked = _lock(assessment)
    if locked.status != Status.COMPLETE:
        raise AssessmentLocked("Only a complete assessment can be reopened")
    locked.status = Status.DRAFT
    locked.save(update_fields=["status"])
    _change(
        assessment=locked,
        user=user,
        field=Change.Field.STATUS,
        before=Status.COMPLETE,
        after=Status.DRAFT,
        note=f"Reopened: {reason.strip()}"[:300],
    ).save()
    audit.record(
        AuditAction.REOPENED,
        f"Reopened “{locked.title}”: {reason.strip()}",
        actor=user,
        council=locked.council,
    )
    return locked


def send_draft_reminders(today: datetime.date | None = None) -> int:
    """To each council's admins, once, when an assessment has been in progress for the
    council's `draft_reminder_days`; nobody who switched reminders off. How many emails
    were queued."""
    today = today or timezone.localdate()
    messages = []
    for assessment in Assessment.objects.filter(
        status=Status.DRAFT, council__draft_reminder_days__isnull=False
    ).select_related("council"):
        council = assessment.council
        days = (today - timezone.localdate(assessment.created_at)).days
        if days < council.draft_reminder_days:
            continue
        for admin in User.objects.filter(
            memberships__council=council,
            memberships__role="admin",
            is_active=True,
            reminders_by_email=True,
        ):
            context = {
                "admin": admin,
                "assessment": assessment,
                "council": council,
                "days": days,
                "url": settings.SITE_URL
                + reverse("workspace:assessment", args=[council.slug, assessment.pk]),
                "settings_url": settings.SITE_URL + reverse("workspace:account") + "#emails",
            }
            messages.append(
                Message(
                    to=admin.email,
                    subject=f"{council.name}: “{assessment.title}” has been in progress for "
                    f"{days} days",
                    body=render_to_string("assessments/email_draft_reminder.txt", context),
                    purpose="Assessment in progress reminder",
                    topic=f"assessment:{assessment.pk}:draft",
                    dedupe_key=f"draft:{assessment.pk}:{admin.pk}",
                )
            )
    return len(queue_emails(messages))
