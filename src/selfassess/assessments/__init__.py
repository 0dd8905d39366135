"""Assessments, their responses, totals, sign-off and history.

`Assessment` (council, toolkit version, title, date, status, sign-off, the `previous`
assessment it was started from), one `Response` per statement (score on the toolkit's
scale or empty, evidence, links, `needs_review`, `version`), and `Change`, the history of
every score, evidence and link change and of the assessment's own events (created,
signed off, reopened, feedback opened and closed). `services.create_assessment` is the
one way an assessment comes into being: blank, from an earlier one (values copied by
statement ref and flagged for review until someone confirms or changes each; sign-off
waits for that; the newest toolkit version, with removed and added refs reported by
`compare.statement_changes`), or with imported values. `services.check_scores` holds
scores to the toolkit's own scale. Totals are never stored (`selectors.totals_of`).
`compare.py` matches two assessments by ref (improved, unchanged, worse, not compared,
new, removed).

No lost updates: each response has a `version`; the principle page carries, per
statement, the version and a digest of the values it was opened with, and
`services.save_responses` tells apart statements the user changed from stale copies they
never touched. A statement both people changed to different values is a conflict:
nothing on the page is saved and the page shows both versions. The write is a
compare-and-set (UPDATE ... WHERE version = n) after locking the assessment row (SELECT
... FOR UPDATE on PostgreSQL; SQLite's write lock at BEGIN IMMEDIATE). Complete means
read-only until an admin reopens it with a reason. Sign-off needs every statement scored
and reviewed, and a date agreed on or after the assessment's own and not in the future
(`services.check_agreed_on`); a score with no evidence (`Response.scored_without_evidence`)
is shown and warned about, never forbidden. Histories keep what was stored and are shown
in words (`selectors.shown_value`).
"""
