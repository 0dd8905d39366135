"""Assessments in and out of the product.

`json_format.py` is the JSON interchange format `selfassess/assessment@1`
(docs/formats.md), with the forward plan: `export_assessment` and `import_assessment`
(all or nothing: a file with any problem imports nothing, and every problem is named by
its place), and `manage.py import_assessment`. It sits above `plans` (a file carries
actions) and below `reports` (JSON is one of the report formats).
"""
