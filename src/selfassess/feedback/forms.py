"""Forms for councillor feedback: the admin's round and invitations, and the survey."""

from django import forms

from selfassess.core.forms import DateInputMixin, TextField

DONT_KNOW = "dk"
COMMENT_MAX = 2000


class RoundForm(DateInputMixin, forms.Form):
    date_fields = {"opens_on": "the opening date", "closes_on": "the closing date"}
    introduction = TextField(
        required=False,
        max_length=3000,
        error_messages={"max_length": "The introduction must be 3,000 characters or fewer"},
    )
    shared_link = forms.BooleanField(required=False)
    reminder_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=30,
        error_messages={
            "invalid": "Enter the number of days before the round closes, like 3",
            "min_value": "The reminder must go at least 1 day before the round closes",
            "max_value": "The reminder must go at most 30 days before the round closes",
        },
    )

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on_day", "The closing date must be on or after the opening date")
        return cleaned


class InvitationsForm(forms.Form):
    people = TextField(
        required=False,
        max_length=200_000,
        error_messages={"max_length": "Paste fewer people at a time"},
    )
    file = forms.FileField(required=False)

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("people") or ""
        upload = cleaned.get("file")
        if upload:
            if upload.size > 1_000_000:
                self.add_error("file", "The file must be smaller than 1 MB")
                return cleaned
            try:
                text += "\n" + upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("file", "The file must be a CSV saved as UTF-8")
                return cleaned
        if not text.strip() and not self.errors:
            self.add_error(
                "people", "Enter at least one name and email address, or choose a CSV file"
            )
        cleaned["text"] = text
        return cleaned


class AccessCodeForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        error_messages={"required": "Enter the access code from the council’s message"},
    )


class PrincipleAnswersForm(forms.Form):
    """One principle's page of the survey: an answer per statement and a comment."""

    def __init__(self, *args, statements, survey: dict, principle_number: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.statements = statements
        self.principle_number = principle_number
        choices = [(str(a["value"]), a["label"]) for a in survey["answers"]]
        choices.append((DONT_KNOW, survey["dont_know"]))
        for s in statements:
            self.fields[f"s{s.ref}"] = forms.ChoiceField(
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": (
                        f"Select an answer for statement {s.ref}, or “{survey['dont_know']}”"
                    ),
                    "invalid_choice": f"Select an answer for statement {s.ref}",
                },
            )
        self.fields["comment"] = TextField(
            required=False,
            max_length=COMMENT_MAX,
            error_messages={
                "max_length": f"The comment must be {COMMENT_MAX:,} characters or fewer"
            },
        )

    @staticmethod
    def initial_from(draft: dict, statements, number: int) -> dict:
        initial = {}
        for s in statements:
            if s.ref in draft.get("statements", {}):
                value = draft["statements"][s.ref]
                initial[f"s{s.ref}"] = DONT_KNOW if value is None else str(value)
        initial["comment"] = draft.get("comments", {}).get(str(number), "")
        return initial

    def statement_rows(self, questions) -> list[dict]:
        """What the page shows per statement: the statement, its field's id and errors,
        and its radio buttons as HTML, with the current answer checked (rendered once
        per process by feedback/questions.py)."""
        rows = []
        for s in self.statements:
            field = self[f"s{s.ref}"]
            fid = field.auto_id
            rows.append(
                {
                    "statement": s,
                    "id": fid,
                    "errors": field.errors,
                    "radios": questions.radios(fid, field.html_name, field.value()),
                }
            )
        return rows

    def into(self, draft: dict) -> dict:
        draft = {k: dict(v) for k, v in draft.items()}
        statements = draft.setdefault("statements", {})
        for s in self.statements:
            value = self.cleaned_data[f"s{s.ref}"]
            statements[s.ref] = None if value == DONT_KNOW else int(value)
        comment = self.cleaned_data["comment"].strip()
        comments = draft.setdefault("comments", {})
        if comment:
            comments[str(self.principle_number)] = comment
        else:
            comments.pop(str(self.principle_number), None)
        return draft


class ExperienceForm(forms.Form):
    def __init__(self, *args, questions: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            choices = [(o, o) for o in q["options"]]
            if q["type"] == "multiple":
                self.fields[q["id"]] = forms.MultipleChoiceField(
                    choices=choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    error_messages={"invalid_choice": "Select from the options given"},
                )
            else:
                self.fields[q["id"]] = forms.ChoiceField(
                    choices=choices,
                    required=False,
                    widget=forms.RadioSelect,
                    error_messages={"invalid_choice": "Select one of the options given"},
                )

    def question_rows(self) -> list[dict]:
        """What the page shows per question: the question, its field's id, name and
        errors, and each option with its id and whether it is checked, worked out once
        here rather than by the template per option."""
        rows = []
        for q in self.questions:
            field = self[q["id"]]
            fid, current = field.auto_id, field.value()
            rows.append(
                {
                    "question": q,
                    "id": fid,
                    "name": field.html_name,
                    "errors": field.errors,
                    "options": [
                        {
                            "id": f"{fid}_{i}",
                            "value": value,
                            "label": label,
                            "checked": _contains(current, value)
                            if q["type"] == "multiple"
                            else current == value,
                        }
                        for i, (value, label) in enumerate(field.field.choices)
                    ],
                }
            )
        return rows

    def into(self, draft: dict) -> dict:
        draft = {k: dict(v) for k, v in draft.items()}
        draft["experience"] = {k: v for k, v in self.cleaned_data.items() if v}
        return draft


def _contains(values, value) -> bool:
    """`value in values` as a template's {% if value in values %} has it: False when
    there is nothing to look in."""
    try:
        return value in values
    except TypeError:
        return False
