"""Emoji, symbols pasted from email and names in other scripts, in every format.

The PDF shows each character as itself, emoji in colour, and its text reads back exactly
in the readers people and screen readers use: pypdf, poppler's pdftotext and pdf.js (a
browser's PDF viewer). A character that no installed font has is printed as its code
point, never as an empty box. Word and Excel keep the text exactly as typed.

These tests need the fonts .ci/run installs (Liberation Sans, DejaVu Sans, Noto Color
Emoji, WenQuanYi Micro Hei), poppler-utils and the npm package pdfjs-dist.
"""

import datetime
import io
import json
import logging
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from selfassess.interchange.json_format import import_assessment
from selfassess.plans import services as plans
from selfassess.reports import glyphs
from selfassess.reports.context import report_data
from selfassess.reports.formats import FORMATS
from selfassess.reports.pdf import STYLESHEET

ROOT = Path(__file__).resolve().parents[2]
PDFJS_TEXT = Path(__file__).with_name("pdfjs_text.mjs")

WALES = "🏴󠁧󠁢󠁷󠁬󠁳󠁿"  # a black flag and tag characters spelling "gbwls"
# A ZWJ sequence with a skin tone, plain emoji, a skin tone on its own glyph, a heart asked
# for in colour by its variation selector, and the flag of Wales.
EMOJI = ["👩🏽‍💻", "🙂", "🎉", "👍🏿", "❤️", WALES]
SYMBOLS = [
    "✓", "✔", "✗", "•", "€5", "£10", "–", "—", "“quoted”", "‘single’", "…", "→", "★", "☎",
    "✉", "⚠", "♥", "⇒", "±", "×", "≤", "≠", "∞", "½", "┌─┐", "■",
]  # fmt: skip
NAMES = ["王秀英", "田中さん", "김민준", "Ynys Môn", "ŵ ŷ", "Łódź", "Ελένη", "Женя"]
ARABIC = "محمد"
# FACE WITH BAGS UNDER EYES (Emoji 16.0, newer than any font in Debian 12) and the
# private-use character that Mac users' email signatures carry as the Apple logo.
NO_FONT = ["\U0001fae9", "\uf8ff"]
SHOWN_FOR_NO_FONT = ["[U+1FAE9]", "[U+F8FF]"]

LINES = [
    " ".join(["Emoji:", *EMOJI]),
    " ".join(["Symbols:", *SYMBOLS]),
    " ".join(["Names:", *NAMES]),
]
# \x0b is the line break Word puts in copied text; XML cannot hold it, so every format
# drops it (context.xml_safe).
EVIDENCE = "\n".join([*LINES, f"{ARABIC} and no font: {' '.join(NO_FONT)}\x0b end"])
TYPED = EVIDENCE.replace("\x0b", "")
TITLE = f"Baseline 2024 ✓ 🙂 王 {NO_FONT[0]}"
ACTION = f"Thank the team 🎉 ✓ ☎ {NO_FONT[1]}"
# pdftotext marks a right-to-left run with bidirectional embedding controls.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def report(framework, council, seed002, editor):
    data = json.loads(json.dumps(seed002))
    data["title"] = TITLE
    data["responses"][0]["evidence"] = EVIDENCE
    assessment = import_assessment(json.dumps(data), council=council).assessment
    plans.create_action(
        assessment=assessment,
        user=editor,
        data=plans.ActionInput(
            title=ACTION,
            description=EVIDENCE,
            lead="Monitoring Officer",
            partners="",
            target_date=datetime.date(2025, 3, 1),
            priority="high",
            status="in_progress",
            refs=["1.1"],
        ),
    )
    return report_data(assessment, today=datetime.date(2025, 6, 1))


@pytest.fixture
def pdf_path(report, tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        body = FORMATS["pdf"].render(report)
    # WeasyPrint warns for each character it had to draw as an empty box.
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()]
    path = tmp_path / "report.pdf"
    path.write_bytes(body)
    return path


