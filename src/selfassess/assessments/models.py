"""Assessments, their 25 responses and the history of every change.

Totals are never stored: selectors.py computes them from the scores. The database
holds the rules too: a score is 0, 1, 2 or empty; one response per statement per
assessment; a complete assessment always records who agreed it and when.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length

from selfassess.councils.models import Council
from selfassess.frameworks.models import Framework, Statement

models.TextField.register_lookup(Length)


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
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=2),
                name="response_score_0_to_2",
            ),
            models.CheckConstraint(
                condition=Q(evidence__length__lte=settings.EVIDENCE_MAX_LENGTH),
                name="response_evidence_max_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement.ref}: {self.score}"


class Change(models.Model):
    """Who changed what, when, from what to what. Written by services, never edited."""

    class Field(models.TextChoices):
        SCORE = "score", "Score"
        EVIDENCE = "evidence", "Evidence"
        LINKS = "links", "Links"
        STATUS = "status", "Status"
        CREATED = "created", "Created"
        ACTION_CREATED = "action_created", "Action added"
        ACTION_DELETED = "action_deleted", "Action deleted"
        TITLE = "title", "Title"
        DESCRIPTION = "description", "What will be done"
        LEAD = "lead", "Lead"
        PARTNERS = "partners", "Partners"
        TARGET_DATE = "target_date", "Target date"
        PRIORITY = "priority", "Priority"
        ACTION_STATUS = "action_status", "Action status"
        STATEMENTS = "statements", "Statements"
        PROGRESS = "progress", "Progress update"
        REVIEWED = "reviewed", "Carried-forward score confirmed"
        CARRIED = "carried", "Carried forward"
        SUGGESTION = "suggestion", "Suggested action"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="changes")
    response = models.ForeignKey(
        Response, null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    # Set for changes to a forward plan action; kept (as null) when the action is deleted,
    # so the record of the deletion survives it.
    action = models.ForeignKey(
        "plans.Action", null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )
    field = models.CharField(max_length=20, choices=Field.choices)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    note = models.CharField(max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["response", "at"]),
            models.Index(fields=["assessment", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.field} changed at {self.at:%Y-%m-%d %H:%M}"
