"""Word: a document a democratic services officer can append to a committee report.

It follows the toolkit's own layout: the officer's covering summary and recommendations;
per principle its title, theme and description, a table Statement | 0 | 1 | 2 | Evidence
with the awarded score in its column, and the total; then the summary with the chart and
its table, the councillors' feedback, the forward plan with each action's latest
progress, the gaps without an action, the sign-off. Headings are real Word headings kept
with what follows them; every table's first row repeats as a header row and no row is
split across pages. A draft says DRAFT at the top of every page; the footer gives the
council, the assessment, the day it was made and "Page X of Y".
"""

import io

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from selfassess.core.dates import long_date, short_date
from selfassess.core.numbers import one_place

from .charts import principle_chart
from .context import ReportData, dismissed_rows, gap_rows, xml_safe

SECONDARY = RGBColor(0x50, 0x5A, 0x5F)
DRAFT_RED = RGBColor(0xD4, 0x35, 0x1C)
MARGIN_CM = 1.8
USABLE_CM = 29.7 - 2 * MARGIN_CM


def _lines(paragraph, text: str, bold: bool = False) -> None:
    lines = xml_safe(text).split("\n")
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold = bold
        if i < len(lines) - 1:
            run.add_break()


def _header_row(table, labels: list[str]) -> None:
    row = table.rows[0]
    for cell, label in zip(row.cells, labels, strict=True):
        _lines(cell.paragraphs[0], label, bold=True)
        for run in cell.paragraphs[0].runs:
            run.font.size = Pt(9)
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths, set on the grid as well as on each cell: Word reads the
    cells, LibreOffice the grid. Every row is kept whole on one page (cantSplit): a row
    taller than a page still breaks, as it must."""
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_cm, strict=True):
        col.set(qn("w:w"), str(int(Cm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def _resolve_styles_once(doc) -> None:
    """python-docx turns a style name into its id by scanning every style in the
    document, twice, for each paragraph, heading and table given a style: about a
    quarter of this file's rendering time. Names and ids do not change while the report
    is written, so each is resolved once per document (this document only)."""
    part = doc.part
    lookup = part.get_style_id
    resolved: dict = {}

    def get_style_id(style_or_name, style_type):
        if not isinstance(style_or_name, str):
            return lookup(style_or_name, style_type)
        key = (style_or_name, style_type)
        if key not in resolved:
            resolved[key] = lookup(style_or_name, style_type)
        return resolved[key]

    part.get_style_id = get_style_id


def render_docx(report: ReportData) -> bytes:
    a = report.assessment
    view = report.view
    doc = Document()
    _resolve_styles_once(doc)
    section = doc.sections[0]
    # Landscape, like the toolkit's own tables: five columns need the width.
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    # The header (DRAFT) and the footer sit in the margins, clear of the text.
    section.header_distance = section.footer_distance = Cm(0.7)
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    for name, size in (("Title", 22), ("Heading 1", 15), ("Heading 2", 12)):
        style = doc.styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
        # A heading is never the last line of a page: it moves over with what follows.
        style.paragraph_format.keep_with_next = True
        # python-docx's template names theme fonts for East Asian text too; point them at Arial.
        fonts = style.element.rPr.rFonts
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
    props = doc.core_properties
    props.title = xml_safe(f"{report.council.name}: {a.title} – Ending Abuse in Public Life")
    props.subject = "Council self-assessment"
    props.author = xml_safe(report.council.name)
    props.language = "en-GB"
    props.keywords = "Ending Abuse in Public Life; self-assessment; councillors"
    _header_and_footer(section, report)

    caption = doc.add_paragraph()
    run = caption.add_run(xml_safe(report.council.name))
    run.font.color.rgb = SECONDARY
    run.font.size = Pt(13)
    doc.add_heading(f"{a.framework.title}: council self-assessment", level=0)
    facts = [
        ("Assessment", a.title),
        ("Date assessed", f"{long_date(a.assessed_on)}"),
        (
            "Overall score",
            f"{view.totals.total} / {view.totals.maximum}"
            + (f" ({view.totals.unscored} not yet scored)" if view.totals.unscored else ""),
        ),
        (
            "Status",
            f"Agreed by {a.agreed_by} on {long_date(a.agreed_on)}"
            if a.is_complete
            else "Draft: not yet agreed",
        ),
    ]
    if a.is_complete and a.minute_reference:
        facts.append(("Minute reference", a.minute_reference))
    table = doc.add_table(rows=len(facts), cols=2)
    table.style = "Table Grid"
    for row, (key, value) in zip(table.rows, facts, strict=True):
        _lines(row.cells[0].paragraphs[0], key, bold=True)
        _lines(row.cells[1].paragraphs[0], value)
    _widths(table, [5, 21.1])
    _covering(doc, report)

    doc.add_heading("How statements are scored", level=1)
    for level in view.levels:
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(f"{level.value}: {level.long_label}. ").bold = True
        p.add_run(level.definition)

    for pv in view.principles:
        principle = pv.principle
        doc.add_heading(f"{principle.number}. {principle.title}", level=1)
        p = doc.add_paragraph()
        p.paragraph_format.keep_with_next = True  # with its table
        p.add_run(f"{principle.theme}: ").bold = True
        p.add_run(principle.description)
        labels = ["Statement"] + [f"{lv.value}: {lv.label}" for lv in view.levels] + ["Evidence"]
        table = doc.add_table(rows=1 + len(pv.responses), cols=len(labels))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _header_row(table, labels)
        for row, response in zip(table.rows[1:], pv.responses, strict=True):
            cells = row.cells
            cell = cells[0].paragraphs[0]
            cell.add_run(f"{response.statement.ref} ").bold = True
            cell.add_run(response.statement.text)
            for i, level in enumerate(view.levels, start=1):
                if response.score == level.value:
                    mark = cells[i].paragraphs[0]
                    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    mark.add_run(str(level.value)).bold = True
            evidence = cells[-1].paragraphs[0]
            if response.score is None:
                evidence.add_run("Not yet scored. ").italic = True
            _lines(evidence, response.evidence)
            for link in response.links:
                cells[-1].add_paragraph(xml_safe(link))
        _widths(
            table, [8.8] + [3.1] * len(view.levels) + [USABLE_CM - 8.8 - 3.1 * len(view.levels)]
        )
        total = doc.add_paragraph()
        total.add_run(f"Total score {pv.totals.total} / {pv.totals.maximum}").bold = True
        if pv.totals.unscored:
            total.add_run(f" ({pv.totals.unscored} not yet scored)")

    doc.add_page_break()
    doc.add_heading("Summary", level=1)
    counts = ", ".join(
        f"{view.totals.counts.get(lv.value, 0)} {lv.label.lower()}" for lv in reversed(view.levels)
    )
    doc.add_paragraph(
        f"Overall score {view.totals.total} / {view.totals.maximum}. Statements: {counts}"
        + (f", {view.totals.unscored} not yet scored." if view.totals.unscored else ".")
    )
    picture = doc.add_picture(io.BytesIO(principle_chart(report.view, fmt="png")), width=Cm(16))
    _alt_text(
        picture, "Bar chart of the score for each principle. The table gives the same figures."
    )
    table = doc.add_table(rows=2 + len(view.principles), cols=2)
    table.style = "Table Grid"
    _header_row(table, ["Principle", "Score"])
    for row, pv in zip(table.rows[1:], view.principles, strict=False):
        _lines(row.cells[0].paragraphs[0], f"{pv.principle.number}. {pv.principle.title}")
        _lines(row.cells[1].paragraphs[0], f"{pv.totals.total} / {pv.totals.maximum}")
    _lines(table.rows[-1].cells[0].paragraphs[0], "Overall", bold=True)
    _lines(
        table.rows[-1].cells[1].paragraphs[0],
        f"{view.totals.total} / {view.totals.maximum}",
        bold=True,
    )
    _widths(table, [14, 4])
    for group in report.by_level:
        if group.level is None:
            heading = f"Not yet scored ({len(group.responses)})"
        elif group.level.value == view.levels[-1].value:
            heading = f"Strengths – scored {group.level.value} ({len(group.responses)})"
        elif group.level.value == 0:
            heading = f"Not addressed – scored 0 ({len(group.responses)})"
        else:
            heading = f"Partly in place – scored {group.level.value} ({len(group.responses)})"
        doc.add_heading(heading, level=2)
        doc.add_paragraph(", ".join(r.statement.ref for r in group.responses) or "None")

    if report.comparison:
        _comparison(doc, report.comparison)
    if report.feedback:
        _feedback(doc, report.feedback, report.include_comments)

    doc.add_heading("Forward plan", level=1)
    if report.actions:
        labels = ["Action", "Statements", "Lead", "Target date", "Priority", "Status"]
        table = doc.add_table(rows=1 + len(report.actions), cols=len(labels))
        table.style = "Table Grid"
        _header_row(table, labels)
        for row, item in zip(table.rows[1:], report.actions, strict=True):
            action = item.action
            first = row.cells[0].paragraphs[0]
            _lines(first, action.title, bold=True)
            if action.description:
                _lines(row.cells[0].add_paragraph(), action.description)
            if action.partners:
                _lines(row.cells[0].add_paragraph(), f"Partners: {action.partners}")
            if item.latest:
                progress = row.cells[0].add_paragraph()
                _lines(progress, f"Latest progress, {short_date(item.latest.on)}: ", bold=True)
                _lines(progress, item.latest.text)
            _lines(row.cells[1].paragraphs[0], ", ".join(item.refs))
            _lines(row.cells[2].paragraphs[0], action.lead or "Not set")
            date = f"{short_date(action.target_date)}" if action.target_date else "Not set"
            _lines(row.cells[3].paragraphs[0], date)
            if item.overdue:
                _lines(row.cells[3].add_paragraph(), "Overdue", bold=True)
            _lines(row.cells[4].paragraphs[0], action.get_priority_display())
            _lines(row.cells[5].paragraphs[0], action.get_status_display())
        _widths(table, [10.6, 2.5, 4.5, 3.0, 2.5, 3.0])
    else:
        doc.add_paragraph("No actions have been agreed yet.")
    _gaps(doc, report)
    if report.dismissed:
        _dismissed(doc, report)

    doc.add_heading("Sign-off", level=1)
    if a.is_complete:
        signer = ""
        if a.signed_off_by_id:
            signer = f"; recorded by {a.council.person_label(a.signed_off_by)}"
        _lines(doc.add_paragraph(), f"Agreed by {a.agreed_by} on {long_date(a.agreed_on)}{signer}.")
        if a.minute_reference:
            _lines(doc.add_paragraph(), f"Minute reference: {a.minute_reference}")
    else:
        doc.add_paragraph("Not yet agreed. This is a draft.")
    note = doc.add_paragraph()
    note_run = note.add_run(f"Produced by Self-Assess on {long_date(report.generated_on)}.")
    note_run.font.size = Pt(8)
    note_run.font.color.rgb = SECONDARY

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _field(paragraph, instruction: str, size) -> None:
    """A Word field (PAGE, NUMPAGES) as runs: begin, the instruction, separate, a
    placeholder result, end. Word and LibreOffice work the result out for each page."""

    def run_of(element) -> None:
        run = paragraph.add_run()
        run.font.size = size
        run._r.append(element)

    def char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_of(char("begin"))
    run_of(instr)
    run_of(char("separate"))
    paragraph.add_run("1").font.size = size
    run_of(char("end"))


def _header_and_footer(section, report: ReportData) -> None:
    """DRAFT at the top of every page of a draft; the PDF's footer at the foot of every
    page: council and assessment, the day it was made, and "Page X of Y"."""
    if report.is_draft:
        mark = section.header.paragraphs[0]
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = mark.add_run("DRAFT")
        run.bold = True
        run.font.size = Pt(14)
        run.font.color.rgb = DRAFT_RED
    size = Pt(8)
    first = section.footer.paragraphs[0]
    second = section.footer.add_paragraph()
    second.paragraph_format.tab_stops.add_tab_stop(Cm(USABLE_CM), WD_TAB_ALIGNMENT.RIGHT)
    for paragraph, text in (
        (first, f"{report.council.name} – {report.assessment.title}"),
        (second, f"Produced by Self-Assess on {long_date(report.generated_on)}\tPage "),
    ):
        run = paragraph.add_run(xml_safe(text))
        run.font.size = size
    _field(second, "PAGE", size)
    second.add_run(" of ").font.size = size
    _field(second, "NUMPAGES", size)
    for paragraph in (first, second):
        for run in paragraph.runs:
            run.font.color.rgb = SECONDARY


def _covering(doc, report: ReportData) -> None:
    covering = report.covering
    if covering is None:
        return
    for heading, text in (
        ("Covering summary", covering.summary),
        ("Recommendations", covering.recommendations),
    ):
        if text:
            doc.add_heading(heading, level=1)
            for block in text.split("\n\n"):
                _lines(doc.add_paragraph(), block)


def _gaps(doc, report: ReportData) -> None:
    doc.add_heading("Gaps without an action", level=1)
    rows = gap_rows(report)
    top = report.view.levels[-1].value
    if not rows:
        doc.add_paragraph(f"Every statement scored below {top} has an action in the forward plan.")
        return
    lead = doc.add_paragraph(
        f"{len(rows)} statement{'s' if len(rows) != 1 else ''} scored below {top} with no "
        "action in the forward plan."
    )
    lead.paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1 + len(rows), cols=2)
    table.style = "Table Grid"
    _header_row(table, ["Statement", "Score"])
    for row, (_principle, ref, text, score, level) in zip(table.rows[1:], rows, strict=True):
        cell = row.cells[0].paragraphs[0]
        cell.add_run(f"{ref} ").bold = True
        _lines(cell, text)
        _lines(row.cells[1].paragraphs[0], f"{score}: {level}")
    _widths(table, [21.1, 5])


def _alt_text(inline_shape, text: str) -> None:
    doc_pr = inline_shape._inline.docPr
    doc_pr.set("descr", text)
    doc_pr.set("title", "Principle scores")


def _comparison(doc, c) -> None:
    doc.add_heading(f"Change since {c.earlier.assessment.title}", level=1)
    counts = c.counts
    parts = [
        f"{counts['improved']} improved",
        f"{counts['unchanged']} unchanged",
        f"{counts['worse']} worse",
    ]
    if counts["not compared"]:
        parts.append(f"{counts['not compared']} not compared")
    if counts["new"]:
        parts.append(f"{counts['new']} new")
    if counts["removed"]:
        parts.append(f"{counts['removed']} no longer in the toolkit")
    _lines(
        doc.add_paragraph(),
        f"Overall {c.earlier.totals.total} → {c.later.totals.total} out of "
        f"{c.later.totals.maximum}. Statements: {', '.join(parts)}.",
    )
    table = doc.add_table(rows=1 + len(c.principles), cols=4)
    table.style = "Table Grid"
    _header_row(
        table, ["Principle", c.earlier.assessment.title, c.later.assessment.title, "Change"]
    )
    for row, p in zip(table.rows[1:], c.principles, strict=True):
        delta = "–" if p.delta is None else f"{p.delta:+d}" if p.delta else "0"
        values = [
            f"{p.number}. {p.title}",
            str(p.before.total) if p.before else "–",
            str(p.after.total) if p.after else "–",
            delta,
        ]
        for cell, value in zip(row.cells, values, strict=True):
            _lines(cell.paragraphs[0], value)
    _widths(table, [12, 4.5, 4.5, 3])
    changed = [s for s in c.statements if s.kind in ("improved", "worse")]
    doc.add_heading("Statements whose score changed", level=2)
    for s in changed:
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(f"{s.ref} ").bold = True
        p.add_run(s.label)
    if not changed:
        doc.add_paragraph("None")


def _feedback(doc, results, include_comments: bool) -> None:
    doc.add_heading("What councillors said", level=1)
    state = results.state
    rate = (
        f": {state.answered_invited} of {state.invited} invited ({state.response_rate}%)"
        if state.invited
        else ""
    )
    doc.add_paragraph(
        f"{results.responses} councillors answered the anonymous survey{rate}. The gap is the "
        "councillors' average minus the council's score; below zero, councillors see less "
        "than the council says."
    )
    rows = results.principles_by_gap
    table = doc.add_table(rows=1 + len(rows), cols=5)
    table.style = "Table Grid"
    _header_row(
        table, ["Principle", "Council's score", "Councillors' average", "Gap", "Don’t know"]
    )
    for row, p in zip(table.rows[1:], rows, strict=True):
        for cell, value in zip(
            row.cells,
            [
                f"{p.number}. {p.title}",
                "Not scored" if p.officer_total is None else str(p.officer_total),
                one_place(p.councillor_total) or "No total",
                one_place(p.gap, sign=True) or "Not known",
                str(p.dont_know),
            ],
            strict=True,
        ):
            _lines(cell.paragraphs[0], value)
    _widths(table, [10, 3.5, 4, 2.5, 3])
    doc.add_heading("Statements with the largest gaps", level=2)
    for s in results.statements_by_gap[:10]:
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(f"{s.ref} ").bold = True
        p.add_run(
            f"councillors {one_place(s.mean)}, council {s.officer_score} "
            f"(gap {one_place(s.gap, sign=True)})"
        )
    if results.statements_without_gap:
        doc.add_heading("Statements with no average to compare", level=2)
    for s in results.statements_without_gap:
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(f"{s.ref} ").bold = True
        if s.all_dont_know:
            p.add_run(
                f"every councillor who answered ({s.dont_know}) said they don’t know: "
                "councillors may not know about what the council says it does here."
            )
        elif s.officer_score is None:
            people = "councillor" if s.answered == 1 else "councillors"
            p.add_run(f"the council has not scored it yet; {s.answered} {people} gave a view.")
        else:
            p.add_run("no councillor answered it.")
    doc.add_heading("Comments", level=2)
    if not include_comments:
        doc.add_paragraph("Councillors’ comments are left out of this report.")
        return
    if results.round.personal_answers_deleted_at:
        doc.add_paragraph(
            "Councillors’ comments were deleted on "
            f"{long_date(timezone.localdate(results.round.personal_answers_deleted_at))}, "
            "under the rule that "
            "they are kept for a limited time after a round closes."
        )
    commented = [p for p in results.principles if p.comments]
    if not commented and not results.round.personal_answers_deleted_at:
        doc.add_paragraph("No councillor left a comment.")
    for p in commented:
        heading = doc.add_paragraph()
        heading.paragraph_format.keep_with_next = True
        heading.add_run(f"{p.number}. {p.title}").bold = True
        for comment in p.comments:
            _lines(doc.add_paragraph(style="List Bullet"), f"“{comment}”")


def _dismissed(doc, report: ReportData) -> None:
    doc.add_heading("Suggestions dismissed", level=2)
    doc.add_paragraph(
        "Suggested actions the council decided are not for this plan, with its reasons."
    )
    for ref, title, reason, on in dismissed_rows(report):
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(f"{ref} ").bold = True
        _lines(p, title)
        p.add_run().add_break()
        _lines(p, f"Reason: {reason}" if reason else "No reason given.")
        p.add_run().add_break()
        dismissed_on = p.add_run(f"Dismissed on {long_date(on)}.")
        dismissed_on.font.color.rgb = SECONDARY
