"""The outbox, and what staff see of tasks beyond Huey's own queue."""

from django.db import models
from django.db.models import Q


class Email(models.Model):
    """One email to one person. Created in the transaction of what it is about and
    delivered after it commits (services.deliver); see the app's docstring."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=300)
    body = models.TextField(help_text="Emptied once the message is sent")
    purpose = models.CharField(max_length=80, help_text="What kind of message, for staff")
    topic = models.CharField(
        max_length=100, blank=True, db_index=True, help_text="What it is about, to count by"
    )
    dedupe_key = models.CharField(
        max_length=200, null=True, blank=True, unique=True, help_text="Sent once only"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sending", "sent", "failed"]),
                name="email_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="email_sent_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} to {self.to} ({self.status})"


class TaskRun(models.Model):
    """A task that is running, or that failed and has not been run again."""

    class State(models.TextChoices):
        RUNNING = "running", "Running"
        FAILED = "failed", "Failed"

    task_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=10, choices=State.choices)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["running", "failed"]), name="taskrun_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.state})"
