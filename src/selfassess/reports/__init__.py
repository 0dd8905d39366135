"""Everything the committee takes away.

`context.report_data` gathers one assessment once (scores, totals, statements by level,
the plan, the councillors' feedback) and every format renders that:
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
"""
