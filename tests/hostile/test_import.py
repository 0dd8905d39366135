"""Hostile files at the JSON import: never a crash, always a clear list of problems, and
a refused file changes nothing.

A JSON file comes in through `manage.py import_assessment FILE [--council SLUG]`
(docs/formats.md), so that is what these tests drive, with the file written to disk as
bytes (the import page, and hostile toolkit documents, are in test_forms.py).
Hypothesis mutates the valid seed-002 document: random subtrees replaced by random JSON
values or hostile strings, keys deleted or added, items repeated, the whole text
truncated, re-encoded, prefixed with a byte-order mark, sprinkled with bytes that are
not UTF-8, or replaced by bytes that are not JSON at all. Each example runs in a
savepoint that is rolled back.

Per example:
- the command either imports ("Imported ...": one new assessment with a response per
  statement, which exports to a file that imports again), or refuses with CommandError
  "<file> was not imported; nothing was changed. Problems:" and at least one problem,
  or "Cannot read <file>" for bytes that are not UTF-8;
- any other exception is a failure;
- when refused, no row of any table changed.
"""

import copy
import io
import json
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from selfassess.assessments.models import Assessment
from selfassess.interchange.json_format import export_json, parse_import

from .common import HOSTILE_SETTINGS, NASTY, diff, long_text, snapshot, text_chars

