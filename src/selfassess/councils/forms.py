from django import forms
from django.contrib.auth import get_user_model, password_validation

from selfassess.core.forms import DateInputMixin

from .models import Role


def email_field() -> forms.EmailField:
    """The address a person is invited at."""
    return forms.EmailField(
        max_length=254,
        error_messages={
            "required": "Enter the person’s email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )


def clean_invited_email(email: str) -> str:
    email = email.strip().lower()
    # Letters outside a to z can look like, or fold into, someone else's address
    # (dotless ı becomes I in some databases' upper case).
    if not email.isascii():
        raise forms.ValidationError(
            "Enter an email address using only the letters a to z, digits and . _ - + @"
        )
    return email


class AddMemberForm(forms.Form):
    email = email_field()
    full_name = forms.CharField(max_length=150, required=False)
    role = forms.ChoiceField(
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role", "invalid_choice": "Select a role"},
    )

    def clean_email(self) -> str:
        return clean_invited_email(self.cleaned_data["email"])


class ChangeRoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=Role.choices,
        error_messages={"required": "Select a role", "invalid_choice": "Select a role"},
    )


class ReviewDateForm(DateInputMixin, forms.Form):
    date_fields = {"next_review_on": "the date of the next review"}
    optional_date_fields = frozenset({"next_review_on"})


class AcceptInvitationForm(forms.Form):
    """For someone with no password yet: their name and a password of their own."""

    full_name = forms.CharField(
        max_length=150,
        error_messages={"required": "Enter your full name", "max_length": "Enter a shorter name"},
    )
    password1 = forms.CharField(
        strip=False,
        max_length=200,
        error_messages={"required": "Enter a password"},
    )
    password2 = forms.CharField(
        strip=False,
        max_length=200,
        error_messages={"required": "Enter the password again"},
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The passwords do not match")
        elif first:
            try:
                password_validation.validate_password(
                    first,
                    get_user_model()(email=self.email, full_name=data.get("full_name", "")),
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class SharingForm(forms.Form):
    """Whether the council counts in benchmarks: "yes" or "no"."""

    shares = forms.ChoiceField(
        choices=[("yes", "Yes, share"), ("no", "No, do not share")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether to share your agreed assessments in benchmarks",
            "invalid_choice": "Select whether to share your agreed assessments in benchmarks",
        },
    )

    @property
    def chosen(self) -> bool:
        return self.cleaned_data["shares"] == "yes"
