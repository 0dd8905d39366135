"""The JSON interchange format `selfassess/assessment@1` (docs/formats.md).

export_assessment() writes an assessment with its computed totals; import_assessment()
reads one back, all or nothing: a file with any problem imports nothing, and every
problem is reported with its place in the file.
"""

import copy
import datetime
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.text import slugify

from selfassess.accounts.models import User
from selfassess.assessments import services as assessment_services
from selfassess.assessments.models import Assessment, Status
from selfassess.assessments.selectors import assessment_view
from selfassess.core.validation import Problems, place, schema_problems
from selfassess.councils.models import Council, CouncilType
from selfassess.frameworks.models import Framework
from selfassess.frameworks.selectors import framework_parts
from selfassess.plans import services as plan_services
from selfassess.plans.models import ActionStatus, Priority
from selfassess.plans.selectors import actions_for

FORMAT = "selfassess/assessment@1"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"

IMPORT_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["format", "framework", "council", "title", "assessed_on", "responses"],
    "properties": {
        "format": {"const": FORMAT},
        "framework": {
            "type": "object",
            "required": ["id", "version"],
            "properties": {"id": {"type": "string"}, "version": {"type": "string"}},
        },
        "council": {
            "type": "object",
            "required": ["name", "type"],
            "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 200},
                "type": {"enum": CouncilType.values},
            },
        },
        "title": {"type": "string", "minLength": 1, "maxLength": 200},
        "assessed_on": {"type": "string", "pattern": DATE_PATTERN},
        "status": {"enum": Status.values},
        "sign_off": {
            "type": ["object", "null"],
            "required": ["agreed_by", "agreed_on"],
            "properties": {
                "agreed_by": {"type": "string", "minLength": 1, "maxLength": 200},
                "agreed_on": {"type": "string", "pattern": DATE_PATTERN},
            },
        },
        "responses": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["ref"],
                "properties": {
                    "ref": {"type": "string"},
                    # The named toolkit's own scale, when it is loaded (import_schema).
                    "score": {"type": ["integer", "null"], "minimum": 0},
                    "evidence": {"type": "string", "maxLength": settings.EVIDENCE_MAX_LENGTH},
                    "links": {
                        "type": "array",
                        "maxItems": settings.EVIDENCE_MAX_LINKS,
                        "items": {"type": "string", "maxLength": 500},
                    },
                },
            },
        },
        "totals": {"type": "object"},
        "actions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["title", "statements"],
                "properties": {
                    "title": {"type": "string", "minLength": 1, "maxLength": 200},
                    "description": {"type": "string", "maxLength": 5000},
                    "lead": {"type": "string", "maxLength": 200},
                    "partners": {"type": "string", "maxLength": 300},
                    "target_date": {"type": ["string", "null"], "pattern": DATE_PATTERN},
                    "priority": {"enum": Priority.values},
                    "status": {"enum": ActionStatus.values},
                    "statements": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                    "updates": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["on", "text"],
                            "properties": {
                                "on": {"type": "string", "pattern": DATE_PATTERN},
                                "text": {"type": "string", "minLength": 1, "maxLength": 5000},
                            },
                        },
                    },
                },
            },
        },
    },
}


def import_schema(scale: tuple[int, ...] | None) -> dict:
    """IMPORT_SCHEMA with each score limited to the toolkit's own scale values (and
    null), when the file names a toolkit that is loaded."""
    if scale is None:
        return IMPORT_SCHEMA
    schema = copy.deepcopy(IMPORT_SCHEMA)
    item = schema["properties"]["responses"]["items"]["properties"]
    item["score"] = {"enum": [*scale, None]}
    return schema


def _named_framework(data) -> Framework | None:
    """The loaded toolkit version a decoded file names, if it names one well enough."""
    named = data.get("framework") if isinstance(data, dict) else None
    if not isinstance(named, dict):
        return None
    slug, version = named.get("id"), named.get("version")
    if not isinstance(slug, str) or not isinstance(version, str):
        return None
    return Framework.objects.filter(slug=slug, version=version).first()


@dataclass(frozen=True)
class ImportResult:
    assessment: Assessment
    council_created: bool


