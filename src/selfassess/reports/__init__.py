"""Everything the committee takes away.

`context.report_data` gathers one assessment once (scores, totals, statements by level,
the plan with each action's latest progress update, the gaps without an action, the
suggested actions dismissed with their reasons, the councillors' feedback, the covering
report) and every format renders that:
`templates/reports/_body.html` is the one template behind both the on-screen report and
the PDF (WeasyPrint, tagged PDF/UA-1, A4, page numbers, repeated table headers, the chart
as vector SVG); `docx.py` (python-docx, the toolkit's own table layout), `xlsx.py`
(openpyxl), `csv.py`, and the JSON interchange. `charts.py` draws charts with matplotlib
(the trend draws equal scores a little apart, labels each line's end and draws drafts
with hollow markers, so no line hides another and no draft passes for agreed).
`formats.py` lists the formats for the download links and `manage.py
export_assessment`, naming each renderer by dotted path so a worker loads WeasyPrint,
python-docx, openpyxl and matplotlib only when it first makes a report. A PDF download is
kept for a day in Django's file-based cache "reports" (`pdf.stored()`), keyed on the
SHA-256 of its exact HTML and of everything else WeasyPrint is given.

A committee paper: the report opens with the officer's covering summary and
recommendations (`models.CoveringReport`, edited on the report page by editors and
admins; `CoveringChange` keeps who changed which, when, from what to what). It is the
reports app's own data, not fields on the assessment: it exists only to introduce this
report, nothing below reads it, and keeping it here keeps the assessments app free of
what one format of output needs. No lost updates: the form carries the version it was
opened at and `services.save_covering_report` refuses a save over a newer one (the page
then shows both, with what was typed still in the form), under the assessment's row
lock, so that it cannot race sign-off. Once the assessment is complete the covering
report is what the committee agreed: read-only until an admin reopens the assessment.
The minute of the meeting that agreed the assessment ("Standards Committee, 12 March
2025, minute 34") is part of the agreement, so it is the assessments app's
(`Assessment.minute_reference`, given at sign-off) and the report only reads it.

A draft says DRAFT on every page (the PDF's top margin; Word's page header). The
councillors' comments, word for word, can be left out (`?comments=leave-out`, as
`?since=` adds a comparison): the page, every download and the download's audit entry
follow that choice.
"""
