"""The committee sees the suggested actions the council dismissed, and why, in every
report format: on screen, PDF, Word and Excel."""

import datetime
import io
import json

import pytest
from django.utils import timezone
from django.utils.html import escape
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from selfassess.assessments.selectors import assessment_view
from selfassess.interchange.json_format import import_assessment
from selfassess.plans import selectors, services
from selfassess.reports.context import report_data
from selfassess.reports.formats import FORMATS

REASON = 'Covered by the council\'s wellbeing review & its "Safer Councillors" plan.\nSee HR.'


@pytest.fixture
def assessment(framework, council, seed002):
    data = seed002 | {"framework": {"id": framework.slug, "version": framework.version}}
    return import_assessment(json.dumps(data), council=council).assessment


@pytest.fixture
def dismissed(assessment, editor) -> list[str]:
    """Two suggestions dismissed, one with a reason and one without; their titles."""
    view = assessment_view(assessment)
    titles = []
    for ref, reason in (("5.3", ""), ("1.3", REASON)):
        s = next(s for s in selectors.suggestions(view, set(), set()) if s.statement.ref == ref)
        services.dismiss_suggestion(
            assessment=assessment, user=editor, ref=ref, key=s.key, title=s.title, reason=reason
        )
        titles.append(s.title)
    return titles


def test_report_page_lists_them_in_toolkit_order_with_reasons(assessment, dismissed, login, viewer):
    page = login(viewer).get(f"/councils/example/assessments/{assessment.pk}/report/")
    text = page.content.decode()
    section = text[text.index('<h2 class="govuk-heading-m">Suggestions dismissed</h2>') :]
    first, second = (section.index(escape(t)) for t in reversed(dismissed))
    assert first < second  # 1.3 before 5.3
    assert f'Reason: <span class="app-evidence">{escape(REASON)}</span>' in section
    assert "No reason given." in section
    today = timezone.localdate()
    assert f"Dismissed on {today.day} {today:%B %Y}." in section


def test_pdf_word_and_excel_carry_them_too(assessment, dismissed):
    report = report_data(assessment, today=datetime.date(2025, 6, 1))
    pdf = PdfReader(io.BytesIO(FORMATS["pdf"].render(report)))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "Suggestions dismissed" in text
    assert " ".join(dismissed[1].split()) in text and "No reason given." in text
    assert "Reason: Covered by the council's wellbeing review" in text.replace("’", "'")

    doc = Document(io.BytesIO(FORMATS["docx"].render(report)))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    # After the plan and the gaps it leaves.
    plan = headings.index("Forward plan")
    assert headings[plan + 1 : plan + 3] == ["Gaps without an action", "Suggestions dismissed"]
    items = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    (with_reason,) = [t for t in items if t.startswith("1.3 ")]
    assert dismissed[1] in with_reason and f"Reason: {REASON}" in with_reason
    (without,) = [t for t in items if t.startswith("5.3 ")]
    assert dismissed[0] in without and "No reason given." in without

    wb = load_workbook(io.BytesIO(FORMATS["xlsx"].render(report)))
    rows = list(wb["Suggestions dismissed"].iter_rows(values_only=True))
    assert rows[0] == ("Statement", "Suggested action", "Reason", "Dismissed on")
    today = timezone.localdate()
    assert [(r[0], r[1], r[2], r[3].date()) for r in rows[1:]] == [
        ("1.3", dismissed[1], REASON, today),
        ("5.3", dismissed[0], None, today),
    ]


def test_no_section_when_nothing_was_dismissed(assessment, login, viewer):
    page = login(viewer).get(f"/councils/example/assessments/{assessment.pk}/report/")
    assert "Suggestions dismissed" not in page.content.decode()
    report = report_data(assessment)
    doc = Document(io.BytesIO(FORMATS["docx"].render(report)))
    assert "Suggestions dismissed" not in [p.text for p in doc.paragraphs]
    wb = load_workbook(io.BytesIO(FORMATS["xlsx"].render(report)))
    assert wb["Suggestions dismissed"].max_row == 1  # the headings only
