"""Forms for the forward plan. They parse and validate; services.py writes."""

from django import forms

from selfassess.core.forms import DateInputMixin, TextField
from selfassess.frameworks.models import Statement

from .models import ActionStatus, Priority
from .services import REASON_LIMIT, ActionInput

LONG_TEXT = 5000


class ActionForm(DateInputMixin, forms.Form):
    date_fields = {"target_date": "the target date"}
    optional_date_fields = frozenset({"target_date"})

    title = forms.CharField(
        max_length=200,
        error_messages={
            "required": "Enter a title for the action",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    description = TextField(
        required=False,
        max_length=LONG_TEXT,
        error_messages={
            "max_length": f"What will be done must be {LONG_TEXT:,} characters or fewer"
        },
    )
    statements = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one statement the action covers",
            "invalid_choice": "Select statements from this assessment’s toolkit only",
        },
    )
    owner = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": "Choose an owner from the council's people, or nobody"},
    )
    lead = forms.CharField(
        required=False,
        max_length=200,
        error_messages={"max_length": "Lead must be 200 characters or fewer"},
    )
    partners = forms.CharField(
        required=False,
        max_length=300,
        error_messages={"max_length": "Partners must be 300 characters or fewer"},
    )
    priority = forms.ChoiceField(
        choices=Priority.choices,
        widget=forms.RadioSelect,
        initial=Priority.MEDIUM,
        error_messages={"required": "Select a priority", "invalid_choice": "Select a priority"},
    )
    status = forms.ChoiceField(
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        initial=ActionStatus.NOT_STARTED,
        error_messages={"required": "Select a status", "invalid_choice": "Select a status"},
    )
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(
        self, *args, statements: list[Statement], people=(), require_version=False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Nobody in Self-Assess")] + [
            (str(u.pk), u.display_name) for u in people
        ]
        self.statement_objects = statements
        self.require_version = require_version
        self.fields["statements"].choices = [(s.ref, f"{s.ref} {s.text}") for s in statements]

    def clean(self):
        cleaned = super().clean()
        stale = self.errors.pop("version", None) or (
            self.require_version and cleaned.get("version") is None
        )
        if stale:
            self.add_error(
                None, "This page is out of date. Reload it, then make your changes again"
            )
        return cleaned

    def action_input(self) -> ActionInput:
        d = self.cleaned_data
        return ActionInput(
            title=d["title"],
            description=d["description"].strip(),
            lead=d["lead"].strip(),
            partners=d["partners"].strip(),
            target_date=d["target_date"],
            priority=d["priority"],
            status=d["status"],
            refs=list(d["statements"]),
            owner_id=int(d["owner"]) if d.get("owner") else None,
        )


class ProgressForm(DateInputMixin, forms.Form):
    date_fields = {"on": "the date of the update"}
    text = TextField(
        max_length=LONG_TEXT,
        error_messages={
            "required": "Enter the progress update",
            "max_length": f"The update must be {LONG_TEXT:,} characters or fewer",
        },
    )


class PlanFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status"), ("overdue", "Overdue")] + list(ActionStatus.choices),
    )
    priority = forms.ChoiceField(
        required=False, choices=[("", "Any priority")] + list(Priority.choices)
    )
    lead = forms.CharField(required=False, max_length=200)


class AddSuggestionsForm(forms.Form):
    """The suggested actions an editor ticks to add to the plan at once."""

    chosen = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one suggested action to add",
            "invalid_choice": (
                "A suggestion you selected is no longer in the list: someone may have added "
                "an action for its statement or dismissed it meanwhile. Nothing was added"
            ),
        },
    )

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].choices = choices


class DismissForm(forms.Form):
    reason = TextField(
        required=False,
        max_length=REASON_LIMIT,
        error_messages={"max_length": f"The reason must be {REASON_LIMIT:,} characters or fewer"},
    )
