"""What every history table shares: who changed something, when, from what to what.

Abstract only: each app keeps its own table of changes (an assessment's statements,
its plan, its covering report), with its own kinds of field."""

from django.conf import settings
from django.db import models


class ChangeRecord(models.Model):
    """One change, written by a service and never edited; newest first."""

    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        abstract = True
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.field} changed at {self.at:%Y-%m-%d %H:%M}"
