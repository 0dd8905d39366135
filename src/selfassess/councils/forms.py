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

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        # Letters outside a to z can look like, or fold into, someone else's address
        # (dotless ı becomes I in some databases' upper case).
        if not email.isascii():
            raise forms.ValidationError(
                "Enter an email address using only the letters a to z, digits and . _ - + @"
            )
        return email


class ChangeRoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=Role.choices,
        error_messages={"required": "Select a role", "invalid_choice": "Select a role"},
    )


class ReviewDateForm(DateInputMixin, forms.Form):
    date_fields = {"next_review_on": "the date of the next review"}
    optional_date_fields = frozenset({"next_review_on"})