def export_assessment(assessment: Assessment) -> dict:
    view = assessment_view(assessment)
    totals: dict[str, int] = {str(p.principle.number): p.totals.total for p in view.principles}
    totals |= {
        "overall": view.totals.total,
        "max": view.totals.maximum,
        "unscored": view.totals.unscored,
    }
    data = {
        "format": FORMAT,
        "framework": {"id": assessment.framework.slug, "version": assessment.framework.version},
        "council": {"name": assessment.council.name, "type": assessment.council.type},
        "title": assessment.title,
        "assessed_on": assessment.assessed_on.isoformat(),
        "status": assessment.status,
        "sign_off": (
            {"agreed_by": assessment.agreed_by, "agreed_on": assessment.agreed_on.isoformat()}
            if assessment.is_complete
            else None
        ),
        "responses": [
            {
                "ref": r.statement.ref,
                "score": r.score,
                "evidence": r.evidence,
                "links": list(r.links),
            }
            for p in view.principles
            for r in p.responses
        ],
        "totals": totals,
        "actions": [
            {
                "title": a.title,
                "description": a.description,
                "lead": a.lead,
                "partners": a.partners,
                "target_date": a.target_date.isoformat() if a.target_date else None,
                "priority": a.priority,
                "status": a.status,
                "statements": [s.ref for s in a.statements.all()],
                "updates": [
                    {"on": u.on.isoformat(), "text": u.text}
                    for u in sorted(a.updates.all(), key=lambda u: (u.on, u.pk))
                ],
            }
            for a in actions_for(assessment).prefetch_related("updates").order_by("pk")
        ],
    }
    return data


def export_json(assessment: Assessment) -> str:
    return json.dumps(export_assessment(assessment), ensure_ascii=False, indent=2) + "\n"


def _date(value: str, place: str, problems: list[str]) -> datetime.date | None:
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        problems.append(f"{place}: {value!r} is not a real date (YYYY-MM-DD)")
        return None
    if not 1900 <= day.year <= 2200:
        problems.append(f"{place}: {value!r} is outside the years 1900 to 2200")
        return None
    return day


def parse_import(text: str) -> dict:
    """Decode and check a file; raise Problems listing every problem found."""
    text = text.removeprefix("\ufeff")  # a byte-order mark, as Windows Notepad writes
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Problems([f"line {exc.lineno}, column {exc.colno}: {exc.msg}"]) from exc
    except RecursionError as exc:
        raise Problems(["the file is nested too deeply to be an assessment"]) from exc
    except ValueError as exc:  # an integer of thousands of digits
        raise Problems([f"the file holds a number that is far too long ({exc})"]) from exc
    framework = _named_framework(data)
    scale = framework_parts(framework).values if framework else None
    problems = schema_problems(import_schema(scale), data)
    if problems:
        raise Problems(problems)
    for i, response in enumerate(data["responses"]):
        if isinstance(response.get("score"), float):
            problems.append(
                f"responses[{i}].score: must be a whole number or null, not {response['score']}"
            )
    _check_text(data, [], problems)
    for where, value in [
        ("title", data["title"]),
        ("council.name", data["council"]["name"]),
        ("sign_off.agreed_by", (data.get("sign_off") or {}).get("agreed_by", "x")),
    ]:
        if not value.strip():
            problems.append(f"{where}: must not be blank")
    if problems:
        raise Problems(problems)
    return data


def _check_text(value, path: list, problems: list[str]) -> None:
    """Every string must be storable: no NUL characters, no unpaired surrogates."""
    if isinstance(value, str):
        if "\x00" in value:
            problems.append(f"{place(path)}: contains a NUL character, which cannot be stored")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            problems.append(f"{place(path)}: contains characters that are not valid Unicode")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(item, [*path, key], problems)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_text(item, [*path, i], problems)


