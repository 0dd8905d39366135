"""The toolkit's guidance gives every statement complete, specific advice: what a Partial
and a Comprehensive score look like, evidence to show, and suggested actions for a council
starting from 0 and from 1, each with its own title. The version that carries it changes
nothing else in the toolkit."""

import copy
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).resolve().parents[2] / "src" / "selfassess" / "frameworks" / "data"
TOOLKIT = DATA / "lga-ending-abuse-2024-06.yaml"
GUIDED = DATA / "lga-ending-abuse-2024-06.1.yaml"

STATEMENT_FIELDS = {"partial", "comprehensive", "evidence", "actions"}
ACTION_FIELDS = {"title", "description", "lead", "partners", "scores"}
MAX_CHARS = {
    "partial": 600,
    "comprehensive": 600,
    "evidence": 120,
    "title": 90,
    "description": 900,
    "lead": 100,
    "partners": 200,
}
PLACEHOLDERS = (
    "put arrangements in place for statement",
    "strengthen arrangements for statement",
)
STATEMENT_NUMBER = re.compile(r"\b\d+\.\d+\b|\b(?:statement|principle)\s+\d", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")


def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def guided() -> dict:
    return load(GUIDED)


@pytest.fixture(scope="module")
def guidance(guided) -> dict:
    """Each statement's guidance, by ref."""
    return {s["ref"]: s.get("guidance") for p in guided["principles"] for s in p["statements"]}


@pytest.fixture(scope="module")
def toolkit_refs() -> list[str]:
    toolkit = load(TOOLKIT)
    return [s["ref"] for p in toolkit["principles"] for s in p["statements"]]


def test_the_guided_version_is_the_toolkit_word_for_word_plus_guidance(guided):
    """Version 2024-06.1 only adds guidance: the statements, scale, principles and survey
    that councils assessed themselves against under 2024-06 are unchanged."""
    stripped = copy.deepcopy(guided)
    for p in stripped["principles"]:
        for s in p["statements"]:
            s.pop("guidance")
    assert stripped.pop("version") == "2024-06.1"
    original = load(TOOLKIT)
    assert original.pop("version") == "2024-06"
    assert stripped == original


def all_actions(guidance: dict) -> list[tuple[str, dict]]:
    return [(ref, action) for ref, entry in guidance.items() for action in entry["actions"]]


def sentences(text: str) -> int:
    return len(SENTENCE_END.split(text.strip()))


def text_problems(where: str, field: str, value) -> list[str]:
    if not isinstance(value, str) or not value.strip():
        return [f"{where}: {field} is missing or empty"]
    if len(value) > MAX_CHARS[field]:
        return [f"{where}: {field} is {len(value)} characters, over {MAX_CHARS[field]}"]
    return []


def test_guidance_covers_exactly_the_toolkits_statements(guidance, toolkit_refs):
    assert len(toolkit_refs) == 25
    assert list(guidance) == toolkit_refs
    assert [ref for ref, entry in guidance.items() if not entry] == [], "without guidance"


def test_every_field_is_present_filled_and_within_its_length(guidance):
    problems = []
    for ref, entry in guidance.items():
        if not isinstance(entry, dict) or set(entry) != STATEMENT_FIELDS:
            problems.append(f"{ref}: fields must be exactly {sorted(STATEMENT_FIELDS)}")
            continue
        for field in ("partial", "comprehensive"):
            problems += text_problems(ref, field, entry[field])
        evidence = entry["evidence"]
        if not isinstance(evidence, list) or not 3 <= len(evidence) <= 5:
            problems.append(f"{ref}: evidence must be a list of 3 to 5 items")
        else:
            for item in evidence:
                problems += text_problems(ref, "evidence", item)
        actions = entry["actions"]
        if not isinstance(actions, list) or not 2 <= len(actions) <= 4:
            problems.append(f"{ref}: there must be 2 to 4 actions")
            continue
        for n, action in enumerate(actions, start=1):
            where = f"{ref} action {n}"
            if not isinstance(action, dict) or set(action) != ACTION_FIELDS:
                problems.append(f"{where}: fields must be exactly {sorted(ACTION_FIELDS)}")
                continue
            for field in ("title", "description", "lead", "partners"):
                problems += text_problems(where, field, action[field])
            scores = action["scores"]
            if (
                not isinstance(scores, list)
                or not scores
                or len(set(scores)) != len(scores)
                or not set(scores) <= {0, 1}
            ):
                problems.append(f"{where}: scores must be [0], [1] or [0, 1], not {scores!r}")
    assert problems == []


def test_descriptions_of_scores_and_actions_are_a_few_sentences(guidance):
    problems = []
    for ref, entry in guidance.items():
        for field in ("partial", "comprehensive"):
            if not 2 <= sentences(entry[field]) <= 3:
                problems.append(f"{ref}: {field} should be 2 or 3 sentences")
        for action in entry["actions"]:
            if not 2 <= sentences(action["description"]) <= 4:
                problems.append(f"{ref}: '{action['title']}' should be 2 to 4 sentences")
    assert problems == []


def test_every_statement_has_first_steps_and_next_steps(guidance):
    missing = [
        f"{ref}: no action for a starting score of {score}"
        for ref, entry in guidance.items()
        for score in (0, 1)
        if not any(score in action["scores"] for action in entry["actions"])
    ]
    assert missing == []


def test_first_steps_differ_from_next_steps(guidance):
    """A council at 0 and one at 1 must not be offered exactly the same actions."""
    same = [
        ref
        for ref, entry in guidance.items()
        if {a["title"] for a in entry["actions"] if 0 in a["scores"]}
        == {a["title"] for a in entry["actions"] if 1 in a["scores"]}
    ]
    assert same == []


def test_action_titles_are_unique_across_the_whole_file(guidance):
    counts = Counter(
        " ".join(action["title"].split()).casefold() for _, action in all_actions(guidance)
    )
    assert [title for title, n in counts.items() if n > 1] == []


def test_no_placeholder_wording_and_no_statement_numbers_in_titles(guidance):
    problems = []
    for ref, action in all_actions(guidance):
        for field in ("title", "description"):
            text = " ".join(action[field].split()).casefold()
            problems += [f"{ref}: {field} uses '{p}'" for p in PLACEHOLDERS if p in text]
        if STATEMENT_NUMBER.search(action["title"]):
            problems.append(f"{ref}: title '{action['title']}' names a statement number")
    assert problems == []
