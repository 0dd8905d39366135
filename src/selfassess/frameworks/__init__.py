"""The toolkit as data.

`data/lga-ending-abuse-2024-06.yaml` is the whole LGA toolkit: its aim, the score scale
(0 Not addressed, 1 Partial, 2 Comprehensive, with definitions), five principles with
theme and description, 25 statements with refs 1.1-5.5, and the councillor survey.
`schema.py` is its JSON Schema and `loader.py` validates and loads it
(`manage.py load_framework [PATH]`). Rows are never edited: the same version with
different content is refused, and responses point at statements with PROTECT. A new
toolkit is a new file with a new `version`; `selectors.current_framework()` picks the
newest, and `selectors.framework_parts()` holds each version's scale, principles and
statements per process, with the one rule for a maximum score
(`FrameworkParts.maximum`). `views.toolkit` is the public page about the toolkit.
"""
