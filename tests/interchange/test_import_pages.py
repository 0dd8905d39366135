"""Importing a completed toolkit through the pages: upload, check what was read, correct,
confirm. Each of seed 002's fixtures becomes a draft assessment of 3, 3, 7, 9, 6 =
28 / 50 with its evidence exact; nothing is saved before the confirm; doubtful readings
are shown; bad files are refused on the upload page; a preview cannot be altered, reused
by someone else or taken to another council."""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from selfassess.assessments.models import Assessment, Change, Status
from selfassess.assessments.selectors import assessment_view
from selfassess.councils.models import Role
from selfassess.interchange import documents

from ..hostile.common import diff, post_forms, snapshot
from .test_readers import FIXTURES, LINK, RESPONSES, TOTALS, expected_evidence

SEED_002 = Path(__file__).resolve().parents[1] / "fixtures" / "seed-002-assessment.json"
CLEAN = ["seed-002.docx", "seed-002.pdf", "seed-002-toolkit.xlsx", "seed-002-columns.xlsx",
         "seed-002.txt"]  # fmt: skip


def upload_url(council) -> str:
    return reverse("interchange:upload", kwargs={"slug": council.slug})


def upload(client, council, name: str, data: bytes | None = None, **fields):
    data = (FIXTURES / name).read_bytes() if data is None else data
    body = {
        "title": "Baseline 2024",
        "assessed_on_day": "12",
        "assessed_on_month": "6",
        "assessed_on_year": "2024",
        "file": SimpleUploadedFile(name, data, content_type="application/octet-stream"),
    } | fields
    return client.post(upload_url(council), body)


def confirm_form(response) -> tuple[str, dict]:
    """The preview's form, as a browser would submit it unchanged."""
    page = response.content.decode()
    [form] = [f for f in post_forms(page, "") if f.action.endswith("/import/check/")]
    fields = {name: values[0] if len(values) == 1 else values for name, values in
              form.fields.items()}  # fmt: skip
    # The parser reads a radio's value="" (Not scored yet) as "on"; a browser sends "".
    return form.action, {k: ("" if v in ([], "on") else v) for k, v in fields.items()}


def evidence_for(name: str):
    if name == "seed-002.txt":
        return lambda ref: RESPONSES[ref]["evidence"]
    return expected_evidence


@pytest.mark.parametrize("name", CLEAN)
def test_each_fixture_imports_through_the_pages(name, framework, council, editor, login):
    client = login(editor)
    before = snapshot()
    preview = upload(client, council, name)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert page.count("Read clearly</strong>") == 25
    assert "Needs checking</strong>" not in page
    assert "Total of the marks read</dt>" in page and "28 / 50" in page
    assert diff(before, snapshot()) == {}, "the preview saved something"

    action, fields = confirm_form(preview)
    done = client.post(action, fields)
    assessment = Assessment.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse(
        "workspace:assessment", kwargs={"slug": council.slug, "pk": assessment.pk}
    )
    assert (assessment.title, assessment.assessed_on) == ("Baseline 2024",
                                                          datetime.date(2024, 6, 12))  # fmt: skip
    assert assessment.status == Status.DRAFT
    view = assessment_view(assessment)
    assert [p.totals.total for p in view.principles] == TOTALS
    assert (view.totals.total, view.totals.maximum) == (28, 50)
    evidence = evidence_for(name)
    for response in assessment.responses.select_related("statement"):
        ref = response.statement.ref
        assert response.score == RESPONSES[ref]["score"], ref
        assert response.evidence == evidence(ref), ref
        assert response.links == ([LINK] if ref == "4.5" and name != "seed-002.txt" else [])
    created = Change.objects.get(assessment=assessment, field=Change.Field.CREATED)
    sha = hashlib.sha256((FIXTURES / name).read_bytes()).hexdigest()
    assert created.note == f"Imported from “{name}” (SHA-256 {sha})"
    assert created.user == editor

    task_list = client.get(done["Location"]).content.decode()
    assert f"You imported “Baseline 2024” from {name} as a draft." in task_list


