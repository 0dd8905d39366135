"""The host console's forms. They parse and validate; services write."""

from django import forms
from django.utils.text import slugify

from selfassess.councils.forms import clean_invited_email, email_field
from selfassess.councils.models import SIZE_MAX, CouncilType, Region


def _type_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=[("", "Choose a type"), *CouncilType.choices],
        error_messages={
            "required": "Choose the type of council",
            "invalid_choice": "Choose the type of council",
        },
    )


def _region_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=[("", "Choose a region or nation"), *Region.choices],
        error_messages={
            "required": "Choose the council’s region or nation",
            "invalid_choice": "Choose the council’s region or nation",
        },
    )


def _councillors_field() -> forms.IntegerField:
    message = f"Enter the number of councillors as a whole number from 1 to {SIZE_MAX}"
    return forms.IntegerField(
        required=False,
        min_value=1,
        max_value=SIZE_MAX,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
    )


class CouncilProfileForm(forms.Form):
    """What the host may correct about a council: its type, region and size."""

    type = _type_field()
    region = _region_field()
    councillors = _councillors_field()


class NewCouncilForm(CouncilProfileForm):
    """A new council, and who its first admin is."""

    name = forms.CharField(
        max_length=200,
        error_messages={
            "required": "Enter the council’s name",
            "max_length": "Enter a name of 200 characters or fewer",
        },
    )
    slug = forms.CharField(
        required=False,
        max_length=100,
        error_messages={"max_length": "Enter a web address of 100 characters or fewer"},
    )
    email = email_field()
    full_name = forms.CharField(
        max_length=150,
        required=False,
        error_messages={"max_length": "Enter a name of 150 characters or fewer"},
    )

    field_order = ["name", "slug", "type", "region", "councillors", "email", "full_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["required"] = "Enter the first admin’s email address"

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter the council’s name")
        return name

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].strip()
        if slug and slug != slugify(slug):
            raise forms.ValidationError(
                "Use only lower-case letters a to z, digits and hyphens in the web address, "
                f"for example {slugify(slug) or 'example-council'}"
            )
        return slug

    def clean_email(self) -> str:
        return clean_invited_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        if not self.errors.get("slug") and not cleaned.get("slug") and cleaned.get("name"):
            cleaned["slug"] = slugify(cleaned["name"])[:100].strip("-")
            if not cleaned["slug"]:
                self.add_error(
                    "slug", "Enter a web address: the name has no letters a to z to make one"
                )
        return cleaned


class CouncilFilterForm(forms.Form):
    """The console's filters (a GET form: bad values are ignored, never an error)."""

    q = forms.CharField(required=False, max_length=200)
    type = forms.ChoiceField(required=False, choices=[("", "Any type"), *CouncilType.choices])
    region = forms.ChoiceField(
        required=False, choices=[("", "Any region"), *Region.choices, ("none", "Not set")]
    )
    shares = forms.ChoiceField(
        required=False,
        choices=[("", "Sharing or not"), ("yes", "Sharing"), ("no", "Not sharing")],
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}
