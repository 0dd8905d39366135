"""The forward plan: actions that close the gaps an assessment found, and their progress.

An action belongs to one assessment and covers one or more of that assessment's
statements. Suggestions are not stored: they are derived from the scores (selectors.py);
only a person's decision to dismiss one is recorded.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from selfassess.assessments.models import Assessment
from selfassess.core.models import ChangeRecord
from selfassess.frameworks.models import Statement


class Priority(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    DEFERRED = "deferred", "Deferred"


PRIORITY_ORDER = {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2}
OPEN_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


def is_overdue(target_date: datetime.date | None, status: str, today: datetime.date) -> bool:
    """The one rule for "overdue": still open, and its target date has passed."""
    return target_date is not None and target_date < today and status in OPEN_STATUSES


def overdue_q(today: datetime.date) -> Q:
    """is_overdue as a query, for counting in the database."""
    return Q(status__in=OPEN_STATUSES, target_date__lt=today)


class Action(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="actions")
    statements = models.ManyToManyField(Statement, related_name="+")
    title = models.CharField(max_length=200)
    description = models.TextField("what will be done", blank=True)
    lead = models.CharField(max_length=200, blank=True)
    # A member of the council who owns the action in the product (reminded of it, sees
    # it under "Your work"), besides the free-text lead for people outside it.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_actions",
    )
    partners = models.CharField(max_length=300, blank=True)
    target_date = models.DateField(null=True, blank=True)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    version = models.PositiveIntegerField(default=0)
    carried_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_to",
        help_text="The open action of an earlier assessment this one continues",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["target_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="action_priority_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="action_status_valid"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="action_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: datetime.date) -> bool:
        return is_overdue(self.target_date, self.status, today)


class ProgressUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField()
    text = models.TextField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="progress_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.on}: {self.text[:40]}"


class DismissedSuggestion(models.Model):
    """An editor decided a suggested action is not for this plan, and may say why.

    `key` names the suggestion within the statement (frameworks.guidance: the slug of a
    guided action's title, or GENERAL_KEY for the one general suggestion of a toolkit
    without guidance); `title` is the suggestion's title when it was dismissed, so the
    plan and the report can name it whatever the scores do afterwards."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="dismissed_suggestions"
    )
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=200)
    title = models.CharField(max_length=200)
    reason = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "statement", "key"], name="dismissed_suggestion_unique"
            ),
            models.CheckConstraint(condition=~Q(key=""), name="dismissed_suggestion_key"),
            models.CheckConstraint(condition=~Q(title=""), name="dismissed_suggestion_title"),
        ]

    def __str__(self) -> str:
        return f"Dismissed suggestion {self.key} for {self.statement_id}"


class PlanChange(ChangeRecord):
    """Who changed the forward plan, when, from what to what: each action's changes, and
    suggestions dismissed or restored. Written by services.py, never edited. A change
    keeps its record when its action is deleted (the action becomes empty), so the
    record of the deletion survives it."""

    class Field(models.TextChoices):
        ACTION_CREATED = "action_created", "Action added"
        ACTION_DELETED = "action_deleted", "Action deleted"
        TITLE = "title", "Title"
        DESCRIPTION = "description", "What will be done"
        LEAD = "lead", "Lead"
        OWNER = "owner", "Owner"
        PARTNERS = "partners", "Partners"
        TARGET_DATE = "target_date", "Target date"
        PRIORITY = "priority", "Priority"
        ACTION_STATUS = "action_status", "Action status"
        STATEMENTS = "statements", "Statements"
        PROGRESS = "progress", "Progress update"
        CARRIED = "carried", "Carried forward"
        SUGGESTION = "suggestion", "Suggested action"

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="plan_changes"
    )
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )
    field = models.CharField(max_length=20, choices=Field.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta(ChangeRecord.Meta):
        indexes = [
            models.Index(fields=["action", "at"]),
            models.Index(fields=["assessment", "at"]),
        ]
