from django import forms
from django.contrib.auth import password_validation


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
            from .models import User

            try:
                password_validation.validate_password(
                    first, User(email=self.email, full_name=data.get("full_name", ""))
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
