"""Writes for the covering report, in one transaction, each change kept in its history."""

from django.db import transaction
from django.utils import timezone

from selfassess.accounts.models import User
from selfassess.assessments.models import Assessment
from selfassess.assessments.services import AssessmentLocked

from .models import COVERING_MAX_LENGTH, CoveringChange, CoveringField, CoveringReport


class CoveringError(ValueError):
    """A covering report that breaks a rule; the message says which, for the user."""


class CoveringConflict(Exception):
    """Someone saved the covering report since the form was opened; nothing was saved."""

    def __init__(self, current: CoveringReport):
        self.current = current
        super().__init__(f"Covering report {current.pk} changed")


def _check(summary: str, recommendations: str) -> None:
    for label, text in (("summary", summary), ("recommendations", recommendations)):
        if len(text) > COVERING_MAX_LENGTH:
            raise CoveringError(f"The {label} must be {COVERING_MAX_LENGTH:,} characters or fewer")


@transaction.atomic
def save_covering_report(
    *,
    assessment: Assessment,
    user: User | None,
    summary: str,
    recommendations: str,
    seen_version: int,
) -> CoveringReport:
    """Save the summary and recommendations if nobody has saved them since
    `seen_version`; otherwise CoveringConflict, and nothing is saved. A complete
    assessment's covering report is what the committee agreed: AssessmentLocked."""
    summary, recommendations = summary.strip(), recommendations.strip()
    _check(summary, recommendations)
    # The assessment's row is the lock: it serialises this save with another person's
    # and with sign-off (SQLite takes its write lock at BEGIN IMMEDIATE).
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.is_complete:
        raise AssessmentLocked
    # Unsaved until something is written: a report nobody wrote has no row.
    covering = CoveringReport.objects.filter(assessment=locked).first() or CoveringReport(
        assessment=locked
    )
    if covering.version != seen_version:
        raise CoveringConflict(covering)
    now = timezone.now()
    history = [
        CoveringChange(
            assessment=locked, field=field, before=before, after=after, user=user, at=now
        )
        for field, before, after in (
            (CoveringField.SUMMARY, covering.summary, summary),
            (CoveringField.RECOMMENDATIONS, covering.recommendations, recommendations),
        )
        if before != after
    ]
    if history:
        covering.summary = summary
        covering.recommendations = recommendations
        covering.version += 1
        covering.updated_by = user
        covering.updated_at = now
        covering.save()
        CoveringChange.objects.bulk_create(history)
    return covering
