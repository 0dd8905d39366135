"""Forms for assessment pages. They parse and validate; services.py does the writing."""

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from selfassess.core.dates import long_date
from selfassess.core.forms import DateInputMixin, TextField
from selfassess.frameworks.models import ScaleLevel, Statement

from .models import Response
from .services import ResponseInput, SignOffDateWrong, check_agreed_on, values_digest


class StartAssessmentForm(DateInputMixin, forms.Form):
    date_fields = {"assessed_on": "the date of the assessment"}
    title = forms.CharField(
        max_length=200,
        error_messages={
            "required": "Enter a title, for example Baseline 2024",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    previous = forms.ChoiceField(
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select an earlier assessment of this council"},
    )

    def __init__(self, *args, earlier=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.earlier = {str(a.pk): a for a in earlier}
        self.fields["previous"].choices = [
            (str(a.pk), f"{a.title} ({long_date(a.assessed_on)})") for a in earlier
        ] + [("", "Start blank")]
        if earlier and not self.is_bound:
            self.initial.setdefault("previous", str(earlier[0].pk))

    def previous_assessment(self):
        return self.earlier.get(self.cleaned_data.get("previous") or "")


class SignOffForm(DateInputMixin, forms.Form):
    date_fields = {"agreed_on": "the date it was agreed"}
    agreed_by = forms.CharField(
        max_length=200,
        error_messages={
            "required": "Enter who agreed the assessment, for example Standards Committee",
            "max_length": "Who agreed it must be 200 characters or fewer",
        },
    )
    minute_reference = forms.CharField(
        required=False,
        max_length=200,
        error_messages={"max_length": "The minute reference must be 200 characters or fewer"},
    )

    def __init__(self, *args, assessed_on: datetime.date, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessed_on = assessed_on
        self.today = today

    def clean(self):
        cleaned = super().clean()
        agreed_on = cleaned.get("agreed_on")
        if agreed_on is not None:
            try:
                check_agreed_on(assessed_on=self.assessed_on, agreed_on=agreed_on, today=self.today)
            except SignOffDateWrong as exc:
                self.add_error("agreed_on_day", str(exc))
        return cleaned


class ReopenForm(forms.Form):
    reason = forms.CharField(
        max_length=250,
        error_messages={
            "required": "Enter why the assessment is being reopened",
            "max_length": "Reason must be 250 characters or fewer",
        },
    )


def field_prefix(ref: str) -> str:
    return "r" + ref.replace(".", "-")


def parse_links(text: str, ref: str) -> list[str]:
    """One web address per line; blank lines are ignored."""
    links = [line.strip() for line in text.splitlines() if line.strip()]
    if len(links) > settings.EVIDENCE_MAX_LINKS:
        raise ValidationError(
            f"Enter no more than {settings.EVIDENCE_MAX_LINKS} links for statement {ref}"
        )
    check = URLValidator(schemes=["http", "https"])
    for link in links:
        if len(link) > 500:
            raise ValidationError(f"Each link for statement {ref} must be 500 characters or fewer")
        try:
            check(link)
        except ValidationError:
            raise ValidationError(
                f"Links for statement {ref}: “{link[:80]}” is not a web address. Enter "
                "addresses starting with https:// or http://, one per line"
            ) from None
    return links


def statement_fields(
    statement: Statement, levels: list[ScaleLevel], *, unscored: str
) -> dict[str, forms.Field]:
    """A statement's score, evidence and links fields, named by field_prefix: the one
    definition the principle page and the import's check page share."""
    p = field_prefix(statement.ref)
    most = settings.EVIDENCE_MAX_LENGTH
    return {
        f"{p}-score": forms.ChoiceField(
            choices=[("", unscored)] + [(str(lv.value), lv.label) for lv in levels],
            required=False,
            widget=forms.RadioSelect,
            error_messages={
                "invalid_choice": f"Select a score for statement {statement.ref}: "
                + ", ".join(f"{lv.value} {lv.label}" for lv in levels)
            },
        ),
        f"{p}-evidence": TextField(
            required=False,
            strip=False,
            max_length=most,
            error_messages={
                "max_length": f"Evidence for statement {statement.ref} must be "
                f"{most:,} characters or fewer"
            },
        ),
        f"{p}-links": forms.CharField(required=False),
    }


class PrincipleForm(forms.Form):
    """The scores, evidence and links of one principle's statements."""

    def __init__(
        self,
        *args,
        statements: list[Statement],
        levels: list[ScaleLevel],
        responses: dict[str, Response],
        **kwargs,
    ):
        self.statements = statements
        initial = {}
        for statement in statements:
            response = responses[statement.ref]
            p = field_prefix(statement.ref)
            initial |= {
                f"{p}-score": "" if response.score is None else str(response.score),
                f"{p}-evidence": response.evidence,
                f"{p}-links": "\n".join(response.links),
                f"{p}-version": response.version,
                f"{p}-digest": values_digest(response.score, response.evidence, response.links),
            }
        super().__init__(*args, initial=initial, **kwargs)
        for statement in statements:
            p = field_prefix(statement.ref)
            self.fields.update(statement_fields(statement, levels, unscored="Unscored"))
            self.fields[f"{p}-version"] = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
            self.fields[f"{p}-digest"] = forms.CharField(
                required=False, max_length=64, widget=forms.HiddenInput
            )
            self.fields[f"{p}-confirm"] = forms.BooleanField(required=False)

    def clean(self):
        cleaned = super().clean()
        out_of_date = False
        for statement in self.statements:
            for hidden in ("version", "digest"):
                if self.errors.pop(f"{field_prefix(statement.ref)}-{hidden}", None):
                    out_of_date = True
        if out_of_date:
            self.add_error(
                None,
                "This page is out of date or incomplete. Reload it, then make your changes again",
            )
        for statement in self.statements:
            name = f"{field_prefix(statement.ref)}-links"
            if name in cleaned:
                try:
                    cleaned[name] = parse_links(cleaned[name], statement.ref)
                except ValidationError as exc:
                    self.add_error(name, exc)
        return cleaned

    def entries(self) -> list[ResponseInput]:
        out = []
        for statement in self.statements:
            p = field_prefix(statement.ref)
            score = self.cleaned_data[f"{p}-score"]
            evidence = self.cleaned_data[f"{p}-evidence"]
            out.append(
                ResponseInput(
                    ref=statement.ref,
                    score=None if score == "" else int(score),
                    evidence=evidence.strip(),
                    links=self.cleaned_data[f"{p}-links"],
                    seen_version=self.cleaned_data[f"{p}-version"],
                    seen_digest=self.cleaned_data[f"{p}-digest"] or None,
                    confirmed=self.cleaned_data[f"{p}-confirm"],
                )
            )
        return out
