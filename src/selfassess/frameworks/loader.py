"""Validate a framework definition file and load it as Framework rows.

A file is checked against FRAMEWORK_SCHEMA and a few rules the schema cannot express
(numbering, unique refs). Loading is idempotent: the same content under the same version
is a no-op, different content under an existing version is refused, so an assessment's
statements never change under it.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction

from selfassess.core.validation import Problems, schema_problems

from .models import Framework, Principle, ScaleLevel, Statement
from .schema import FRAMEWORK_SCHEMA

BUNDLED_FRAMEWORK = Path(__file__).resolve().parent / "data" / "lga-ending-abuse-2024-06.yaml"


@dataclass(frozen=True)
class LoadResult:
    framework: Framework
    created: bool


def parse_framework_file(path: Path) -> dict:
    """Read and validate a definition file; raise Problems listing every problem."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
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
    if problems:
        raise Problems(problems)
    return data


def content_hash(data: dict) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


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
                framework=framework, principle=principle, ref=s["ref"], position=j, text=s["text"]
            )
            for j, s in enumerate(p["statements"], start=1)
        )
    return LoadResult(framework, created=True)