def test_doubtful_file_shows_what_needs_checking_and_saves_nothing(
    framework, council, editor, login
):
    client = login(editor)
    before = snapshot()
    page = upload(client, council, "doubtful.docx").content.decode()
    assert page.count("Needs checking</strong>") == 6
    assert page.count("Read clearly</strong>") == 19
    for ref, reason in [
        ("1.2", "Cell shaded instead of marked"),
        ("1.4", "No mark found"),
        ("2.3", "Two marks in one row"),
        ("3.5", "“maybe” is not a score"),
        ("5.4", "Statement text not found in the document"),
        ("5.5", "“1” is written in the “Comprehensive” column"),
    ]:
        prefix = "r" + ref.replace(".", "-")
        assert f'href="#statement-{prefix}">Statement {ref}</a>: {reason}</li>' in page
        block = page.split(f'id="statement-{prefix}"')[1].split('class="app-statement"')[0]
        assert "Needs checking" in block
    # The typed total that disagrees with the marks, for its principle.
    assert (
        "The document gives principle 4 a total of 8 / 10, but its marks add up to 9 / 10. "
        "The marks are used."
    ) in page
    assert "Total typed in the document: 8 / 10" in page
    assert diff(before, snapshot()) == {}


def test_officer_corrects_rows_and_the_history_says_so(framework, council, editor, login):
    client = login(editor)
    action, fields = confirm_form(upload(client, council, "doubtful.docx"))
    fields |= {"r1-4-score": "1", "r5-4-score": "2", "r5-4-evidence": "Typed by hand."}
    assert client.post(action, fields).status_code == 302
    assessment = Assessment.objects.get()
    scores = {r.statement.ref: r.score for r in assessment.responses.select_related("statement")}
    assert (scores["1.4"], scores["5.4"], scores["2.3"]) == (1, 2, None)
    assert assessment.responses.get(statement__ref="5.4").evidence == "Typed by hand."
    note = Change.objects.get(assessment=assessment, field=Change.Field.CREATED).note
    assert note.startswith("Imported from “doubtful.docx” (SHA-256 ")
    assert note.endswith("; 2 statements changed from what was read")


def test_a_refused_confirm_shows_what_the_officer_typed(framework, council, editor, login):
    client = login(editor)
    action, fields = confirm_form(upload(client, council, "seed-002.docx"))
    fields |= {
        "title": "",
        "r1-1-score": "2",
        "r1-1-evidence": "My own words <b>kept</b>",
        "r2-2-links": "not a web address",
    }
    again = client.post(action, fields)
    assert again.status_code == 400
    page = again.content.decode()
    assert "govuk-error-summary" in page
    assert "Enter a title, for example Baseline 2024" in page
    assert "Links for statement 2.2: “not a web address” is not a web address" in page
    assert "My own words &lt;b&gt;kept&lt;/b&gt;" in page
    assert 'name="r1-1-score" type="radio" value="2" checked' in page
    assert Assessment.objects.count() == 0
    # The page shown again still carries the reading: fix it and confirm.
    action, fields = confirm_form(again)
    fields |= {"title": "Baseline 2024", "r2-2-links": ""}
    assert client.post(action, fields).status_code == 302
    response = Assessment.objects.get().responses.get(statement__ref="1.1")
    assert (response.score, response.evidence) == (2, "My own words <b>kept</b>")


def test_confirming_the_same_check_page_again_imports_nothing_more(
    framework, council, editor, login
):
    """Back to the check page and confirm again, or a second click: the first import is
    found, said, and shown; one assessment, one history entry."""
    client = login(editor)
    action, fields = confirm_form(upload(client, council, "seed-002.docx"))
    first = client.post(action, fields)
    assert first.status_code == 302
    assessment = Assessment.objects.get()
    again = client.post(action, fields | {"title": "Another title"}, follow=True)
    assert again.redirect_chain[0][0] == first["Location"]
    assert Assessment.objects.get() == assessment and assessment.title == "Baseline 2024"
    assert Change.objects.filter(field=Change.Field.CREATED).count() == 1
    page = again.content.decode()
    assert "seed-002.docx was already imported from this check page, as “Baseline 2024”" in page
    # A new upload of the same file is a new check page: a second import is possible,
    # on purpose (say, a baseline and a copy to practise on).
    action, fields = confirm_form(upload(client, council, "seed-002.docx"))
    assert client.post(action, fields).status_code == 302
    assert Assessment.objects.count() == 2