@transaction.atomic
def import_assessment(
    text: str,
    *,
    council: Council | None = None,
    user: User | None = None,
    title: str | None = None,
    assessed_on: datetime.date | None = None,
    note: str = "Imported from a file",
) -> ImportResult:
    """Import a file all or nothing (Problems names every problem). title and
    assessed_on, when given, stand in for the file's own; note is the history entry's."""
    data = parse_import(text)
    problems: list[str] = []
    framework = Framework.objects.filter(
        slug=data["framework"]["id"], version=data["framework"]["version"]
    ).first()
    if framework is None:
        problems.append(
            f"framework: {data['framework']['id']} {data['framework']['version']} is not loaded"
        )
    if assessed_on is None:
        assessed_on = _date(data["assessed_on"], "assessed_on", problems)
    status = data.get("status", Status.DRAFT)
    sign_off = data.get("sign_off")
    agreed_on = None
    if status == Status.COMPLETE and not sign_off:
        problems.append("sign_off: a complete assessment needs agreed_by and agreed_on")
    if sign_off:
        agreed_on = _date(sign_off["agreed_on"], "sign_off.agreed_on", problems)

    statements = {s.ref: s for s in framework.statements.all()} if framework else {}
    seen: set[str] = set()
    url_ok = URLValidator(schemes=["http", "https"])
    for i, item in enumerate(data["responses"]):
        ref = item["ref"]
        if framework and ref not in statements:
            problems.append(f"responses[{i}].ref: {ref!r} is not a statement of this toolkit")
        if ref in seen:
            problems.append(f"responses[{i}].ref: {ref!r} appears more than once")
        seen.add(ref)
        for j, link in enumerate(item.get("links", [])):
            try:
                url_ok(link)
            except ValidationError:
                problems.append(f"responses[{i}].links[{j}]: {link!r} is not a web address")
    if status == Status.COMPLETE and framework:
        missing = [
            r
            for r in statements
            if r not in {item["ref"] for item in data["responses"] if item.get("score") is not None}
        ]
        if missing:
            problems.append(
                f"status: a complete assessment needs every statement scored; "
                f"unscored: {', '.join(missing)}"
            )
    for i, action in enumerate(data.get("actions", [])):
        for j, ref in enumerate(action["statements"]):
            if framework and ref not in statements:
                problems.append(
                    f"actions[{i}].statements[{j}]: {ref!r} is not a statement of this toolkit"
                )
        if action.get("target_date"):
            _date(action["target_date"], f"actions[{i}].target_date", problems)
        for j, update in enumerate(action.get("updates", [])):
            _date(update["on"], f"actions[{i}].updates[{j}].on", problems)
            if not update["text"].strip():
                problems.append(f"actions[{i}].updates[{j}].text: must not be blank")
        if not action["title"].strip():
            problems.append(f"actions[{i}].title: must not be blank")
    if problems:
        raise Problems(problems)

    council_created = False
    if council is None:
        council = Council.objects.filter(name__iexact=data["council"]["name"]).first()
        if council is None:
            council = Council.objects.create(
                name=data["council"]["name"],
                slug=_free_slug(data["council"]["name"]),
                type=data["council"]["type"],
            )
            council_created = True

    given = {item["ref"]: item for item in data["responses"]}
    assessment = assessment_services.create_assessment(
        council=council,
        user=user,
        title=title or data["title"],
        assessed_on=assessed_on,
        framework=framework,
        values={
            ref: assessment_services.Values(
                item.get("score"), item.get("evidence", ""), tuple(item.get("links", []))
            )
            for ref, item in given.items()
        },
        note=note,
        sign_off=(
            assessment_services.SignOff(sign_off["agreed_by"], agreed_on)
            if status == Status.COMPLETE
            else None
        ),
    )
    for item in data.get("actions", []):
        action = plan_services.create_action(
            assessment=assessment,
            user=user,
            data=plan_services.ActionInput(
                title=item["title"],
                description=item.get("description", ""),
                lead=item.get("lead", ""),
                partners=item.get("partners", ""),
                target_date=(
                    datetime.date.fromisoformat(item["target_date"])
                    if item.get("target_date")
                    else None
                ),
                priority=item.get("priority", Priority.MEDIUM),
                status=item.get("status", ActionStatus.NOT_STARTED),
                refs=item["statements"],
            ),
        )
        for update in item.get("updates", []):
            plan_services.add_progress(
                action=action,
                user=user,
                on=datetime.date.fromisoformat(update["on"]),
                text=update["text"],
            )
    return ImportResult(assessment=assessment, council_created=council_created)


def _free_slug(name: str) -> str:
    base = slugify(name)[:90] or "council"
    slug, n = base, 1
    while Council.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