def _pypdf(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _run(tool: str, *args: str) -> str:
    """What a tool that .ci/run installs prints, or a clear failure where it is missing."""
    path = shutil.which(tool)
    assert path, f"{tool} is missing: .ci/run installs it"
    run = subprocess.run([path, *args], capture_output=True, check=True, cwd=ROOT)  # noqa: S603
    return run.stdout.decode("utf-8")


def _pdftotext(path: Path) -> str:
    return _run("pdftotext", "-enc", "UTF-8", str(path), "-")


def _pdfjs(path: Path) -> str:
    assert (ROOT / "node_modules" / "pdfjs-dist").is_dir(), "pdfjs-dist is missing: npm ci"
    return _run("node", str(PDFJS_TEXT), str(path))


@pytest.mark.parametrize(
    "reader", [_pypdf, _pdftotext, _pdfjs], ids=["pypdf", "pdftotext", "pdfjs"]
)
def test_pdf_text_reads_back_exactly(pdf_path, reader):
    text = " ".join(BIDI_CONTROLS.sub("", reader(pdf_path)).split())
    for line in LINES:  # in the evidence and in the action's description
        if reader is _pdfjs:
            # pdf.js leaves out a glyph whose text ends in a format character, as the
            # flags of England, Scotland and Wales do (their tags end in CANCEL TAG):
            # drawn, but not found or copied in a browser's viewer.
            line = line.replace(f" {WALES}", "")
        assert text.count(line) == 2, line
    assert ARABIC in text
    assert "Thank the team 🎉 ✓ ☎ [U+F8FF]" in text
    assert "Baseline 2024 ✓ 🙂 王 [U+1FAE9]" in text
    assert f"and no font: {' '.join(SHOWN_FOR_NO_FONT)} end" in text
    assert not any(char in text for char in NO_FONT)
    assert "Total score 3 / 10" in text and "28 / 50" in text


def test_pdf_keeps_the_title_as_typed_in_its_metadata(pdf_path):
    """The title and author are metadata, which no font draws: nothing is replaced."""
    pdf = PdfReader(pdf_path)
    assert pdf.metadata.title.startswith(f"Example District Council: {TITLE} –")


def test_every_pdf_font_is_encoded_for_every_reader(pdf_path):
    """A font with an empty box gets WeasyPrint's own encoding, which pypdf cannot read."""
    fonts = {
        str(font.get_object()["/BaseFont"]): str(font.get_object()["/Encoding"])
        for page in PdfReader(pdf_path).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Noto-Color-Emoji" in name for name in fonts)  # emoji drawn by the emoji font
    assert any("WenQuanYi" in name for name in fonts)
    assert set(fonts.values()) == {"/Identity-H"}


def test_emoji_are_drawn_in_colour(pdf_path, tmp_path):
    """The page with the evidence, as an image: the smiling face's yellow is there, so
    emoji are drawn as pictures, not as empty boxes or outlines."""
    pages = [page.extract_text() for page in PdfReader(pdf_path).pages]
    number = next(i for i, text in enumerate(pages, start=1) if "Emoji:" in text)
    page = str(number)
    _run("pdftoppm", "-r", "72", "-f", page, "-l", page, "-singlefile", "-png",
         str(pdf_path), str(tmp_path / "page"))  # fmt: skip
    rgb = Image.open(tmp_path / "page.png").convert("RGB").tobytes()
    pixels = zip(rgb[0::3], rgb[1::3], rgb[2::3], strict=True)
    yellow = sum(1 for r, g, b in pixels if r > 220 and 150 < g < 235 and b < 90)
    assert yellow > 30


def test_word_keeps_the_text_as_typed(report):
    doc = Document(io.BytesIO(FORMATS["docx"].render(report)))
    scores = next(t for t in doc.tables if t.rows[0].cells[0].text == "Statement")
    assert scores.rows[1].cells[4].text == TYPED
    plan = next(t for t in doc.tables if t.rows[0].cells[0].text == "Action")
    assert [p.text for p in plan.rows[1].cells[0].paragraphs][:2] == [ACTION, TYPED]
    facts = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert facts["Assessment"] == TITLE
    assert doc.core_properties.title == (
        f"Example District Council: {TITLE} – Ending Abuse in Public Life"
    )


def test_excel_keeps_the_text_as_typed(report):
    wb = load_workbook(io.BytesIO(FORMATS["xlsx"].render(report)))
    first = next(wb["Scores"].iter_rows(min_row=2, values_only=True))
    assert first[5] == TYPED
    action = next(wb["Forward plan"].iter_rows(min_row=2, values_only=True))
    assert action[:2] == (ACTION, TYPED)
    assert wb.properties.title == f"Example District Council: {TITLE}"


def test_only_characters_no_font_has_are_replaced():
    html = '<p class="x">Ynys Môn ✓ 🙂 👩🏽‍💻 王 محمد \U0001fae9 \uf8ff&amp;</p>'
    assert glyphs.printable(html) == (
        '<p class="x">Ynys Môn ✓ 🙂 👩🏽‍💻 王 محمد [U+1FAE9] [U+F8FF]&amp;</p>'
    )
    assert glyphs.printable("plain <b>ASCII</b>") == "plain <b>ASCII</b>"
    assert glyphs.coverage() is glyphs.coverage()  # read once per process


def test_no_character_left_in_is_drawn_as_an_empty_box(caplog):
    """Each kind of character that might have no glyph, through printable() and then
    WeasyPrint with the report's stylesheet: not one .notdef glyph is drawn. This holds
    the list of characters that are never shown (glyphs._INVISIBLE) to what Pango does."""
    from weasyprint import CSS, HTML

    code_points = [
        *range(0x80, 0xA0),  # C1 control characters
        0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000,  # spaces
        0x2028, 0x2029, 0x0378, 0xFDD0, 0xFFFE, 0xFFF9, 0xFFFB, 0xD800,  # separators, gaps
        0xAD, 0x34F, 0x61C, 0x115F, 0x1160, 0x17B4, 0x17B5, *range(0x180B, 0x1810), 0x3164,
        *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2070),
        *range(0xFE00, 0xFE10), 0xFEFF, 0xFFA0, *range(0xFFF0, 0xFFF9),
        *range(0x1BCA0, 0x1BCA4), *range(0x1D173, 0x1D17B),
        0xE0000, 0xE0001, 0xE0020, 0xE007F, 0xE0100, 0xE01EF, 0xE0FFF,  # ignorable
        0xE000, 0xF8FF, 0xF0000, 0x10FFFD, 0x1FAE9, 0x1F642, 0x2713, 0x738B,  # and the rest
    ]  # fmt: skip
    words = "".join(f"<p>a{chr(c)}b</p>" for c in code_points)
    html = glyphs.printable(f"<html lang='en-GB'><body>{words}</body></html>")
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])
    assert [r.getMessage() for r in caplog.records if ".notdef" in r.getMessage()] == []
    assert "[U+0085]" in html and "[U+1FAE9]" in html and "[U+D800]" in html
    assert "\u200d" in html and "\ufe0f" in html  # joiners and selectors kept
