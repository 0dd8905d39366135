"""The import pages' forms: the upload (file, title, date) and the preview's confirm
(title, date, and every statement's score, evidence and links, as on the principle
page). They parse and validate; services.py writes."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from selfassess.assessments.forms import field_prefix, parse_links, statement_fields
from selfassess.assessments.services import Values, values_digest
from selfassess.core.forms import DateInputMixin
from selfassess.frameworks.models import ScaleLevel, Statement

from .readers import Reading
from .readers.containers import MB, megabytes


def size_text(size: int) -> str:
    """A file size as the upload page says it: 20 MB, 1.5 MB, 10 KB."""
    return megabytes(size) if size >= MB else f"{max(1, round(size / 1024)):,} KB"


DATE_PARTS = ("day", "month", "year")


def reading_fields(reading: Reading) -> dict[str, str]:
    """The check page's statement fields filled with what was read."""
    fields = {}
    for row in reading.rows:
        p = field_prefix(row.ref)
        fields |= {
            f"{p}-score": "" if row.score is None else str(row.score),
            f"{p}-evidence": row.evidence,
            f"{p}-links": "\n".join(row.links),
        }
    return fields


def title_field() -> forms.CharField:
    return forms.CharField(
        max_length=200,
        error_messages={
            "required": "Enter a title, for example Baseline 2024",
            "max_length": "Title must be 200 characters or fewer",
        },
    )


class UploadForm(DateInputMixin, forms.Form):
    date_fields = {"assessed_on": "the date of the assessment"}
    file = forms.FileField(
        error_messages={
            "required": "Select the completed toolkit file",
            "empty": "The selected file is empty",
            "invalid": "Select the completed toolkit file",
            "missing": "Select the completed toolkit file",
        }
    )
    title = title_field()

    def __init__(self, *args, too_large: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.too_large = too_large

    def clean(self):
        cleaned = super().clean()
        if self.too_large:
            self.errors.pop("file", None)
            self.add_error(
                "file",
                f"The selected file must be smaller than {size_text(settings.IMPORT_MAX_BYTES)}",
            )
        return cleaned


class ConfirmForm(DateInputMixin, forms.Form):
    """The preview page's form: title and date, and each statement's values."""

    date_fields = {"assessed_on": "the date of the assessment"}
    title = title_field()
    preview = forms.CharField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args,
        statements: list[Statement],
        levels: list[ScaleLevel],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.statements = statements
        for statement in statements:
            self.fields.update(statement_fields(statement, levels, unscored="Not scored yet"))

    def clean(self):
        cleaned = super().clean()
        for statement in self.statements:
            name = f"{field_prefix(statement.ref)}-links"
            if name in cleaned:
                try:
                    cleaned[name] = parse_links(cleaned[name], statement.ref)
                except ValidationError as exc:
                    self.add_error(name, exc)
        return cleaned

    def values(self) -> dict[str, Values]:
        """Each statement's values as confirmed (a statement left empty is left out)."""
        out = {}
        for statement in self.statements:
            p = field_prefix(statement.ref)
            score = self.cleaned_data[f"{p}-score"]
            value = Values(
                None if score == "" else int(score),
                self.cleaned_data[f"{p}-evidence"].strip(),
                tuple(self.cleaned_data[f"{p}-links"]),
            )
            if value.score is not None or value.evidence or value.links:
                out[statement.ref] = value
        return out

    def changed_from(self, digests: dict[str, str]) -> int:
        """How many statements differ from what was read (by the reading's fingerprint
        of each)."""
        confirmed = self.values()
        changed = 0
        for statement in self.statements:
            value = confirmed.get(statement.ref, Values(None))
            if values_digest(value.score, value.evidence, list(value.links)) != digests.get(
                statement.ref
            ):
                changed += 1
        return changed
