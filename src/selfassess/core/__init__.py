"""What every app may use; it imports no app.

Pages about no council's data (accessibility, privacy, security, health check), form
helpers (the GOV.UK date input), dates (`dates.py`) and one-place figures
(`numbers.one_place`), link tokens, checking documents against a JSON Schema with every
problem named (`validation.Problems`), the idle-timeout middleware and the session timer
the timeout warning reads and extends (`views.session_status`, `session_extend`), what
was typed after a session ended, kept for that person and page (`kept.py`), logging that
redacts survey and invitation links, the email backend that refuses without a server,
`manage.py backup` / `restore` (`backup.py`), and the abstract history row every app's
table of changes extends (`models.ChangeRecord`).
"""
