"""The readers: a council's completed toolkit, as Word, PDF, Excel or extracted text,
read back as seed 002's scores and evidence; doubtful rows and bad files reported.

The fixtures are in tests/fixtures/toolkit/, made from seed 002's data by
make_fixtures.py there (which says what each adds). No database: the toolkit is built
from the YAML file directly.
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from selfassess.interchange.readers import Limits, ReadError, Reading, Toolkit, read_document
from selfassess.interchange.readers.evidence import take_links
from selfassess.interchange.readers.marks import Mark, MarkReader
from selfassess.interchange.readers.matching import CLEAR, LOOSE, StatementMatcher

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "toolkit"
YAML = ROOT / "src" / "selfassess" / "frameworks" / "data" / "lga-ending-abuse-2024-06.yaml"
SEED = json.loads((ROOT / "tests" / "fixtures" / "seed-002-assessment.json").read_text())
RESPONSES = {r["ref"]: r for r in SEED["responses"]}
TOTALS = [3, 3, 7, 9, 6]

# What make_fixtures.VARIATIONS adds to seed 002 in the Word, PDF and Excel fixtures.
LINK = "https://www.example.gov.uk/community-safety-partnership"
SPLIT_REF, SPLIT_AFTER = "5.2", "'Debate Not Hate'. "
NOTE = (
    "Note from the Monitoring Officer: the Standards Committee agreed these scores on "
    "12 June 2024."
)


def load_toolkit() -> Toolkit:
    data = yaml.safe_load(YAML.read_text(encoding="utf-8"))
    return Toolkit(
        title=data["title"],
        levels=[(level["value"], level["label"]) for level in data["scale"]],
        principles=[(p["number"], p["title"]) for p in data["principles"]],
        statements=[
            (s["ref"], p["number"], s["text"]) for p in data["principles"] for s in p["statements"]
        ],
        level_names={level["value"]: [level["long_label"]] for level in data["scale"]},
    )


TOOLKIT = load_toolkit()
STATEMENTS = {ref: text for ref, _, text in TOOLKIT.statements}


def read(name: str, limits: Limits | None = None) -> Reading:
    path = FIXTURES / name
    return read_document(path.read_bytes(), path.name, TOOLKIT, limits or Limits())


def refused(data: bytes, limits: Limits | None = None) -> list[str]:
    with pytest.raises(ReadError) as error:
        read_document(data, "upload", TOOLKIT, limits or Limits())
    return error.value.problems


def expected_evidence(ref: str) -> str:
    """Seed 002's evidence as the Word, PDF and Excel fixtures carry it: 5.2's is two
    paragraphs there, kept as two."""
    evidence = RESPONSES[ref]["evidence"]
    if ref == SPLIT_REF:
        first, rest = evidence.split(SPLIT_AFTER)
        return f"{first}{SPLIT_AFTER.rstrip()}\n\n{rest}"
    return evidence


def assert_seed_002(reading: Reading, evidence=expected_evidence) -> None:
    assert [row.ref for row in reading.rows] == list(STATEMENTS)
    for row in reading.rows:
        assert row.score == RESPONSES[row.ref]["score"], row.ref
        assert row.evidence == evidence(row.ref), row.ref
        assert row.status == "clear", (row.ref, row.reasons)
        assert row.reasons == []
    assert [p.marks_total for p in reading.principles] == TOTALS
    assert reading.total == 28
    assert reading.maximum == 50
    assert reading.problems == []
    assert reading.clear


# The clean fixtures -------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, format",
    [
        ("seed-002.docx", "docx"),
        ("seed-002.pdf", "pdf"),
        ("seed-002-toolkit.xlsx", "xlsx"),
    ],
)
def test_toolkit_layout_reads_as_seed_002(name, format):
    reading = read(name)
    assert reading.format == format
    assert_seed_002(reading)
    by_ref = {row.ref: row for row in reading.rows}
    # The bare address in 4.5's evidence went to its links (in the PDF it had wrapped
    # over a page break, "community-safety-" / "partnership").
    assert by_ref["4.5"].links == [LINK]
    assert all(row.links == [] for row in reading.rows if row.ref != "4.5")
    # Statement 2.5 runs over a page break: both parts were joined.
    assert by_ref["2.5"].found_text.endswith("to adapt strategies as needed and ensure "
                                             "ongoing safety and wellbeing.")
    # The typed totals were read, and agree with the marks.
    assert [p.typed_total for p in reading.principles] == TOTALS
    assert all(p.note == "" for p in reading.principles)
    # The council's own note row is listed, not imported.
    assert reading.extra_rows == [NOTE]


def test_columns_layout_reads_as_seed_002():
    reading = read("seed-002-columns.xlsx")
    assert_seed_002(reading)
    assert {row.ref: row.links for row in reading.rows}["4.5"] == [LINK]
    # This layout has no typed totals.
    assert [p.typed_total for p in reading.principles] == [None] * 5


def test_seed_002_text_reads_as_seed_002():
    """The extracted text of seed 002 itself. A line is a table row there, so a cell
    cannot hold two paragraphs; seed 002's evidence has none, so every statement's
    evidence must come back exactly, including the two cut by page breaks (2.5 and 3.4,
    whose second halves sit in a different column from the first)."""
    assert not any("\n" in r["evidence"] for r in SEED["responses"])
    reading = read("seed-002.txt")
    assert reading.format == "text"
    assert_seed_002(reading, evidence=lambda ref: RESPONSES[ref]["evidence"])
    assert [p.typed_total for p in reading.principles] == TOTALS
    assert reading.extra_rows == []


def test_format_is_told_by_content_not_name():
    data = (FIXTURES / "seed-002.docx").read_bytes()
    assert read_document(data, "toolkit.pdf", TOOLKIT, Limits()).format == "docx"


def test_json_is_handed_back_unread():
    data = json.dumps(SEED).encode()
    reading = read_document(data, "assessment.docx", TOOLKIT, Limits())
    assert reading.format == "json"
    assert reading.rows == [] and reading.principles == []


# Doubtful rows --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["doubtful.docx", "doubtful.pdf", "doubtful.xlsx"])
def test_each_doubt_is_reported_on_its_row(name):
    reading = read(name)
    rows = {row.ref: row for row in reading.rows}
    doubts = {ref: (row.score, row.reasons) for ref, row in rows.items() if row.status == "check"}
    assert doubts == {
        # Shaded, nothing written: the shaded level is offered, to be checked.
        "1.2": (1, ["Cell shaded instead of marked"]),
        "1.4": (None, ["No mark found"]),
        "2.3": (None, ["Two marks in one row"]),
        "3.5": (None, ["“maybe” is not a score"]),
        "5.4": (None, ["Statement text not found in the document"]),
        "5.5": (None, ["“1” is written in the “Comprehensive” column"]),
    }
    for ref, row in rows.items():
        if ref not in doubts:
            assert row.score == RESPONSES[ref]["score"], ref
            assert row.evidence == expected_evidence(ref), ref
    four = reading.principles[3]
    assert (four.typed_total, four.marks_total) == (8, 9)
    assert four.note == (
        "The document gives principle 4 a total of 8 / 10, but its marks add up to 9 / 10. "
        "The marks are used."
    )
    # Principle 1's typed 3 is now more than its marks (1.4 has no mark): said too.
    assert "1 of its statements has no score read" in reading.principles[0].note
    assert not reading.clear


# Files that cannot be read ---------------------------------------------------------------


@pytest.mark.parametrize(
    "name, message",
    [
        (
            "scanned.pdf",
            "This PDF has no text layer; it looks scanned. Export it from Word as PDF or "
            "upload the Word file; we do not read scanned images.",
        ),
        (
            "encrypted.pdf",
            "This PDF is protected with a password, so it cannot be read. Export it again "
            "from Word without a password, or upload the Word file.",
        ),
        (
            "password-protected.docx",
            "This file is protected with a password, so it cannot be read. Save a copy "
            "without the password and upload that.",
        ),
        (
            "corrupt.docx",
            "The file is damaged and cannot be opened. Save it again from Word or Excel and "
            "upload the new copy.",
        ),
        (
            "macros.docm",
            "This file contains macros, which we do not open. Save it as a Word Document "
            "(.docx) and upload that.",
        ),
        (
            "attached-template.docx",
            "This file links to files outside it (an attached template), which we do not "
            "open. Remove the links, save it and upload it again.",
        ),
        (
            "not-a-toolkit.docx",
            "This file does not look like the Ending Abuse in Public Life toolkit: none of "
            "its 25 statements were found in it.",
        ),
    ],
)
def test_bad_file_is_refused_with_its_reason(name, message):
    assert refused((FIXTURES / name).read_bytes()) == [message]


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_declaring_a_huge_member_is_refused_before_unpacking():
    """A small file whose directory says a member unpacks to 3 GB."""
    data = bytearray(zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}))
    central = data.rfind(b"PK\x01\x02")  # the last member's directory entry
    data[central + 24 : central + 28] = struct.pack("<I", 3_000_000_000)
    assert len(data) < 1000
    assert refused(bytes(data)) == [
        "The file would unpack to more than 100 MB, far more than a toolkit needs; we do not "
        "open it."
    ]


def test_zip_packed_like_a_bomb_is_refused():
    data = zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": bytes(5_000_000)})
    assert refused(data) == [
        "Part of the file (word/document.xml) is packed far more tightly than a real "
        "document is; we do not open it."
    ]


def test_unpacked_total_is_limited():
    data = (FIXTURES / "seed-002.docx").read_bytes()
    problems = refused(data, Limits(max_uncompressed=100_000))
    assert problems == [
        "The file would unpack to more than 0.1 MB, far more than a toolkit needs; we do not "
        "open it."
    ]


def test_file_over_the_size_limit_is_refused_unread():
    assert refused(b"%PDF-1.7\n" + bytes(21 * 1024 * 1024)) == [
        "The file is 21 MB; the largest file we read is 20 MB."
    ]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "We cannot read this kind of file."),
        (b"{\\rtf1\\ansi Hello}", "This is a Rich Text (.rtf) file."),
        (zip_of({"mimetype": b"application/vnd.oasis.opendocument.text"}),
         "This is an OpenDocument file."),
        (zip_of({"readme.txt": b"hello"}), "This zip file is not a Word document"),
        (b"Just a note about the allotments.\tNothing else.\n", "This file does not look like"),
    ],
)
def test_other_files_are_refused(data, message):
    assert refused(data)[0].startswith(message)


# Matching statements by their text ------------------------------------------------------

MATCHER = StatementMatcher([(ref, text) for ref, text in STATEMENTS.items()])


@pytest.mark.parametrize(
    "text, ref",
    [
        # Line breaks and hyphenation from a narrow column.
        ("We promote a culture of self-\ncare among councillors, encouraging bound-\nary "
         "setting, stress management techniques, and healthy coping strategies.", "1.3"),
        # Words split and letters misread by a PDF extraction, curly quotes.
        ("We provide council lors with guidance and advice to mitigate against specific "
         "risks identified through their own risk assessrnent.", "2.2"),
        ("We equip and resource council staff to provide support to councillors who "
         "experience “abuse” and help them to navigate the reporting process.", "3.4"),
        # A small edit: one word changed, one added.
        ("We regularly review and evaluate the effectiveness of the process, soliciting "
         "feedback from members and stakeholders to identify areas for improvement.", "3.5"),
    ],
)
def test_statement_found_despite_damage_and_small_edits(text, ref):
    match = MATCHER.best(text)
    assert match is not None and match.ref == ref
    assert match.is_clear


def test_the_two_most_alike_statements_are_told_apart():
    for ref, other in (("1.5", "3.5"), ("3.5", "1.5")):
        match = MATCHER.best(STATEMENTS[ref])
        assert match.ref == ref and match.is_clear
        assert match.runner_up == pytest.approx(MATCHER.similarity(STATEMENTS[ref], other))
        assert 0.8 < match.runner_up < CLEAR


REWORDED_1_5 = (
    "We regularly evaluate the effectiveness of the wellbeing support programme, asking "
    "councillors and stakeholders for feedback to identify areas for improvement and "
    "enhancement."
)


def test_reworded_statement_is_matched_but_not_clear():
    match = MATCHER.best(REWORDED_1_5)
    assert match.ref == "1.5"
    assert LOOSE <= match.similarity < CLEAR
    assert not match.is_clear


def test_reworded_statement_row_is_read_and_flagged():
    text = (FIXTURES / "seed-002.txt").read_text().replace(STATEMENTS["1.5"], REWORDED_1_5)
    reading = read_document(text.encode(), "x", TOOLKIT, Limits())
    row = reading.rows[4]
    assert (row.ref, row.score, row.found_text) == ("1.5", 0, REWORDED_1_5)
    assert row.reasons == [
        "The statement’s wording differs from the toolkit’s: check it is the same statement"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "We regularly evaluate our wellbeing offer for councillors, asking them what could be "
        "better.",
        "We regularly evaluate the car park's lighting, soliciting feedback from residents.",
        "Minutes of the Standards Committee, 12 June 2024",
    ],
)
def test_near_misses_are_no_statement(text):
    assert MATCHER.best(text) is None


def test_first_part_of_a_statement_matches_its_start():
    first = (
        "We have established approaches for sharing information and intelligence related "
        "to serious instances of abuse, harassment"
    )
    match = MATCHER.best(first)
    assert match.ref == "4.4"
    assert match.prefix > CLEAR > match.similarity


def test_row_position_alone_never_matches():
    """The text file with its statements' rows swapped still puts each score with its
    statement."""
    lines = (FIXTURES / "seed-002.txt").read_text().split("\n")
    one = next(i for i, line in enumerate(lines) if line.startswith("We promote a culture"))
    two = next(i for i, line in enumerate(lines) if line.startswith("We equip and resource "
                                                                      "council staff to iden"))
    lines[one], lines[two] = lines[two], lines[one]
    reading = read_document("\n".join(lines).encode(), "x", TOOLKIT, Limits())
    assert {row.ref: row.score for row in reading.rows}["1.3"] == 0
    assert {row.ref: row.score for row in reading.rows}["1.4"] == 1


# Marks ----------------------------------------------------------------------------------

MARKS = MarkReader(TOOLKIT)


@pytest.mark.parametrize(
    "written", ["1", "X", "x", "✓", "✔", "●", "•", "Yes", "yes", "Partial",
                "Partial implementation", "Partial implement ation"],
)
def test_marking_habits_read_as_the_columns_level(written):
    assert MARKS.read(written, 1) == Mark("mark", 1)


@pytest.mark.parametrize(
    "written, mark",
    [
        ("", Mark("empty")),
        ("-", Mark("empty")),
        ("2", Mark("wrong column", 2)),
        ("Comprehensive", Mark("wrong column", 2)),
        ("7", Mark("not a score", 7)),
        ("maybe", Mark("not a score")),
        ("N/A", Mark("not a score")),
    ],
)
def test_what_is_not_a_mark_in_this_column(written, mark):
    assert MARKS.read(written, 1) == mark


def test_level_headings_damaged_by_pdf_extraction_are_understood():
    assert MARKS.level_named("2: Cor nprehensive") == 2
    assert MARKS.level_named("0: Not Addressed") == 0


# Evidence -------------------------------------------------------------------------------


def test_bare_addresses_move_to_links():
    paragraphs, links = take_links(
        [
            "Our policy is at https://example.gov.uk/policy.",
            "Minutes (www.example.gov.uk/minutes) and https://example.gov.uk/a_(b)",
            "https://example.gov.uk/policy",
        ]
    )
    assert paragraphs == ["Our policy is at.", "Minutes and"]
    assert links == [
        "https://example.gov.uk/policy",
        "https://www.example.gov.uk/minutes",
        "https://example.gov.uk/a_(b)",
    ]


def test_evidence_over_the_limit_is_flagged():
    reading = read("seed-002.txt", Limits(max_evidence_chars=200))
    long = [row.ref for row in reading.rows if row.status == "check"]
    assert long == [r for r, v in RESPONSES.items() if len(v["evidence"]) > 200]
    assert all(
        row.reasons[0].endswith("characters long; the most is 200")
        for row in reading.rows
        if row.ref in long
    )


def test_pdf_without_ruled_tables_says_every_row_needs_checking():
    """The text fallback (pdfplumber's text strategy) guesses rows and columns from where
    words sit; on the toolkit's layout that guess is poor, and the reading says so."""
    reading = read("unruled.pdf")
    assert reading.problems == [
        "This PDF’s tables have no ruled lines, so its rows and columns were worked out "
        "from where the words sit, which is often wrong. Check every row, or upload the "
        "Word file instead."
    ]
    assert not reading.clear


def test_word_symbols_and_hyperlinks_are_read():
    """A Wingdings tick (w:sym F0FC) as 1.1's mark, and a hyperlink with its own words in
    1.1's evidence: the tick is a mark, the link's address goes to links, its words stay."""
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = Document(FIXTURES / "seed-002.docx")
    row = next(
        r for t in document.tables for r in t.rows if r.cells[0].text == STATEMENTS["1.1"]
    )
    mark = row.cells[2].paragraphs[0]
    for run in mark.runs:
        run._r.getparent().remove(run._r)
    symbol = OxmlElement("w:sym")
    symbol.set(qn("w:font"), "Wingdings")
    symbol.set(qn("w:char"), "F0FC")
    mark.add_run()._r.append(symbol)
    address = "https://www.example.gov.uk/e-learning"
    rel_id = document.part.relate_to(address, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    paragraph = row.cells[5].add_paragraph("Details: ")
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "the e-learning catalogue"
    run.append(text)
    hyperlink.append(run)
    paragraph._p.append(hyperlink)
    buffer = io.BytesIO()
    document.save(buffer)

    reading = read_document(buffer.getvalue(), "x.docx", TOOLKIT, Limits())
    first = reading.rows[0]
    assert (first.score, first.status) == (1, "clear")
    assert first.evidence == (
        RESPONSES["1.1"]["evidence"] + "\n\nDetails: the e-learning catalogue"
    )
    assert first.links == [address]


def test_readers_import_nothing_from_django():
    """The readers are plain Python: the caller passes the toolkit and the limits in."""
    code = (
        "import sys\n"
        "from selfassess.interchange.readers import docx, pdf, read_document, text, xlsx\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django'\n"
    )
    environment = {"PYTHONPATH": str(ROOT / "src"), "PATH": os.environ.get("PATH", "")}
    subprocess.run(  # noqa: S603 - our own interpreter running our own code
        [sys.executable, "-c", code], check=True, cwd=ROOT, env=environment
    )


def test_blank_toolkit_text_finds_every_statement_and_no_mark():
    """Seed 000, the blank toolkit as extracted, with its damage ("2: Cor" and
    "nprehensive" in two cells, headings run into the table): every statement is found,
    none has a mark, and "Total score / 10" is no typed total."""
    reading = read("seed-000-blank.txt")
    assert [row.ref for row in reading.rows] == list(STATEMENTS)
    assert all(row.reasons == ["No mark found"] for row in reading.rows)
    assert all(row.found_text for row in reading.rows)
    assert [p.typed_total for p in reading.principles] == [None] * 5
