"""Every report format, read back with a real reader: the 25 statements, scores in the
right columns, the totals 3, 3, 7, 9, 6 and 28 / 50, the plan, and user text shown
exactly and safely."""

import csv
import datetime
import io
import json

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from selfassess.interchange.json_format import import_assessment
from selfassess.plans import services as plans
from selfassess.reports.context import report_data
from selfassess.reports.formats import FORMATS

HOSTILE = (
    '<script>alert("x")</script> & "quotes" \'single\' <b>not bold</b>\n'
    "Second line: Cyngor Sir Ynys Môn, ŵ ŷ, emoji 🙂"
)
FORMULA = '=HYPERLINK("http://example.org","click")'
TOTALS = [3, 3, 7, 9, 6]


@pytest.fixture
def report(framework, council, seed002, editor):
    data = json.loads(json.dumps(seed002))
    data["responses"][0]["evidence"] = HOSTILE
    data["responses"][1]["evidence"] = FORMULA
    data["responses"][2]["evidence"] = "Control \x01 character and a long paragraph. " + "x" * 3000
    assessment = import_assessment(json.dumps(data), council=council).assessment
    for i in range(20):
        plans.create_action(
            assessment=assessment,
            user=editor,
            data=plans.ActionInput(
                title=f"Action {i + 1}" if i else "Publish a councillor safety page <now>",
                description="What will be done" if i else HOSTILE,
                lead="Monitoring Officer",
                partners="Kent Police",
                target_date=datetime.date(2025, 1 + i % 12, 1),
                priority=["high", "medium", "low"][i % 3],
                status="in_progress",
                refs=[f"{1 + i % 5}.{1 + i % 5}"],
            ),
        )
    return report_data(assessment, today=datetime.date(2025, 6, 1))


def test_file_names_carry_council_assessment_and_date(report):
    assert FORMATS["docx"].file_name(report) == (
        "example-district-council-baseline-2024-2024-06-12.docx"
    )
    assert FORMATS["plan-csv"].file_name(report).endswith("-2024-06-12-plan.csv")


def test_word_document(report):
    doc = Document(io.BytesIO(FORMATS["docx"].render(report)))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "1. Creating supportive and informed spaces" in headings
    assert "Summary" in headings and "Forward plan" in headings and "Sign-off" in headings
    paragraphs = "\n".join(p.text for p in doc.paragraphs)
    for total in TOTALS:
        assert f"Total score {total} / 10" in paragraphs
    assert "Overall score 28 / 50" in paragraphs

    score_tables = [
        t for t in doc.tables if t.rows[0].cells[0].text == "Statement" and len(t.columns) == 5
    ]
    assert len(score_tables) == 5
    rows = [row for t in score_tables for row in t.rows[1:]]
    assert len(rows) == 25
    expected = {r["ref"]: r["score"] for r in json.loads(json.dumps(report_json(report)))}
    for row in rows:
        ref = row.cells[0].text.split()[0]
        marks = [i for i in range(3) if row.cells[1 + i].text.strip()]
        assert marks == [expected[ref]], ref
        assert row.cells[1 + expected[ref]].text.strip() == str(expected[ref])
    header = score_tables[0].rows[0]._tr
    assert header.xpath("./w:trPr/w:tblHeader")  # repeats on every page
    assert [c.text for c in score_tables[0].rows[0].cells] == [
        "Statement",
        "0: Not addressed",
        "1: Partial",
        "2: Comprehensive",
        "Evidence",
    ]
    assert rows[0].cells[4].text == HOSTILE  # exactly as typed, line break kept
    assert rows[1].cells[4].text == FORMULA
    assert rows[2].cells[4].text.startswith("Control  character")  # XML cannot hold \x01

    plan = next(t for t in doc.tables if t.rows[0].cells[0].text == "Action")
    assert len(plan.rows) == 21
    assert plan.rows[0].cells[3].text == "Target date"
    assert any("Publish a councillor safety page <now>" in r.cells[0].text for r in plan.rows)
    assert doc.core_properties.title.startswith("Example District Council: Baseline 2024")
    assert doc.core_properties.language == "en-GB"
    assert len(doc.inline_shapes) == 1  # the chart


def report_json(report):
    return [
        {"ref": r.statement.ref, "score": r.score}
        for p in report.view.principles
        for r in p.responses
    ]