@pytest.mark.parametrize(
    "change",
    ["tampered", "other user", "other council", "expired", "missing"],
)
def test_a_preview_is_only_good_for_its_own_person_council_and_time(
    change, framework, council, other_council, editor, second_editor, login, monkeypatch
):
    client = login(editor)
    action, fields = confirm_form(upload(client, council, "seed-002.docx"))
    if change == "tampered":
        token = fields["preview"]
        fields["preview"] = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
    elif change == "other user":
        client = login(second_editor)
    elif change == "other council":
        # The same person, an editor of both councils, posts it at the other council.
        other_council.memberships.create(user=editor, role=Role.EDITOR)
        action = reverse("interchange:confirm", kwargs={"slug": other_council.slug})
    elif change == "expired":
        monkeypatch.setattr(documents, "PREVIEW_MAX_AGE", datetime.timedelta(seconds=-1))
    else:
        del fields["preview"]
    before = snapshot()
    refused = client.post(action, fields)
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "This check of the file has expired or cannot be used. Nothing was imported." in page
    assert "govuk-error-summary" in page
    assert diff(before, snapshot()) == {}


@pytest.mark.parametrize(
    "name, message",
    [
        ("scanned.pdf", "This PDF has no text layer; it looks scanned."),
        ("encrypted.pdf", "This PDF is protected with a password"),
        ("password-protected.docx", "This file is protected with a password"),
        ("corrupt.docx", "The file is damaged and cannot be opened."),
        ("macros.docm", "This file contains macros, which we do not open."),
        ("attached-template.docx", "This file links to files outside it (an attached template)"),
        ("not-a-toolkit.docx", "This file does not look like the Ending Abuse in Public Life"),
    ],
)
def test_bad_files_are_refused_on_the_upload_page(name, message, framework, council, editor,
                                                  login):  # fmt: skip
    client = login(editor)
    before = snapshot()
    response = upload(client, council, name)
    assert response.status_code == 400
    page = response.content.decode().replace("&#x27;", "'")
    assert "govuk-error-summary" in page and message in page
    assert "Import a completed toolkit" in page
    assert diff(before, snapshot()) == {}


def test_a_zip_bomb_is_refused_unopened(framework, council, editor, login):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", bytes(50_000_000))
    response = upload(login(editor), council, "bomb.docx", buffer.getvalue())
    assert response.status_code == 400
    assert "packed far more tightly than a real document is" in response.content.decode()
    assert Assessment.objects.count() == 0


