"""What a round's survey asks, worked out once per process.

A round belongs to one assessment for ever, an assessment to one toolkit version, and a
loaded toolkit is never edited (frameworks/models.py). So the pages' structure (the
principles, each one's statements in order, whether there is an experience page, and
the answer options with their hints) is the same on every request for a round, and is
kept here for the life of the process, keyed on the round's id *and* its random
`public_id`: a round deleted and another created under the same id (SQLite reuses ids
after a rollback, as in tests) is a new key. Nothing here depends on a councillor, a
ballot, a draft or an answer, and nothing changes once made, so several gunicorn
workers each holding their own copy cannot disagree.
"""

import threading
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from selfassess.frameworks.models import Framework, Principle, Statement
from selfassess.frameworks.selectors import framework_key, framework_parts

from .forms import DONT_KNOW


@dataclass(frozen=True)
class Option:
    """One radio button of a statement: the answer's value as posted, its label, and its
    hint (None for "don't know", which has none and comes after an "or" divider)."""

    value: str
    label: str
    hint: str | None


@dataclass(frozen=True)
class Questions:
    framework: Framework
    survey: dict  # the toolkit YAML's survey section; read it, never change it
    principles: tuple[Principle, ...]
    statements: tuple[tuple[Statement, ...], ...]  # per principle, in order
    has_experience: bool
    options: tuple[Option, ...]  # the same for every statement

    @property
    def last_page(self) -> int:
        return len(self.principles) + (1 if self.has_experience else 0)

    @property
    def statement_count(self) -> int:
        return sum(len(s) for s in self.statements)

    _radios: dict = field(default_factory=dict, compare=False, repr=False)

    def radios(self, fid: str, name: str, checked) -> SafeString:
        """A statement's radio buttons (feedback/_radios.html) for its field's id and
        name with the `checked` answer selected (or none): rendered the first time and
        kept, since they depend on nothing else. At most a statement's options plus one
        renderings per statement; `fid` and `name` come from the form's own fields."""
        if checked not in {o.value for o in self.options}:
            checked = None
        key = (fid, name, checked)
        html = self._radios.get(key)
        if html is None:
            options = [
                {
                    "id": f"{fid}_{i}",
                    "value": o.value,
                    "label": o.label,
                    "hint": o.hint,
                    "checked": o.value == checked,
                    "dont_know": o.value == DONT_KNOW,
                }
                for i, o in enumerate(self.options)
            ]
            rendered = render_to_string("feedback/_radios.html", {"name": name, "options": options})
            # Escaped by the template; the file's last newline is the page's.
            html = mark_safe(rendered.removesuffix("\n"))  # noqa: S308
            self._radios[key] = html
        return html


def build(framework: Framework) -> Questions:
    parts = framework_parts(framework)
    principles = tuple(parts.principles)
    by_principle: dict[int, list] = {p.pk: [] for p in principles}
    for statement in parts.statements.values():  # already in principle, position order
        by_principle[statement.principle_id].append(statement)
    survey = framework.survey
    options = [
        Option(value=str(a["value"]), label=a["label"], hint=a.get("hint", ""))
        for a in survey["answers"]
    ]
    options.append(Option(value=DONT_KNOW, label=survey["dont_know"], hint=None))
    return Questions(
        framework=framework,
        survey=survey,
        principles=principles,
        statements=tuple(tuple(by_principle[p.pk]) for p in principles),
        has_experience=bool(survey.get("experience", {}).get("questions")),
        options=tuple(options),
    )


_BY_FRAMEWORK: dict[tuple, Questions] = {}
_BY_ROUND: dict[tuple, Questions] = {}
_LOCK = threading.Lock()
_MAX_ROUNDS = 1000  # rounds open at once are far fewer; this only bounds the memory


def for_round(round_id: int, public_id, framework_id: int) -> Questions:
    """The survey of a round, from the per-process cache: one query (the toolkit's row)
    the first time a process sees the round, none after. Rounds on the same toolkit
    version share one Questions (and its rendered radio buttons)."""
    key = (round_id, public_id)
    questions = _BY_ROUND.get(key)
    if questions is None:
        framework = Framework.objects.get(pk=framework_id)
        loaded = framework_key(framework)
        with _LOCK:
            questions = _BY_FRAMEWORK.get(loaded)
            if questions is None:
                questions = _BY_FRAMEWORK[loaded] = build(framework)
            if len(_BY_ROUND) >= _MAX_ROUNDS:
                _BY_ROUND.clear()
            _BY_ROUND[key] = questions
    return questions
