"""Validate a framework definition file and load it as Framework rows.

A file is checked against FRAMEWORK_SCHEMA and a few rules the schema cannot express
(numbering, unique refs, suggested actions for scores on the scale and with titles of
their own). Loading is idempotent: the same content under the same version is a no-op,
different content under an existing version is refused, so an assessment's statements
never change under it.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction

from selfassess.core.validation import Problems, schema_problems

from .guidance import GENERAL_KEY, action_key
from .models import Framework, Principle, ScaleLevel, Statement
from .schema import FRAMEWORK_SCHEMA

DATA = Path(__file__).resolve().parent / "data"
# Every bundled toolkit version, oldest first. `manage.py load_framework` with no file
# loads them all, so that a file naming an older version can still be imported, and new
# assessments use the newest (selectors.current_framework).
BUNDLED_FRAMEWORKS = (
    DATA / "lga-ending-abuse-2024-06.yaml",
    DATA / "lga-ending-abuse-2024-06.1.yaml",  # 2024-06 with the statements' guidance
)
BUNDLED_FRAMEWORK = BUNDLED_FRAMEWORKS[-1]


@dataclass(frozen=True)
class LoadResult:
    framework: Framework
    created: bool


def parse_framework_file(path: Path) -> dict:
    """Read and validate a definition file; raise Problems listing every problem."""
    try:
        # libyaml's parser where it is installed: ten times quicker on a toolkit with
        # guidance, and the same result.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
    except OSError as exc:
        raise Problems([f"cannot read {path}: {exc.strerror}"]) from exc
    except yaml.YAMLError as exc:
        raise Problems([f"not valid YAML: {exc}"]) from exc
    if isinstance(data, dict) and isinstance(data.get("published_on"), datetime.date):
        data["published_on"] = data["published_on"].isoformat()
    return validate_framework(data)


def validate_framework(data) -> dict:
    problems = schema_problems(FRAMEWORK_SCHEMA, data)
    if problems:
        raise Problems(problems)

    values = [level["value"] for level in data["scale"]]
    if values != list(range(len(values))):
        problems.append("scale: values must run 0, 1, 2, ... in order")
    if "survey" in data:
        answers = [a["value"] for a in data["survey"]["answers"]]
        if answers != values:
            problems.append("survey.answers: values must match the scale's values")
        ids = [q["id"] for q in data["survey"].get("experience", {}).get("questions", [])]
        if len(ids) != len(set(ids)):
            problems.append("survey.experience.questions: each id must be used once")
    seen_refs: set[str] = set()
    for i, principle in enumerate(data["principles"]):
        if principle["number"] != i + 1:
            problems.append(
                f"principles[{i}].number: expected {i + 1}, found {principle['number']}"
            )
        for j, statement in enumerate(principle["statements"]):
            expected = f"{principle['number']}.{j + 1}"
            place = f"principles[{i}].statements[{j}].ref"
            if statement["ref"] != expected:
                problems.append(f"{place}: expected {expected!r}, found {statement['ref']!r}")
            if statement["ref"] in seen_refs:
                problems.append(f"{place}: {statement['ref']!r} is used twice")
            seen_refs.add(statement["ref"])
            if "guidance" in statement:
                problems += _guidance_problems(
                    f"principles[{i}].statements[{j}].guidance", statement["guidance"], values
                )
    problems += _key_problems(data)
    if problems:
        raise Problems(problems)
    return data


def _guidance_problems(where: str, guidance: dict, values: list[int]) -> list[str]:
    """A suggested action suits scores below the top of the scale: a statement at the
    top has no gap to close."""
    below_top = values[:-1]
    return [
        f"{where}.actions[{k}].scores: {score} is not a score below the top of the scale "
        f"({', '.join(map(str, below_top))})"
        for k, action in enumerate(guidance["actions"])
        for score in action["scores"]
        if score not in below_top
    ]


def _key_problems(data: dict) -> list[str]:
    """Each suggested action's title makes a key (its slug) that no other action in the
    toolkit makes: a decision about a suggestion is recorded under it."""
    problems = []
    seen: dict[str, str] = {}
    for i, principle in enumerate(data["principles"]):
        for j, statement in enumerate(principle["statements"]):
            for k, action in enumerate(statement.get("guidance", {}).get("actions", [])):
                where = f"principles[{i}].statements[{j}].guidance.actions[{k}].title"
                key = action_key(action["title"])
                if not key or key == GENERAL_KEY:
                    problems.append(f"{where}: {action['title']!r} cannot name a suggestion")
                elif key in seen:
                    problems.append(
                        f"{where}: {action['title']!r} is too like {seen[key]!r}; give each "
                        "suggested action a title of its own"
                    )
                else:
                    seen[key] = action["title"]
    return problems


def content_hash(data: dict) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load_bundled() -> list[LoadResult]:
    """Load every bundled toolkit version, oldest first (each a no-op once loaded)."""
    return [load_framework(path) for path in BUNDLED_FRAMEWORKS]


@transaction.atomic
def load_framework(path: Path) -> LoadResult:
    data = parse_framework_file(path)
    digest = content_hash(data)
    existing = Framework.objects.filter(slug=data["id"], version=data["version"]).first()
    if existing is not None:
        if existing.content_hash != digest:
            raise Problems(
                [
                    f"version: {data['id']} {data['version']} is already loaded with different "
                    "content; publish the changed toolkit under a new version"
                ]
            )
        return LoadResult(existing, created=False)

    framework = Framework.objects.create(
        slug=data["id"],
        version=data["version"],
        title=data["title"],
        subtitle=data.get("subtitle", ""),
        publisher=data.get("publisher", ""),
        published_on=data.get("published_on"),
        aim=data["aim"],
        content_hash=digest,
        survey=data.get("survey", {}),
    )
    ScaleLevel.objects.bulk_create(
        ScaleLevel(framework=framework, **level) for level in data["scale"]
    )
    for p in data["principles"]:
        principle = Principle.objects.create(
            framework=framework,
            number=p["number"],
            title=p["title"],
            theme=p["theme"],
            description=p["description"],
        )
        Statement.objects.bulk_create(
            Statement(
                framework=framework,
                principle=principle,
                ref=s["ref"],
                position=j,
                text=s["text"],
                guidance=s.get("guidance", {}),
            )
            for j, s in enumerate(p["statements"], start=1)
        )
    return LoadResult(framework, created=True)
