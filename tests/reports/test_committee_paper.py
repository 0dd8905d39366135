"""The report is a committee paper: the officer's covering summary and recommendations,
the minute that agreed it, each action's latest progress, the gaps without an action and
the councillors' feedback, with or without their comments, in the PDF, Word and Excel
files, each read back with a real reader. A draft says DRAFT on every page; Word has the
PDF's footer with page numbers; a heading never ends a page, a table row is never split
and "Overdue" never breaks."""

import datetime
import html
import io
import re

import pdfplumber
import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader

from selfassess.reports.context import report_data
from selfassess.reports.formats import FORMATS
from selfassess.reports.pdf import _html

from .paper import ACTIONS, COMMENTS, MINUTE, RECOMMENDATIONS, SUMMARY, committee_paper

TODAY = datetime.date.today()
OVERDUE = sum(1 for i in range(len(ACTIONS)) if i % 3 == 0)  # target date passed, still open
LATEST = [progress for _, _, _, progress in ACTIONS if progress]
GAPS = ["4.2", "5.3"]  # scored below 2 in seed 002, and no action covers them
# A4 in points, less the PDF's top and bottom margins (18 mm and 20 mm).
BODY_TOP, BODY_BOTTOM = 18 / 25.4 * 72, 841.89 - 20 / 25.4 * 72


@pytest.fixture
def draft(framework, council, seed002, editor, admin):
    return committee_paper(council, seed002, editor, admin, complete=False)


@pytest.fixture
def complete(framework, council, seed002, editor, admin):
    return committee_paper(council, seed002, editor, admin, complete=True)


def flat(text: str) -> str:
    return " ".join(text.split())


def mm(x: float) -> float:
    return x / 25.4 * 72


class Pages:
    """A PDF's pages as pdfplumber reads them, inside the top and bottom margins: each
    line's text and whether it is all bold, and the lines of the given columns (left
    and right edges in mm from the page's edge), read down."""

    def __init__(self, pdf_bytes: bytes, columns: dict[str, tuple[float, float]]):
        self.lines: list[list[tuple[str, bool]]] = []
        self.columns: dict[str, list[list[str]]] = {name: [] for name in columns}
        with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
            for page in pdf.pages:
                body = page.crop((0, BODY_TOP, page.width, BODY_BOTTOM))
                self.lines.append(
                    [
                        (flat(line["text"]), all("Bold" in c["fontname"] for c in line["chars"]))
                        for line in body.extract_text_lines(return_chars=True)
                    ]
                )
                for name, (left, right) in columns.items():
                    column = body.crop((mm(left), BODY_TOP, mm(right), BODY_BOTTOM))
                    self.columns[name].append(
                        [flat(line["text"]) for line in column.extract_text_lines()]
                    )


def headings_of(page_html: str) -> set[str]:
    """The text of every heading and table caption the PDF prints."""
    found = re.findall(r"<(h[1-4]|caption)\b[^>]*>(.*?)</\1>", page_html, re.DOTALL)
    return {flat(html.unescape(re.sub(r"<[^>]+>", "", text))) for _, text in found}


def page_of(pages, text: str) -> int:
    return next(i for i, lines in enumerate(pages) if any(text in line for line, _ in lines))


