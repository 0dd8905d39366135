"""What the interchange app keeps: which check page each imported assessment came from,
so that confirming the same check page again (the browser's Back button, a second click,
a resent form) imports nothing a second time. The file itself is never kept."""

from django.db import models


class Import(models.Model):
    # The id of the signed reading the check page carried (documents.Preview.id).
    preview_id = models.CharField(max_length=32, unique=True)
    assessment = models.OneToOneField(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Import {self.preview_id} → assessment {self.assessment_id}"