def test_pdf(report):
    pdf = PdfReader(io.BytesIO(FORMATS["pdf"].render(report)))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    flat = " ".join(text.split())
    for total in TOTALS:
        assert f"Total score {total} / 10" in flat
    assert "28 / 50" in flat
    for ref in [f"{p}.{s}" for p in range(1, 6) for s in range(1, 6)]:
        assert ref in flat
    assert " ".join(HOSTILE.split()) in flat  # the emoji too (test_unicode.py has more)
    assert "Page 1 of" in flat
    assert "Publish a councillor safety page <now>" in flat
    root = pdf.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])  # a tagged PDF
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert pdf.metadata.title.startswith("Example District Council: Baseline 2024")


def test_markup_in_user_text_is_printed_not_obeyed(report):
    report.view.principles[0].responses[0].evidence = '<img src="file:///etc/passwd"> end'
    pdf = PdfReader(io.BytesIO(FORMATS["pdf"].render(report)))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert '<img src="file:///etc/passwd"> end' in text


def test_excel_workbook(report):
    wb = load_workbook(io.BytesIO(FORMATS["xlsx"].render(report)))
    assert wb.sheetnames == [
        "Report", "Scores", "Totals", "Forward plan", "Gaps without an action",
        "Suggestions dismissed",
    ]  # fmt: skip
    scores = wb["Scores"]
    assert scores.freeze_panes == "A2"
    rows = list(scores.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 25
    assert rows[0][1] == "1.1" and rows[0][3] == 1 and rows[0][4] == "Partial"
    assert rows[0][5] == HOSTILE
    assert rows[1][5] == FORMULA and scores["F3"].data_type == "s"  # text, not a formula
    totals = list(wb["Totals"].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in totals] == [*TOTALS, 28]
    assert totals[-1][:3] == ("Overall", 28, 50)
    plan = list(wb["Forward plan"].iter_rows(min_row=2, values_only=True))
    assert len(plan) == 20
    assert isinstance(plan[0][5], datetime.datetime)  # a real date, not text
    assert wb["Forward plan"].column_dimensions["B"].width == 60


def test_csv_of_scores_and_of_the_plan(report):
    raw = FORMATS["csv"].render(report)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 25
    sums = {}
    for row in rows:
        sums[row["Principle"][0]] = sums.get(row["Principle"][0], 0) + int(row["Score"])
    assert list(sums.values()) == TOTALS and sum(sums.values()) == 28
    assert rows[0]["Evidence"] == HOSTILE
    assert rows[1]["Evidence"] == "'" + FORMULA  # inert in a spreadsheet
    plan = list(csv.DictReader(io.StringIO(FORMATS["plan-csv"].render(report).decode("utf-8-sig"))))
    assert len(plan) == 20 and plan[0]["Target date"] == "2025-01-01"


@pytest.mark.parametrize("key", ["docx", "pdf", "xlsx", "csv", "plan-csv", "json"])
def test_download_from_the_browser(report, login, viewer, key):
    a = report.assessment
    resp = login(viewer).get(f"/councils/example/assessments/{a.pk}/report/download/{key}/")
    assert resp.status_code == 200
    assert resp["Content-Type"] == FORMATS[key].content_type
    assert f'filename="{FORMATS[key].file_name(report)}"' in resp["Content-Disposition"]
    assert len(resp.content) > 100


def test_report_page_escapes_user_text(report, login, viewer):
    page = login(viewer).get(f"/councils/example/assessments/{report.assessment.pk}/report/")
    html = page.content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(&quot;x&quot;)" in html
    assert "Total score 9 / 10" in html and "28 / 50" in html


def test_unknown_format_is_not_found(report, login, viewer):
    url = f"/councils/example/assessments/{report.assessment.pk}/report/download/exe/"
    assert login(viewer).get(url).status_code == 404


def test_command_writes_every_format(report, tmp_path):
    from django.core.management import call_command

    for fmt in ("docx", "pdf", "xlsx", "json"):
        out = tmp_path / f"r.{fmt}"
        call_command(
            "export_assessment", str(report.assessment.pk), "--format", fmt, "-o", str(out)
        )
        assert out.stat().st_size > 100
    call_command(
        "export_assessment",
        str(report.assessment.pk),
        "--format",
        "csv",
        "-o",
        str(tmp_path / "s.csv"),
    )
    assert (tmp_path / "s.csv").exists() and (tmp_path / "s-plan.csv").exists()
