"""Assessments in and out of the product: the JSON format, and councils' completed
toolkits (docs/formats.md).

`json_format.py` is the JSON interchange format `selfassess/assessment@1`, with the
forward plan: `export_assessment` and `import_assessment` (all or nothing: a file with
any problem imports nothing, and every problem is named by its place). `readers/` reads
a council's completed toolkit from Word, PDF, Excel or text, plain Python with no
Django. `documents.py` gives the readers the toolkit and the limits from the database
and settings; `views.py` is "Import a completed toolkit" (upload, check what was read,
correct, confirm; editors and admins); `services.py` writes, one transaction each,
through assessments.services.create_assessment, with a history entry naming the file by
name and SHA-256 and the person. `manage.py import_assessment` takes all four formats,
told apart by content. It sits above `plans` (a JSON file carries actions) and below
`reports` (JSON is one of the report formats).

Rules it keeps:
- Nothing is saved until the officer confirms, and then everything at once, as a draft.
- A check page imports once: its signed reading has an id, kept with the assessment it
  made (models.Import, unique), so Back and confirm again, or two clicks, shows the
  first import rather than making a second draft.
- A file that cannot be used raises core.validation.Problems (readers.ReadError is one)
  and changes nothing.
- Where the file is between the upload and the confirm: nowhere. The upload is held in
  memory (uploads.CappedUploadHandler, never past IMPORT_MAX_BYTES, never on disk),
  read, hashed and dropped within the one request. What the check page carries to the
  confirm is the reading, not the file: the editable values as ordinary form fields,
  and the rest (each statement's text as found, its score read, a fingerprint of what
  was read, the reasons to check, the typed totals, the file's name and SHA-256, and the
  council, person and toolkit version) in one hidden field signed with SECRET_KEY
  (django.core.signing, timestamped, PREVIEW_MAX_AGE six hours). Chosen over the
  session because it keeps nothing on the server at all (no evidence text left behind in
  a session row when an officer walks away, nothing to purge), works in two tabs at
  once and across a server restart, and survives a failed confirm by itself: the page is
  shown again from the posted fields and the same token. The signature stops the token
  being altered (the history's file name and SHA-256 are what was read) or taken to
  another council or person; the form fields are checked as on the principle page.
- A completed toolkit is not kept as evidence: the product has no evidence-file store
  (evidence is text and links), so "keep the file as evidence" is not offered.
- A JSON file goes straight to created (its own checks, with its forward plan, sign-off
  and status), with the title and date typed on the upload page.
"""
