"""The top floor: pages and writes that span several apps. No app imports it.

The start page and a person's councils; a council's home (its assessments, the trend
over time with plan delivery, the next review date); an assessment's task list, summary
(with the councillors' feedback) and comparison of two assessments; starting an
assessment, blank or from an earlier one (`services.start_assessment`: the assessment
from `assessments`, its open actions carried by `plans`); the account page and the
personal-data download (`personal_data.py`, which must name every table holding a
person's data); `retention.py`, which calls each app's own purge in turn
(`manage.py apply_retention`); and `manage.py setup_demo`.
"""
