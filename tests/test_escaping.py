"""Everything a person types is shown as text, never run, on every page and in every
export. Each text field gets its own hostile value; then every page of the council (found
from the URL patterns, as in test_isolation) and every download is checked."""

import csv
import datetime
import io
import json
import re
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from selfassess.assessments import services as assessments
from selfassess.councils import services as councils
from selfassess.councils.models import Invitation, Membership, Role
from selfassess.feedback import services as feedback
from selfassess.interchange.json_format import import_assessment
from selfassess.plans import services as plans
from selfassess.reports import services as reports
from selfassess.reports.formats import FORMATS

from .feedback.test_results import invited_token
from .test_isolation import KWARGS, OWN_ACCOUNT, PUBLIC, STAFF, url_patterns


def hostile(n: int) -> str:
    """Field n's value: a marker, then a script tag, an attribute break-out with an
    event handler, and an SVG handler."""
    return f"F{n} <script>alert({n})</script> \"><img src=x onerror=alert({n})> '><svg onload=x>"


def escaped(n: int) -> str:
    return (
        f"F{n} &lt;script&gt;alert({n})&lt;/script&gt; "
        f"&quot;&gt;&lt;img src=x onerror=alert({n})&gt;"
    )


RAW = re.compile(r"<script>alert|<img src=x onerror|<svg onload")

FIELDS = {
    1: "council name",
    2: "a person's full name",
    3: "assessment title",
    4: "evidence",
    5: "who agreed the assessment",
    6: "reason for reopening",
    7: "action title",
    8: "action description",
    9: "action lead",
    10: "action partners",
    11: "progress update",
    12: "feedback round introduction",
    13: "councillor's name on an invitation",
    14: "councillor's comment",
    15: "name on a council invitation",
    16: "covering summary",
    17: "recommendations",
    18: "minute reference",
}


@pytest.fixture
def everything(framework, council, seed002, admin, editor, settings):
    settings.SURVEY_MIN_RESPONSES = 5
    settings.BENCHMARKS = True  # the sharing page, the host's console, the open data
    council.name = hostile(1)
    council.save()
    editor.full_name = hostile(2)
    editor.save()
    seed002["title"] = hostile(3)
    seed002["responses"][0]["evidence"] = hostile(4)
    assessment = import_assessment(json.dumps(seed002), council=council, user=editor).assessment
    assessments.sign_off(
        assessment=assessment,
        user=admin,
        agreed_by=hostile(5),
        agreed_on=datetime.date(2025, 2, 3),
        minute_reference=hostile(18),
    )
    assessments.reopen(assessment=assessment, user=admin, reason=hostile(6))
    reports.save_covering_report(
        assessment=assessment,
        user=editor,
        summary=hostile(16),
        recommendations=hostile(17),
        seen_version=0,
    )
    action = plans.create_action(
        assessment=assessment,
        user=editor,
        data=plans.ActionInput(
            title=hostile(7),
            description=hostile(8),
            lead=hostile(9),
            partners=hostile(10),
            target_date=datetime.date(2025, 9, 1),
            priority="high",
            status="in_progress",
            refs=["1.1"],
        ),
    )
    plans.add_progress(action=action, user=editor, on=datetime.date(2025, 3, 1), text=hostile(11))
    today = datetime.date.today()
    round_ = feedback.open_round(
        assessment=assessment,
        user=admin,
        opens_on=today - datetime.timedelta(days=2),
        closes_on=today + datetime.timedelta(days=5),
        introduction=hostile(12),
        shared_link=True,
    )
    feedback.add_invitations(round_=round_, people=[feedback.Invitee(hostile(13), "c@example.org")])
    refs = [f"{p}.{s}" for p in range(1, 6) for s in range(1, 6)]
    for i in range(10):  # enough personal answers for results and comments to show
        token = invited_token(round_)
        comments = {"1": hostile(14)} if i == 0 else {}
        feedback.submit(token, {"statements": dict.fromkeys(refs, 1), "comments": comments})
    # What councillors see while the round is open: the shared link page, the survey's
    # first page (with the introduction) and a principle page.
    token = feedback.shared_ticket(round_.public_id, round_.access_code)
    survey_pages = [
        Client().get(path).content.decode()
        for path in (
            f"/survey/shared/{round_.public_id}/",
            f"/survey/{token}/",
            f"/survey/{token}/page/1/",
        )
    ]
    feedback.close_round(round_=round_, user=admin)
    round_.refresh_from_db()  # sealed by the task it queued
    councils.invite(
        council=council, email="new@example.org", role=Role.VIEWER, full_name=hostile(15), by=admin
    )
    return {
        "survey_pages": survey_pages,
        "council": council,
        "assessment": assessment,
        "action": action,
        "round": round_,
        "membership": Membership.objects.get(user=editor),
        "invitation": Invitation.objects.get(email="new@example.org"),
    }


