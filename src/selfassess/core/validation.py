"""Checking user-supplied documents (toolkit YAML, interchange JSON) against a JSON Schema,
with every problem named by its place in the document."""

import jsonschema


def place(path) -> str:
    """A path such as ["responses", 3, "score"] as responses[3].score."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def schema_problems(schema: dict, data) -> list[str]:
    """Every way `data` breaks `schema`, in document order, e.g. "scale[1].value: ..."."""
    validator = jsonschema.Draft202012Validator(schema)
    return [
        f"{place(e.absolute_path)}: {e.message}"
        for e in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path)))
    ]
