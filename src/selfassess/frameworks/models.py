"""The toolkit as data: a versioned framework of principles, statements and a score scale.

Rows here are written only by the loader (loader.py) and are never edited afterwards:
assessments point at statements with PROTECT, so a version that has been used cannot be
deleted, and the loader refuses to load different content under an existing version.
"""

from django.db import models
from django.db.models import Q


class Framework(models.Model):
    slug = models.SlugField(max_length=64, help_text="Stable id, e.g. lga-ending-abuse")
    version = models.CharField(max_length=32, help_text="e.g. 2024-06")
    title = models.CharField(max_length=200)
    subtitle = models.CharField(max_length=200, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    aim = models.TextField()
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the loaded definition")
    survey = models.JSONField(
        default=dict, blank=True, help_text="The councillor feedback survey, if the toolkit has one"
    )
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "version"], name="framework_slug_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class ScaleLevel(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    value = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=100)
    long_label = models.CharField(max_length=200)
    definition = models.TextField()

    class Meta:
        ordering = ["framework", "value"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "value"], name="scale_level_value_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.value}: {self.label}"


class Principle(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="principles")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    theme = models.CharField(max_length=200)
    description = models.TextField()

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="principle_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="principle_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Statement(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="statements")
    principle = models.ForeignKey(Principle, on_delete=models.CASCADE, related_name="statements")
    ref = models.CharField(max_length=16, help_text="Reference id such as 1.1")
    position = models.PositiveSmallIntegerField(help_text="Order within the principle, from 1")
    text = models.TextField()
    guidance = models.JSONField(
        default=dict,
        blank=True,
        help_text="What good looks like and suggested actions, if the toolkit has them "
        "(guidance.py reads it)",
    )

    class Meta:
        ordering = ["framework", "principle__number", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "ref"], name="statement_ref_unique"),
            models.UniqueConstraint(
                fields=["principle", "position"], name="statement_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.text[:60]}"
