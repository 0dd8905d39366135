"""The toolkit as data.

`data/lga-ending-abuse-2024-06.yaml` is the whole LGA toolkit: its aim, the score scale
(0 Not addressed, 1 Partial, 2 Comprehensive, with definitions), five principles with
theme and description, 25 statements with refs 1.1-5.5, and the councillor survey.
`data/lga-ending-abuse-2024-06.1.yaml` is the same toolkit with Self-Assess's guidance
for each statement (`Statement.guidance`, read through `guidance.py`): what Partial and
Comprehensive typically look like, evidence a committee would accept, and suggested
actions for a starting score of 0 or 1, each keyed by the slug of its title.
`schema.py` is the file format's JSON Schema and `loader.py` validates and loads it
(`manage.py load_framework [PATH]`; with no path, every bundled version, oldest first).
Rows are never edited: the same version with different content is refused, and
responses point at statements with PROTECT. A new toolkit, or new guidance, is a new file
with a new `version`; `selectors.current_framework()` picks the newest (`version_key`:
dates, with numbers compared as numbers), and `selectors.framework_parts()` holds each
version's scale, principles and statements, guidance included, per process, with the one
rule for a maximum score (`FrameworkParts.maximum`). `views.toolkit` is the public page
about the toolkit.
"""
