"""Forms for the report pages. They parse and validate; services.py writes."""

from django import forms

from selfassess.core.forms import TextField

from .models import COVERING_MAX_LENGTH


class CoveringForm(forms.Form):
    summary = TextField(
        required=False,
        max_length=COVERING_MAX_LENGTH,
        error_messages={
            "max_length": f"The summary must be {COVERING_MAX_LENGTH:,} characters or fewer"
        },
    )
    recommendations = TextField(
        required=False,
        max_length=COVERING_MAX_LENGTH,
        error_messages={
            "max_length": (
                f"The recommendations must be {COVERING_MAX_LENGTH:,} characters or fewer"
            )
        },
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if self.errors.pop("version", None):
            self.add_error(
                None, "This page is out of date. Reload it, then make your changes again"
            )
        return cleaned