def test_pdf_of_a_draft(draft):
    report = report_data(draft)
    body = FORMATS["pdf"].render(report)
    pdf = PdfReader(io.BytesIO(body))
    texts = [page.extract_text() for page in pdf.pages]
    assert len(texts) > 10
    for number, text in enumerate(texts, start=1):
        assert "DRAFT" in text, f"page {number} does not say DRAFT"
        assert f"Page {number} of {len(texts)}" in text
        assert f"Produced by Self-Assess on {TODAY:%-d %B %Y}" in flat(text)
    whole = flat("\n".join(texts))
    assert flat(SUMMARY) in whole and flat(RECOMMENDATIONS) in whole
    assert "Gaps without an action" in whole
    assert "2 statements scored below 2 with no action in the forward plan" in whole
    for progress in LATEST:
        assert progress in whole
    assert "Earlier update" not in whole  # only the latest progress of each action
    for comment in COMMENTS.values():
        assert comment in whole

    # The forward plan's columns: the action 15-88 mm, the target date 140-160 mm.
    read = Pages(body, {"action": (15, 88), "date": (140, 160)})
    pages = read.lines
    headings = headings_of(_html(report))
    for number, lines in enumerate(pages, start=1):
        last, bold = lines[-1]
        assert not (bold and any(last in h for h in headings)), (
            f"page {number} ends with the heading {last!r}"
        )
    # A principle's heading, description, caption and first statement share a page.
    for view in report.view.principles:
        n = view.principle.number
        on = page_of(pages, f"{n}. {view.principle.title}")
        assert page_of(pages, f"Principle {n}: statements, scores and evidence") == on
        assert page_of(pages, f"{n}.1 ") == on
    # Rows are whole: an action's title and its latest progress are on one page.
    actions = [" ".join(lines) for lines in read.columns["action"]]
    for title, _, _, progress in ACTIONS:
        if progress:
            on = [i for i, text in enumerate(actions) if title in text]
            assert on and progress in actions[on[0]], title
    # "Overdue" on a line of its own, unbroken, once for each overdue action.
    dates = [line for lines in read.columns["date"] for line in lines]
    assert dates.count("Overdue") == OVERDUE
    assert not [line for line in dates if re.fullmatch(r"O|Ov|Ove|Over-?|Overd-?|Overdu-?|e", line)]


def test_pdf_once_agreed_and_without_comments(complete):
    body = FORMATS["pdf"].render(report_data(complete, include_comments=False))
    texts = [page.extract_text() for page in PdfReader(io.BytesIO(body)).pages]
    assert not [i for i, text in enumerate(texts, start=1) if "DRAFT" in text]
    whole = flat("\n".join(texts))
    assert f"Minute reference {MINUTE}" in whole and f"Minute reference: {MINUTE}" in whole
    assert flat(SUMMARY) in whole
    assert "Councillors’ comments are left out of this report." in whole
    for comment in COMMENTS.values():
        assert comment not in whole
    assert "Where views differ most" in whole  # the rest of the feedback stays


def word_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return flat("\n".join(parts))