MAX_EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "300"))
REFUSED = "was not imported; nothing was changed. Problems:\n"

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(NASTY),
    st.text(text_chars, max_size=30),
    st.sampled_from(["1.1", "9.9", "2024-02-30", "2024-06-12", "draft", "complete", "high"]),
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(text_chars, max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def paths(node, here=()):
    """Every place in a JSON document, as a tuple of keys and indexes."""
    yield here
    if isinstance(node, dict):
        for k, v in node.items():
            yield from paths(v, (*here, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from paths(v, (*here, i))


def get(node, path):
    for part in path:
        node = node[part]
    return node


@st.composite
def mutated_documents(draw, seed: dict):
    doc = copy.deepcopy(seed)
    # Sometimes start from a richer document: a plan, a sign-off, links.
    if draw(st.booleans()):
        doc["status"] = "complete"
        doc["sign_off"] = {"agreed_by": "Standards Committee", "agreed_on": "2024-06-20"}
        doc["responses"][0]["links"] = ["https://example.org/policy"]
        doc["actions"] = [
            {
                "title": "Name a police contact",
                "description": "Agree one",
                "lead": "Chief Executive",
                "partners": "Police",
                "target_date": "2025-06-30",
                "priority": "high",
                "status": "in_progress",
                "statements": ["4.2", "4.4"],
                "updates": [{"on": "2025-01-10", "text": "Met the inspector"}],
            }
        ]
    for _ in range(draw(st.integers(0, 4))):
        places = list(paths(doc))
        path = draw(st.sampled_from(places))
        op = draw(st.sampled_from(["replace", "hostile", "delete", "add", "repeat", "long"]))
        if not path:
            if op == "replace":
                doc = draw(json_values)
            continue
        parent, key = get(doc, path[:-1]), path[-1]
        if op == "replace":
            parent[key] = draw(json_values, label="value")
        elif op == "hostile":
            parent[key] = draw(st.sampled_from(NASTY))
        elif op == "long":
            parent[key] = draw(long_text(150, 20_000))
        elif op == "delete":
            del parent[key]
        elif op == "add" and isinstance(parent, dict):
            parent[draw(st.text(text_chars, max_size=10))] = draw(json_values)
        elif op == "repeat" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
    return doc


@st.composite
def hostile_files(draw, seed: dict) -> bytes:
    doc = draw(mutated_documents(seed))
    text = json.dumps(doc, ensure_ascii=draw(st.booleans()), indent=draw(st.none() | st.just(2)))
    how = draw(
        st.sampled_from(
            ["as is"] * 6
            + ["truncate", "bad bytes", "bom", "utf-16", "not json", "nan", "escape", "dup", "deep"]
        )
    )
    if how == "truncate":
        return text.encode()[: draw(st.integers(0, len(text.encode())))]
    if how == "bad bytes":
        raw = text.encode()
        at = draw(st.integers(0, len(raw)))
        junk = draw(st.sampled_from([b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\x80", b"\xfe\xff"]))
        return raw[:at] + junk + raw[at:]
    if how == "bom":
        return b"\xef\xbb\xbf" + text.encode()
    if how == "utf-16":
        return text.encode("utf-16")
    if how == "not json":
        return draw(st.binary(max_size=300) | st.sampled_from([b"", b"null", b"[]", b"{}", b'"x"']))
    if how == "nan":
        for word in ("NaN", "Infinity", "-Infinity"):
            text = text.replace('"score": 1,', f'"score": {word},', 1)
        return text.encode()
    if how == "escape":  # a lone surrogate, escaped: valid JSON, not storable text
        return text.replace('"title": "', '"title": "\\ud800', 1).encode()
    if how == "dup":
        return text.replace("{", '{"title": "first", ', 1).encode()
    # Nested arrays where the document allows any object ("totals"). Deeper nesting than
    # Python's recursion limit is a known bug: see test_deeply_nested_file_is_refused.
    depth = draw(st.integers(1, 400))
    return text.replace(
        '"totals": {', '"totals": {"x": ' + "[" * depth + "]" * depth + ", ", 1
    ).encode()


def run_import(path, council_slug=None):
    """Run the command; return ("imported", output) or ("refused", message)."""
    out = io.StringIO()
    args = [str(path)] + (["--council", council_slug] if council_slug else [])
    try:
        call_command("import_assessment", *args, stdout=out)
    except CommandError as exc:
        return "refused", str(exc)
    return "imported", out.getvalue()


def check_file(path, raw: bytes, council_slug, before) -> None:
    path.write_bytes(raw)
    with transaction.atomic():
        assessments = Assessment.objects.count()
        outcome, message = run_import(path, council_slug)
        if outcome == "imported":
            assert message.startswith("Imported "), message
            assert Assessment.objects.count() == assessments + 1
            new = Assessment.objects.order_by("-pk").first()
            assert new.responses.count() == new.framework.statements.count()
            parse_import(export_json(new))  # what was imported exports as a valid file
        else:
            if message.startswith(f"Cannot read {path}"):
                assert "codec can't decode" in message, message
            else:
                assert message.startswith(f"{path} {REFUSED}"), message[:500]
                listed = message.split(REFUSED, 1)[1]
                assert listed.startswith("  - "), message[:500]
                problems = listed[4:].split("\n  - ")
                assert all(p.strip() for p in problems), message[:500]
            changed = diff(before, snapshot())
            assert not changed, f"refused ({message[:300]}) but rows changed: {changed}"
        transaction.set_rollback(True)


@pytest.fixture
def import_target(world, tmp_path):
    return tmp_path / "assessment.json"


def test_the_seed_file_imports(world, import_target, seed002):
    before = snapshot()
    import_target.write_text(json.dumps(seed002), encoding="utf-8")
    assert run_import(import_target)[0] == "imported"
    assert diff(before, snapshot())


@pytest.mark.parametrize("into", ["found by name", "--council"])
def test_hostile_files_import_cleanly_or_change_nothing(into, world, import_target, seed002):
    slug = world["council"].slug if into == "--council" else None
    before = snapshot()

    def run(raw):
        check_file(import_target, raw, slug, before)

    examples = MAX_EXAMPLES // 2
    settings(HOSTILE_SETTINGS, max_examples=examples)(given(raw=hostile_files(seed002))(run))()


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"\xff\xfe", id="not UTF-8"),
        pytest.param(b"", id="empty"),
        pytest.param(b"\x00" * 10, id="NUL bytes"),
        pytest.param(b'{"format": "selfassess/assessment@1", "title": "\\u0000"}', id="NUL"),
    ],
)
def test_small_hostile_files_are_refused(raw, world, import_target):
    before = snapshot()
    import_target.write_bytes(raw)
    outcome, message = run_import(import_target)
    assert outcome == "refused"
    assert diff(before, snapshot()) == {}


def test_deeply_nested_file_is_refused(world, import_target, seed002):
    text = json.dumps(seed002).replace('"totals": {', '"totals": {"x": ' + "[" * 100_000, 1)
    import_target.write_text(text, encoding="utf-8")
    assert run_import(import_target)[0] == "refused"


def test_huge_integer_is_refused(world, import_target, seed002):
    text = json.dumps(seed002).replace('"score": 1,', '"score": ' + "1" * 5000 + ",", 1)
    import_target.write_text(text, encoding="utf-8")
    assert run_import(import_target)[0] == "refused"