def test_a_25_mb_upload_is_refused_with_a_clear_message(
    framework, council, editor, login, settings, tmp_path
):
    # Were any upload written to disk, Django's own handlers would need this folder.
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "absent")
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1
    client = login(editor)
    assert upload(client, council, "seed-002.pdf").status_code == 200
    data = b"%PDF-1.7\n" + bytes(25 * 1024 * 1024)
    response = upload(client, council, "big.pdf", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "The selected file must be smaller than 20 MB" in page
    assert Assessment.objects.count() == 0


def test_the_size_limit_is_a_setting(framework, council, editor, login, settings):
    settings.IMPORT_MAX_BYTES = 10_000
    response = upload(login(editor), council, "seed-002.docx")
    assert "The selected file must be smaller than 10 KB" in response.content.decode()
    settings.IMPORT_MAX_BYTES = 20 * 1024 * 1024
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 100_000
    response = upload(login(editor), council, "seed-002.docx")
    assert "The file would unpack to more than 0.1 MB" in response.content.decode()


def test_upload_needs_a_file_a_title_and_a_date(framework, council, editor, login):
    client = login(editor)
    response = client.post(upload_url(council), {"title": "", "assessed_on_day": "31",
                                                  "assessed_on_month": "2",
                                                  "assessed_on_year": "2024"})  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    for message in ["Select the completed toolkit file", "Enter a title, for example Baseline",
                    "The date of the assessment must be a real date"]:  # fmt: skip
        assert message in page
    empty = upload(client, council, "empty.docx", b"")
    assert "The selected file is empty" in empty.content.decode()


def test_the_products_own_json_is_imported_straight_away(framework, council, editor, login):
    client = login(editor)
    data = SEED_002.read_bytes()
    response = upload(client, council, "baseline.json", data, title="From our export")
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert (assessment.title, assessment.council) == ("From our export", council)
    assert assessment.assessed_on == datetime.date(2024, 6, 12)
    assert assessment_view(assessment).totals.total == 28
    note = Change.objects.get(assessment=assessment, field=Change.Field.CREATED).note
    assert note == f"Imported from “baseline.json” (SHA-256 {hashlib.sha256(data).hexdigest()})"


def test_a_json_file_with_problems_lists_them_and_saves_nothing(
    framework, council, editor, login
):
    data = json.loads(SEED_002.read_text())
    data["responses"][0]["score"] = 7
    data["framework"]["version"] = "1999-01"
    client = login(editor)
    before = snapshot()
    response = upload(client, council, "bad.json", json.dumps(data).encode())
    assert response.status_code == 400
    page = response.content.decode()
    assert "This Self-Assess file cannot be imported. In the file: framework: " in page
    assert diff(before, snapshot()) == {}


def test_only_editors_and_admins_may_import(framework, council, viewer, editor, login):
    assert login(viewer).get(upload_url(council)).status_code == 403
    assert upload(login(viewer), council, "seed-002.docx").status_code == 403
    assert Assessment.objects.count() == 0
    council_page = reverse("workspace:council", kwargs={"slug": council.slug})
    assert "Import a completed toolkit" not in login(viewer).get(council_page).content.decode()
    page = login(editor).get(council_page).content.decode()
    assert f'href="{upload_url(council)}"' in page


def test_the_confirm_address_alone_leads_back_to_the_upload(framework, council, editor, login):
    response = login(editor).get(reverse("interchange:confirm", kwargs={"slug": council.slug}))
    assert response.status_code == 302 and response["Location"] == upload_url(council)


def test_a_statement_found_reworded_shows_the_documents_words(
    framework, council, editor, login
):
    text = (FIXTURES / "seed-002.txt").read_text()
    reworded = "We regularly evaluate the effectiveness of the wellbeing support programme, " \
        "asking councillors and stakeholders for feedback to identify areas for improvement " \
        "and enhancement."  # fmt: skip
    original = next(line for line in text.split("\n") if line.startswith("We regularly "
                                                                           "evaluate the effe"))
    text = text.replace(original.split("\t")[0], reworded, 1)
    page = upload(login(editor), council, "x.txt", text.encode()).content.decode()
    block = page.split('id="statement-r1-5"')[1].split('class="app-statement"')[0]
    assert "As found in the document:" in block and "wellbeing support programme" in block
    assert "Needs checking" in block


def test_every_upload_problem_is_said_at_once(framework, council, editor, login):
    """A bad file with no title: both said. A good file with no title: the check page,
    with the title's error on it, so the file need not be chosen again."""
    client = login(editor)
    page = upload(client, council, "corrupt.docx", title="").content.decode()
    assert "The file is damaged and cannot be opened." in page
    assert "Enter a title, for example Baseline 2024" in page
    checking = upload(client, council, "seed-002.docx", title="")
    assert checking.status_code == 400
    page = checking.content.decode()
    assert "Check what was read" in page and "govuk-error-summary" in page
    assert "Enter a title, for example Baseline 2024" in page
    assert Assessment.objects.count() == 0
    action, fields = confirm_form(checking)
    assert client.post(action, fields | {"title": "Baseline 2024"}).status_code == 302
    assert assessment_view(Assessment.objects.get()).totals.total == 28


def test_what_a_document_holds_is_shown_as_text(framework, council, editor, login):
    """Markup in a document's evidence, or in the file's name, is shown as text on the
    check page and kept exact in the assessment."""
    text = (FIXTURES / "seed-002.txt").read_text()
    hostile = "<script>alert(1)</script> \"><img src=x onerror=alert(2)>"
    text = text.replace(RESPONSES["1.1"]["evidence"], hostile, 1)
    name = '"><svg onload=alert(3)>.txt'
    client = login(editor)
    preview = upload(client, council, name, text.encode())
    page = preview.content.decode()
    assert "<script>alert(1)" not in page and "<img src=x" not in page and "<svg" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    action, fields = confirm_form(preview)
    client.post(action, fields)
    response = Assessment.objects.get().responses.get(statement__ref="1.1")
    assert response.evidence == hostile


def test_the_longest_evidence_everywhere_is_accepted(framework, council, editor, login):
    """25 statements of 10,000 four-byte characters each (12 bytes apiece once
    percent-encoded) fit in one confirm: DATA_UPLOAD_MAX_MEMORY_SIZE allows it."""
    client = login(editor)
    action, fields = confirm_form(upload(client, council, "seed-002.docx"))
    longest = "\U0001f600" * 10_000
    fields |= {name: longest for name in fields if name.endswith("-evidence")}
    body = urlencode(fields, doseq=True)  # as a browser sends the form
    assert len(body) > 3_000_000
    assert client.post(action, body, "application/x-www-form-urlencoded").status_code == 302
    assert Assessment.objects.get().responses.filter(evidence=longest).count() == 25
