"""The officer's covering report, which goes to committee on top of the self-assessment,
and its history.

The database keeps the rules too: one covering report per assessment, and each text
within its limit.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from selfassess.assessments.models import Assessment
from selfassess.core.models import ChangeRecord

# Room for several pages of a committee paper; the form and the service say so first.
COVERING_MAX_LENGTH = 10_000


class CoveringReport(models.Model):
    """The summary and recommendations an officer writes for the committee. The
    version goes up on every save; a form carries the version it was opened at, so a
    save over someone else's newer change is refused, not lost."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="covering_report"
    )
    summary = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("summary"), COVERING_MAX_LENGTH),
                name="covering_summary_max_length",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("recommendations"), COVERING_MAX_LENGTH),
                name="covering_recommendations_max_length",
            ),
        ]

    def __str__(self) -> str:
        return f"Covering report for assessment {self.assessment_id}"


class CoveringField(models.TextChoices):
    SUMMARY = "summary", "Summary"
    RECOMMENDATIONS = "recommendations", "Recommendations"


class CoveringChange(ChangeRecord):
    """Who changed the covering report, when, from what to what. Written by services.py,
    never edited."""

    Field = CoveringField

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="covering_changes"
    )
    field = models.CharField(max_length=20, choices=Field.choices)

    class Meta(ChangeRecord.Meta):
        indexes = [models.Index(fields=["assessment", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(field__in=CoveringField.values),
                name="covering_change_field_valid",
            ),
        ]
