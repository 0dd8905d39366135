"""Form helpers shared by the apps: the GOV.UK date input (day, month, year boxes)."""

import datetime

from django import forms


class DateInputMixin:
    """Adds `<name>_day`, `<name>_month`, `<name>_year` fields for each name in
    `date_fields` and cleans them into one date in cleaned_data[name], with the GOV.UK
    pattern's error messages. Errors are attached to `<name>_day` so the error summary
    links to the first box."""

    date_fields: dict[str, str] = {}
    optional_date_fields: frozenset[str] = frozenset()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.date_fields:
            for part in ("day", "month", "year"):
                self.fields[f"{name}_{part}"] = forms.CharField(required=False)

    def initial_date(self, name: str, value: datetime.date | None) -> None:
        if value:
            self.initial |= {
                f"{name}_day": value.day,
                f"{name}_month": value.month,
                f"{name}_year": value.year,
            }

    def clean(self):
        cleaned = super().clean()
        for name, label in self.date_fields.items():
            parts = [(cleaned.get(f"{name}_{p}") or "").strip() for p in ("day", "month", "year")]
            if not any(parts):
                if name in self.optional_date_fields:
                    cleaned[name] = None
                else:
                    self.add_error(f"{name}_day", f"Enter {label}")
                continue
            missing = [p for p, v in zip(("day", "month", "year"), parts, strict=True) if not v]
            if missing:
                self.add_error(f"{name}_day", f"{label.capitalize()} must include a {missing[0]}")
                continue
            try:
                if any(len(v) > 4 for v in parts):
                    raise ValueError
                day, month, year = (int(v) for v in parts)
                if not 1900 <= year <= 2200:
                    raise ValueError
                cleaned[name] = datetime.date(year, month, day)
            except ValueError:
                self.add_error(f"{name}_day", f"{label.capitalize()} must be a real date")
        return cleaned


class TextField(forms.CharField):
    """A CharField that turns the CRLF line endings browsers send into LF before its
    length is checked, so the limit counts the characters the user typed."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value
