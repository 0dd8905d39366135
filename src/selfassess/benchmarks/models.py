"""Published benchmark snapshots. A snapshot is written once and kept for ever: its figures
are public, at their own dated address, and its private record is what every later
snapshot is checked against (disclosure.py)."""

from django.db import models
from django.db.models import Q

from .disclosure import MIN_K


class KeptForEver(Exception):
    pass


class SnapshotQuerySet(models.QuerySet):
    """Refuses update() and delete(): a published figure never changes under a reader, and
    the record of what was published must be there for every later snapshot."""

    def update(self, **kwargs):
        raise KeptForEver("Published snapshots cannot be changed")

    def delete(self):
        raise KeptForEver("Published snapshots cannot be removed")


class Snapshot(models.Model):
    created_at = models.DateTimeField(db_index=True)
    # The toolkit compared (its slug), and the version whose principles and statements
    # the snapshot lays out; assessments on other versions with the same refs count too.
    toolkit = models.CharField(max_length=64)
    toolkit_version = models.CharField(max_length=32)
    k = models.PositiveSmallIntegerField(help_text="Groups are shown with at least K + 1 councils")
    window_months = models.PositiveSmallIntegerField()
    agreed_from = models.DateField(help_text="Assessments agreed on or after this day count")
    # What is published: the toolkit's layout and every group, shown or withheld, with its
    # counts (formats.py turns it into the JSON and CSV downloads). Never a council.
    content = models.JSONField()
    # What is kept privately: the contributions each shown group counted
    # (disclosure.SnapshotRecord.to_json). It names councils; it never leaves the database.
    record = models.TextField()

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(k__gte=MIN_K), name="snapshot_k_at_least_3"),
            models.CheckConstraint(
                condition=Q(window_months__gte=1), name="snapshot_window_at_least_a_month"
            ),
        ]

    def __str__(self) -> str:
        return f"Benchmark {self.pk} ({self.created_at:%d %B %Y})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise KeptForEver("Published snapshots cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise KeptForEver("Published snapshots cannot be removed")