def council_pages(objects) -> list[str]:
    urls = []
    for name, route in url_patterns().items():
        if name in PUBLIC | OWN_ACCOUNT | STAFF:
            continue
        keys = re.findall(r"<(?:\w+:)?(\w+)>", route)
        if "fmt" in keys:
            continue  # downloads are checked below, format by format
        urls.append(reverse(name, kwargs={k: KWARGS[k](objects) for k in keys}))
    return urls


def test_every_page_shows_typed_text_as_text(everything, admin, login):
    client = login(admin)
    seen = "".join(everything["survey_pages"])
    assert RAW.search(seen) is None
    for path in council_pages(everything) + ["/", "/account/"]:
        resp = client.get(path)
        assert resp.status_code in (200, 302, 405), f"{path}: {resp.status_code}"
        if resp.status_code != 200 or not resp["Content-Type"].startswith(
            ("text/html", "image/svg")
        ):
            continue
        body = resp.content.decode()
        match = RAW.search(body)
        assert match is None, (
            f"{path} shows raw markup: {body[match.start() - 80 : match.end() + 40]}"
        )
        seen += body
    shown = {n for n in FIELDS if escaped(n) in seen}
    # Every field appears somewhere, escaped; otherwise this test would prove nothing.
    assert shown == set(FIELDS), {FIELDS[n] for n in set(FIELDS) - shown}


def test_the_host_and_the_open_data_show_typed_text_as_text(everything, admin, login, client):
    from selfassess.benchmarks.services import publish_snapshot

    council = everything["council"]
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    snapshot = publish_snapshot()
    staff = login(admin)
    seen = ""
    for who, path in (
        (staff, "/host/"),
        (staff, f"/host/councils/{council.pk}/"),
        (staff, f"/host/?q={hostile(1)}"),
        (client, "/benchmarks/"),
        (client, f"/benchmarks/{snapshot.pk}/?group={hostile(19)}"),
    ):
        resp = who.get(path)
        assert resp.status_code == 200, path
        body = resp.content.decode()
        assert RAW.search(body) is None, path
        seen += body
    assert escaped(1) in seen  # the council's name, on the console


def test_invitation_page_and_email_text(everything, smtp):
    invitation = everything["invitation"]
    councils.resend(invitation=invitation, by=None)
    message = smtp.to("new@example.org")[-1]
    body = smtp.body(message)
    assert hostile(15) in body  # plain text email: shown exactly as typed
    assert message.get_content_type() == "text/plain"
    path = next(ln for ln in body.splitlines() if "/invitations/" in ln).split("testserver")[1]
    page = Client().get(path.strip()).content.decode()
    assert RAW.search(page) is None and escaped(1).replace("F1 ", "F1 ") in page


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
    assert RAW.search(xml) is None  # only escaped inside XML text nodes
    return (
        re.sub(r"<[^>]+>", "", xml)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&amp;", "&")
    )


@pytest.mark.parametrize("key", sorted(FORMATS))
def test_every_download_keeps_typed_text_exact_and_inert(everything, admin, login, key):
    a = everything["assessment"]
    resp = login(admin).get(f"/councils/example/assessments/{a.pk}/report/download/{key}/")
    assert resp.status_code == 200
    data = resp.content
    if key == "docx":
        text = _docx_text(data)
        for n in (3, 4, 7, 8, 16, 17):
            assert hostile(n) in text, FIELDS[n]
    elif key == "pdf":
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        flat = " ".join(text.split())
        for n in (3, 4, 16, 17):
            assert " ".join(hostile(n).split()) in flat, FIELDS[n]
    elif key == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data))
        values = [str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value]
        assert hostile(4) in values and hostile(7) in values and hostile(16) in values
        assert not any(v.startswith(("=", "+", "-", "@")) for v in values if "alert" in v)
    elif key in ("csv", "plan-csv"):
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        cells = [c for row in rows for c in row]
        assert hostile(4 if key == "csv" else 7) in cells
    elif key == "json":
        doc = json.loads(data)
        assert doc["title"] == hostile(3)
        assert doc["responses"][0]["evidence"] == hostile(4)