def test_word_of_a_draft(draft):
    doc = Document(io.BytesIO(FORMATS["docx"].render(report_data(draft))))
    section = doc.sections[0]
    assert "DRAFT" in section.header.paragraphs[0].text
    footer = section.footer
    assert footer.paragraphs[0].text == "Example District Council – Baseline 2024"
    assert footer.paragraphs[1].text.startswith(
        f"Produced by Self-Assess on {TODAY:%-d %B %Y}\tPage "
    )
    instructions = [i.text.strip() for i in footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert len(list(footer._element.iter(qn("w:fldChar")))) == 6  # begin, separate, end

    headings = [p for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert {p.style.name for p in headings} == {"Title", "Heading 1", "Heading 2"}
    for p in headings:
        assert p.style.paragraph_format.keep_with_next, p.text
    # Each principle's description is kept with its table.
    descriptions = [p for p in doc.paragraphs if p.text.startswith("Prioritise councillor")]
    assert descriptions and descriptions[0].paragraph_format.keep_with_next
    rows = [row for table in doc.tables for row in table.rows]
    assert rows and all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows)

    text = word_text(doc)
    assert flat(SUMMARY) in text and flat(RECOMMENDATIONS) in text
    assert "Minute reference" not in text  # not agreed yet
    gaps = next(
        t for t in doc.tables if [c.text for c in t.rows[0].cells] == ["Statement", "Score"]
    )
    assert [row.cells[0].text.split()[0] for row in gaps.rows[1:]] == GAPS
    plan = next(t for t in doc.tables if t.rows[0].cells[0].text == "Action")
    first = plan.rows[1].cells[0].text
    assert first.endswith(
        f"Latest progress, {TODAY - datetime.timedelta(days=5):%-d %b %Y}: {LATEST[0]}"
    )
    assert "Earlier update" not in text
    assert sum(row.cells[3].text.endswith("\nOverdue") for row in plan.rows) == OVERDUE
    for comment in COMMENTS.values():
        assert f"“{comment}”" in text


def test_word_once_agreed_and_without_comments(complete):
    doc = Document(
        io.BytesIO(FORMATS["docx"].render(report_data(complete, include_comments=False)))
    )
    assert "DRAFT" not in "".join(p.text for p in doc.sections[0].header.paragraphs)
    text = word_text(doc)
    assert f"Minute reference {MINUTE}" in text and f"Minute reference: {MINUTE}" in text
    assert "Councillors’ comments are left out of this report." in text
    for comment in COMMENTS.values():
        assert comment not in text


def test_excel_of_a_draft(draft):
    wb = load_workbook(io.BytesIO(FORMATS["xlsx"].render(report_data(draft))))
    assert wb.sheetnames == [
        "Report", "Scores", "Totals", "Forward plan", "Gaps without an action",
        "Suggestions dismissed", "Councillors’ feedback", "Councillors’ comments",
    ]  # fmt: skip
    front = dict(wb["Report"].iter_rows(min_row=2, values_only=True))
    assert front["Status"] == "DRAFT: not yet agreed"
    assert "Minute reference" not in front
    assert front["Covering summary"] == SUMMARY
    assert front["Recommendations"] == RECOMMENDATIONS
    assert front["Councillors’ comments"] == "On the sheet “Councillors’ comments”"
    plan = wb["Forward plan"]
    header = next(plan.iter_rows(max_row=1, values_only=True))
    assert header[-2:] == ("Latest progress on", "Latest progress")
    rows = list(plan.iter_rows(min_row=2, values_only=True))
    assert [r[10] for r in rows if r[10]] == LATEST
    assert {r[9].date() for r in rows if r[9]} == {TODAY - datetime.timedelta(days=5)}
    gaps = list(wb["Gaps without an action"].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in gaps] == GAPS and gaps[1][3:] == (0, "Not addressed")
    sheet = wb["Councillors’ feedback"]
    feedback = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(feedback) == 25
    assert next(sheet.iter_rows(max_row=1, values_only=True))[-4:] == (
        "Don’t know", "Average", "Council", "Gap",
    )  # fmt: skip
    assert all(isinstance(value, int | float) for row in feedback for value in row[-4:])
    assert sheet["G2"].number_format == "0.0" and sheet["I2"].number_format.startswith("+0.0")
    comments = list(wb["Councillors’ comments"].iter_rows(min_row=2, values_only=True))
    assert [c for _, c in comments] == list(COMMENTS.values())


def test_excel_once_agreed_and_without_comments(complete):
    report = report_data(complete, include_comments=False)
    wb = load_workbook(io.BytesIO(FORMATS["xlsx"].render(report)))
    assert "Councillors’ comments" not in wb.sheetnames
    assert "Councillors’ feedback" in wb.sheetnames
    front = dict(wb["Report"].iter_rows(min_row=2, values_only=True))
    assert front["Status"].startswith("Agreed by Standards Committee on")
    assert front["Minute reference"] == MINUTE
    assert front["Councillors’ comments"] == "Left out of this report"
    cells = [v for ws in wb for row in ws.iter_rows(values_only=True) for v in row]
    for comment in COMMENTS.values():
        assert comment not in cells


def test_plan_csv_has_the_latest_progress(draft):
    import csv

    raw = FORMATS["plan-csv"].render(report_data(draft)).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw)))
    assert [r["Latest progress"] for r in rows if r["Latest progress"]] == LATEST
    assert rows[0]["Latest progress on"] == (TODAY - datetime.timedelta(days=5)).isoformat()


def test_the_command_can_leave_the_comments_out(draft, tmp_path):
    from django.core.management import call_command

    from selfassess.audit.models import AuditEvent

    out = tmp_path / "paper.xlsx"
    call_command("export_assessment", str(draft.pk), "--format", "xlsx", "-o", str(out))
    call_command(
        "export_assessment", str(draft.pk), "--format", "xlsx", "-o", str(out),
        "--leave-out-comments",
    )  # fmt: skip
    assert "Councillors’ comments" not in load_workbook(out).sheetnames
    summaries = list(
        AuditEvent.objects.filter(summary__startswith="Exported").order_by("id")
        .values_list("summary", flat=True)
    )  # fmt: skip
    assert summaries[0].endswith(", with the councillors’ comments")
    assert summaries[1].endswith(", councillors’ comments left out")
