"""The audit log: who did what, and when, for the things a council must be able to
account for. Rows are only ever added; the product has no way to change or remove one.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnly(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    """Refuses update() and delete(). The one exception is retention (services.py), through
    the two methods below that say what they do: nothing else removes or changes an
    entry."""

    def update(self, **kwargs):
        raise AppendOnly("Audit events cannot be changed")

    def delete(self):
        raise AppendOnly("Audit events cannot be removed")

    def expire(self) -> int:
        """Retention only: delete these entries; how many."""
        deleted, _ = models.QuerySet.delete(self)
        return deleted

    def forget_addresses(self) -> int:
        """Retention only: keep these entries but remove the client address they hold."""
        return models.QuerySet.update(self.filter(ip_address__isnull=False), ip_address=None)


class Action(models.TextChoices):
    SIGNED_IN = "signed_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SIGNED_OUT_EVERYWHERE = "signed_out_everywhere", "Signed out everywhere"
    PASSWORD_CHANGED = "password_changed", "Password set or changed"
    MFA_ADDED = "mfa_added", "Two-factor authentication turned on"
    MFA_REMOVED = "mfa_removed", "Two-factor authentication turned off"
    INVITED = "invited", "Person invited"
    INVITATION_ACCEPTED = "invitation_accepted", "Invitation accepted"
    INVITATION_WITHDRAWN = "invitation_withdrawn", "Invitation withdrawn"
    ROLE_CHANGED = "role_changed", "Role changed"
    MEMBER_REMOVED = "member_removed", "Person removed"
    SIGNED_OFF = "signed_off", "Assessment signed off"
    REOPENED = "reopened", "Assessment reopened"
    DOWNLOADED = "downloaded", "Copy downloaded"
    ROUND_OPENED = "round_opened", "Councillor feedback opened"
    ROUND_CLOSED = "round_closed", "Councillor feedback closed"
    PERSONAL_DATA_DOWNLOADED = "personal_data_downloaded", "Personal data downloaded"
    COUNCIL_CREATED = "council_created", "Council created"
    COUNCIL_CHANGED = "council_changed", "Council details changed"
    BENCHMARKS_SHARED = "benchmarks_shared", "Sharing in benchmarks turned on"
    BENCHMARKS_WITHDRAWN = "benchmarks_withdrawn", "Sharing in benchmarks turned off"
    BENCHMARK_PUBLISHED = "benchmark_published", "Benchmark published"


# Events about a person's account rather than one council's data. A council's admins see
# these for the people who currently belong to their council.
ACCOUNT_ACTIONS = frozenset(
    {
        Action.SIGNED_IN,
        Action.SIGN_IN_FAILED,
        Action.SIGNED_OUT_EVERYWHERE,
        Action.PASSWORD_CHANGED,
        Action.MFA_ADDED,
        Action.MFA_REMOVED,
        Action.PERSONAL_DATA_DOWNLOADED,
    }
)


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=40, choices=Action.choices)
    # A council with audit entries cannot be deleted, so its log cannot be lost that way.
    council = models.ForeignKey(
        "councils.Council",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    # Who did it. The address is kept as it was at the time, so the log still says who
    # acted after an account is renamed or deleted; for a failed sign-in it is the
    # address that was tried.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_email = models.CharField(max_length=254, blank=True)
    summary = models.CharField(max_length=500)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["council", "-at"], name="audit_council_at"),
            models.Index(fields=["actor_email", "-at"], name="audit_email_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_email or 'system'}: {self.summary}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("Audit events cannot be changed")
        # Always an INSERT: a new object given an existing id fails instead of
        # overwriting that entry.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Audit events cannot be removed")
