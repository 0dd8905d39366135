"""Checking user-supplied documents (toolkit YAML, interchange JSON) against a JSON Schema,
with every problem named by its place in the document."""

import json
import re

import jsonschema


class Problems(Exception):
    """A document that cannot be used (a toolkit file, an assessment to import), with
    every problem found, each named by its place in the document."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,60}")
LONGEST_MESSAGE = 300


def place(path) -> str:
    """A path such as ["responses", 3, "score"] as responses[3].score. An odd key (spaces,
    line breaks, control characters, very long) is shown quoted, as JSON writes it."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif PLAIN_KEY.fullmatch(str(part)):
            out += f".{part}" if out else str(part)
        else:
            out += f"[{_short(json.dumps(str(part)), 80)}]"
    return out or "(top level)"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def schema_problems(schema: dict, data) -> list[str]:
    """Every way `data` breaks `schema`, in document order, e.g. "scale[1].value: ..."."""
    validator = jsonschema.Draft202012Validator(schema)
    return [
        f"{place(e.absolute_path)}: {_short(e.message, LONGEST_MESSAGE)}"
        for e in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path)))
    ]
