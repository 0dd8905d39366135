"""Reads for the covering report; they never write."""

from selfassess.assessments.models import Assessment

from .models import CoveringChange, CoveringReport


def covering_of(assessment: Assessment) -> CoveringReport | None:
    """The assessment's covering report, if anyone has written one: no query when the
    assessment was read with select_related("covering_report")."""
    try:
        return assessment.covering_report
    except CoveringReport.DoesNotExist:
        return None


def covering_history(assessment: Assessment) -> list[CoveringChange]:
    """Every change to the covering report, newest first, each with `before_shown` and
    `after_shown` (the text as written) for the history table."""
    changes = list(
        CoveringChange.objects.filter(assessment=assessment)
        .select_related("user")
        .order_by("-at", "-id")
    )
    for change in changes:
        change.before_shown, change.after_shown = change.before, change.after
    return changes
