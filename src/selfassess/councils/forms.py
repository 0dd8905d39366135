from django import forms

from selfassess.core.forms import DateInputMixin

from .models import Role


class AddMemberForm(forms.Form):
    email = forms.EmailField(
        max_length=254,
        error_messages={
            "required": "Enter the person’s email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    full_name = forms.CharField(max_length=150, required=False)
    role = forms.ChoiceField(
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role", "invalid_choice": "Select a role"},
    )


class ChangeRoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=Role.choices,
        error_messages={"required": "Select a role", "invalid_choice": "Select a role"},
    )


class ReviewDateForm(DateInputMixin, forms.Form):
    date_fields = {"next_review_on": "the date of the next review"}
    optional_date_fields = frozenset({"next_review_on"})
