"""`manage.py import_assessment` with a completed toolkit: the format told by content,
every doubt printed, nothing imported while anything needs checking unless
--accept-warnings, and `export_assessment --format json` of what it imported gives back
seed 002's scores and evidence exactly."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from selfassess.assessments.models import Assessment, Change, Status
from selfassess.assessments.selectors import assessment_view
from selfassess.interchange.readers import Limits, read_document

from ..hostile.common import diff, snapshot
from .test_import_pages import CLEAN, SEED_002, evidence_for
from .test_readers import FIXTURES, LINK, RESPONSES, TOOLKIT, TOTALS


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_assessment", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("name", CLEAN)
def test_each_fixture_imports_and_exports_exactly(name, framework, council, tmp_path):
    # Named without its extension: the content decides what it is.
    path = tmp_path / "toolkit"
    shutil.copy(FIXTURES / name, path)
    said = run(str(path), "--council", "example", "--title", "Baseline 2024",
               "--assessed-on", "2024-06-12")  # fmt: skip
    assessment = Assessment.objects.get()
    assert said == (
        f"Imported 'Baseline 2024' as assessment {assessment.pk} for Example District Council "
        "(28 / 50, draft)\n"
    )
    assert assessment.status == Status.DRAFT
    assert assessment.assessed_on == datetime.date(2024, 6, 12)
    assert [p.totals.total for p in assessment_view(assessment).principles] == TOTALS
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    created = Change.objects.get(assessment=assessment, field=Change.Field.CREATED)
    assert created.note == (
        f"Imported from “toolkit” (SHA-256 {sha}) with manage.py import_assessment"
    )

    out = tmp_path / "out.json"
    call_command("export_assessment", str(assessment.pk), "--format", "json", "-o", str(out),
                 stderr=io.StringIO())  # fmt: skip
    exported = json.loads(out.read_text())
    evidence = evidence_for(name)
    assert exported["responses"] == [
        {
            "ref": ref,
            "score": r["score"],
            "evidence": evidence(ref),
            "links": [LINK] if ref == "4.5" and name != "seed-002.txt" else [],
        }
        for ref, r in RESPONSES.items()
    ]
    assert exported["totals"]["overall"] == 28


@pytest.mark.parametrize("name", ["doubtful.docx", "doubtful.pdf", "doubtful.xlsx"])
def test_a_doubtful_file_is_refused_and_every_doubt_printed(name, framework, council):
    before = snapshot()
    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_assessment", str(FIXTURES / name), "--council", "example",
                     stdout=out)  # fmt: skip
    assert str(refused.value).endswith(
        "was not imported; nothing was changed. Problems:\n"
        "  - the rows above need checking; import anyway with --accept-warnings"
    )
    lines = out.getvalue().splitlines()
    assert lines[:6] == [
        "Needs checking: 1.2 (score 1): Cell shaded instead of marked",
        "Needs checking: 1.4 (no score): No mark found",
        "Needs checking: 2.3 (no score): Two marks in one row",
        "Needs checking: 3.5 (no score): “maybe” is not a score",
        "Needs checking: 5.4 (no score): Statement text not found in the document",
        "Needs checking: 5.5 (no score): “1” is written in the “Comprehensive” column",
    ]
    # Every principle whose typed total differs from its marks, principle 4 among them.
    notes = [p.note for p in read_document((FIXTURES / name).read_bytes(), name, TOOLKIT,
                                           Limits()).principles]  # fmt: skip
    assert lines[6:] == [f"Total: principle {n}: {note}" for n, note in enumerate(notes, 1)
                         if note]  # fmt: skip
    assert (
        "Total: principle 4: The document gives principle 4 a total of 8 / 10, but its marks "
        "add up to 9 / 10. The marks are used."
    ) in lines
    assert diff(before, snapshot()) == {}


def test_accept_warnings_imports_what_was_read(framework, council):
    said = run(str(FIXTURES / "doubtful.docx"), "--council", "example", "--accept-warnings")
    assert "Needs checking: 1.4 (no score): No mark found" in said
    assessment = Assessment.objects.get()
    unread = ("1.4", "2.3", "3.5", "5.4", "5.5")
    total = 28 - sum(RESPONSES[ref]["score"] for ref in unread) - RESPONSES["1.2"]["score"] + 1
    assert said.endswith(f"as assessment {assessment.pk} for Example District Council "
                         f"({total} / 50, draft)\n")  # fmt: skip
    scores = {r.statement.ref: r.score for r in assessment.responses.select_related("statement")}
    assert [scores[ref] for ref in ("1.2", "1.4", "2.3", "3.5", "5.4", "5.5")] == [
        1, None, None, None, None, None
    ]  # fmt: skip
    assert assessment.title == "Imported from doubtful.docx"
    assert assessment.assessed_on == datetime.date.today()


def test_a_toolkit_needs_a_council(framework, council):
    with pytest.raises(CommandError, match="--council SLUG is needed to import a toolkit"):
        run(str(FIXTURES / "seed-002.docx"))
    assert Assessment.objects.count() == 0


@pytest.mark.parametrize(
    "name, message",
    [
        ("scanned.pdf", "This PDF has no text layer; it looks scanned."),
        ("macros.docm", "This file contains macros, which we do not open."),
        ("corrupt.docx", "The file is damaged and cannot be opened."),
        ("not-a-toolkit.docx", "This file does not look like the Ending Abuse in Public Life"),
    ],
)
def test_a_bad_file_is_refused_with_its_reason(name, message, framework, council):
    before = snapshot()
    with pytest.raises(CommandError) as refused:
        run(str(FIXTURES / name), "--council", "example")
    assert f"{name} was not imported; nothing was changed. Problems:\n  - {message}" in str(
        refused.value
    )
    assert diff(before, snapshot()) == {}


def test_json_keeps_its_behaviour_and_takes_a_title_and_date(framework, tmp_path):
    said = run(str(SEED_002))
    first = Assessment.objects.get()
    assert said.endswith("for Example District Council (new council)\n")
    assert first.title == json.loads(SEED_002.read_text())["title"]
    path = tmp_path / "export.docx"  # a JSON file by content, whatever its name
    shutil.copy(SEED_002, path)
    run(str(path), "--council", first.council.slug, "--title", "Again",
        "--assessed-on", "2025-01-31")  # fmt: skip
    second = Assessment.objects.exclude(pk=first.pk).get()
    assert (second.title, second.assessed_on) == ("Again", datetime.date(2025, 1, 31))
    assert second.council == first.council
    note = Change.objects.get(assessment=second, field=Change.Field.CREATED).note
    assert note.startswith("Imported from “export.docx” (SHA-256 ")


def test_a_bad_date_is_refused(framework, council):
    with pytest.raises(CommandError, match="'2024-02-30' is not a real date"):
        run(str(FIXTURES / "seed-002.docx"), "--council", "example", "--assessed-on", "2024-02-30")
