"""Assessments, their 25 responses and the history of every change.

Totals are never stored: selectors.py computes them from the scores. The database
holds the rules too: a score is on a toolkit scale or empty (services.check_scores
checks it against the assessment's own toolkit); one response per statement per
assessment; a complete assessment always records who agreed it and when.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from selfassess.core.models import ChangeRecord
from selfassess.councils.models import Council
from selfassess.frameworks.models import Framework, Statement
from selfassess.frameworks.schema import SCALE_VALUE_MAX


class Status(models.TextChoices):
    DRAFT = "draft", "In progress"
    COMPLETE = "complete", "Complete"


class Assessment(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="assessments")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    assessed_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The earlier assessment this one was started from",
    )
    agreed_by = models.CharField(max_length=200, blank=True)
    agreed_on = models.DateField(null=True, blank=True)
    # The minute of the meeting that agreed it, e.g. "Standards Committee, 12 March 2025,
    # minute 34": optional, as the committee report cites it.
    minute_reference = models.CharField(max_length=200, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["council", "-assessed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="assessment_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT)
                | (Q(agreed_on__isnull=False) & Q(signed_off_at__isnull=False) & ~Q(agreed_by="")),
                name="assessment_complete_has_sign_off",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.council})"

    @property
    def is_complete(self) -> bool:
        return self.status == Status.COMPLETE


class Response(models.Model):
    """One statement's score and evidence within one assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="responses")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    evidence = models.TextField(blank=True)
    links = models.JSONField(default=list, blank=True)
    # Copied from an earlier assessment and not yet confirmed or changed by anyone.
    needs_review = models.BooleanField(default=False)
    # Incremented on every save; a form carries the version it was opened at, so a save
    # over someone else's newer change is detected instead of silently overwriting it.
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "statement__principle__number", "statement__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "statement"], name="response_one_per_statement"
            ),
            # The toolkit's own scale is checked by services.check_scores; the database
            # holds the bound every toolkit's scale keeps to.
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=SCALE_VALUE_MAX),
                name="response_score_on_a_scale",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("evidence"), settings.EVIDENCE_MAX_LENGTH),
                name="response_evidence_max_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement.ref}: {self.score}"

    @property
    def scored_without_evidence(self) -> bool:
        """Scored, with no evidence written and no link to any: a committee will ask
        what the score rests on (pages say "scored, no evidence"; sign-off warns)."""
        return self.score is not None and not self.evidence.strip() and not self.links


class Change(ChangeRecord):
    """Who changed what, when, from what to what: scores, evidence and links, and the
    assessment's own events (created, signed off, reopened, feedback opened or closed).
    Written by services.py, never edited. The forward plan keeps its own history
    (plans.PlanChange)."""

    class Field(models.TextChoices):
        SCORE = "score", "Score"
        EVIDENCE = "evidence", "Evidence"
        LINKS = "links", "Links"
        STATUS = "status", "Status"
        CREATED = "created", "Created"
        REVIEWED = "reviewed", "Carried-forward score confirmed"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="changes")
    response = models.ForeignKey(
        Response, null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    field = models.CharField(max_length=20, choices=Field.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta(ChangeRecord.Meta):
        indexes = [
            models.Index(fields=["response", "at"]),
            models.Index(fields=["assessment", "at"]),
        ]
