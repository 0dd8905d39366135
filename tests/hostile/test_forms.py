"""Hostile input at every form: never a server error, always a clear message, nothing
half-saved.

Every URL pattern of the project is classified here: a route that takes a POST form is in
FORMS, with the role that may post there and the page that shows its form; every other
route is in READ_ONLY. A new route fails test_every_route_is_classified until it is
added. For each form, the fields are read from the real page (what a browser would
submit; the import's check page is reached by uploading a toolkit), and hypothesis posts
mutations of them: hostile text (markup, SQL, NUL and other control characters, very
long strings, out-of-range numbers, impossible dates), fields left out, repeated or
added, bodies that are not UTF-8, and at the toolkit import hostile files (encrypted,
damaged, macros, outside links, scanned, a zip bomb, too large, cut short). Each example runs in a
savepoint that is rolled back, so examples do not see each other's writes.

The assertions, per request:
- the answer is never a server error (the test client re-raises the view's exception);
- a form shown again (400, 409, or 200 to a POST) carries a GOV.UK error summary;
- a redirect is followed, and whatever page it leads to renders too;
- when the input was refused (any answer but a redirect, or a redirect to a page whose
  only message is a problem or a notice), no row of any table changed.
"""

import io
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import resolve, reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from ..test_isolation import url_patterns as all_url_patterns
from .common import HOSTILE_SETTINGS, diff, hostile_text, post_forms, snapshot

TOOLKITS = Path(__file__).resolve().parents[1] / "fixtures" / "toolkit"


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", bytes(50_000_000))
    return buffer.getvalue()


# Files for the toolkit import: encrypted, damaged, with macros or outside links,
# scanned, a zip bomb, too large, a toolkit cut short, JSON that is not an assessment.
HOSTILE_DOCUMENTS = [
    *(
        (TOOLKITS / name).read_bytes()
        for name in ("encrypted.pdf", "password-protected.docx", "corrupt.docx", "macros.docm",
                     "attached-template.docx", "scanned.pdf", "not-a-toolkit.docx")
    ),
    _bomb(),
    b"%PDF-1.7\n" + bytes(21 * 1024 * 1024),
    (TOOLKITS / "seed-002.docx").read_bytes()[:20_000],
    (TOOLKITS / "seed-002.pdf").read_bytes()[:30_000],
    b'{"format": "selfassess/assessment@1", "responses": [{"ref": "1.1", "score": 9}]}',
    b"{" * 100_000,
]  # fmt: skip

# Django's own admin site and the queue's page: staff only, not product pages (the queue's
# are covered by tests/test_isolation.py and tests/background/).
EXCLUDED_PREFIXES = ("admin:", "background:")
# Examples per form; HOSTILE_EXAMPLES=500 HYPOTHESIS_EXPLORE=1 for a long hunt.
MAX_EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "40"))


@dataclass(frozen=True)
class Spec:
    role: str  # who posts: admin, editor, staff (the host's) or anonymous
    host: str | None = None  # the named page that shows the form; default the route itself
    assessment: str = "draft"  # which assessment a <pk> names: draft or complete
    # A success may redirect with no message or only a notice (the survey, allauth's
    # pages); then only a problem message marks the input as refused.
    silent: bool = False
    summary: bool = True  # a refused form is shown again with a GOV.UK error summary
    token: str = "token"  # which of the world's tokens a <token> names
    # A file posted to the host page to reach the form (the import's check page shows
    # the confirm form only in answer to an upload).
    upload: str | None = None


FORMS: dict[str, Spec] = {
    "account_login": Spec("anonymous"),
    "account_logout": Spec("editor", silent=True),
    "account_reset_password": Spec("anonymous", silent=True),
    "account_reset_password_from_key": Spec("anonymous", silent=True),
    "account_change_password": Spec("editor", summary=False),
    "account_set_password": Spec("editor", summary=False),
    "account_reauthenticate": Spec("editor", summary=False, silent=True),
    "account_signup": Spec("anonymous", summary=False),
    "account_confirm_login_code": Spec("anonymous", summary=False),
    "account_email": Spec("editor", summary=False, silent=True),
    "sign_out_everywhere": Spec("editor", host="workspace:account", silent=True),
    "email_settings": Spec("editor", host="workspace:account", silent=True),
    "invitation": Spec("anonymous", token="invitation_token", silent=True),
    "mfa_activate_totp": Spec("editor", summary=False, silent=True),
    "mfa_deactivate_totp": Spec("admin", summary=False, silent=True),
    "mfa_generate_recovery_codes": Spec("admin", summary=False, silent=True),
    "mfa_reauthenticate": Spec("admin", summary=False, silent=True),
    "mfa_authenticate": Spec("anonymous", summary=False),
    "councils:people": Spec("admin"),
    "councils:invitation_action": Spec("admin", host="councils:people"),
    "workspace:review_date": Spec("admin", host="workspace:council"),
    "councils:change_role": Spec("admin", host="councils:people"),
    "councils:remove": Spec("admin"),
    "councils:sharing": Spec("admin"),
    "host:new_council": Spec("staff"),
    "host:edit_council": Spec("staff"),
    "host:publish": Spec("staff", host="host:console"),
    "workspace:start": Spec("editor"),
    "interchange:upload": Spec("editor"),
    "interchange:confirm": Spec("editor", host="interchange:upload", upload="doubtful.docx"),
    "assessments:principle": Spec("editor"),
    "assessments:sign_off": Spec("admin"),
    "assessments:reopen": Spec("admin", assessment="complete"),
    "plans:add_suggestions": Spec("editor", host="plans:suggestions"),
    "plans:dismiss": Spec("editor"),
    "plans:restore": Spec("editor", host="plans:suggestions"),
    "plans:new": Spec("editor"),
    "plans:edit": Spec("editor"),
    "plans:delete": Spec("editor"),
    "plans:progress": Spec("editor", host="plans:detail"),
    "reports:covering": Spec("editor", host="reports:report"),
    "feedback:new": Spec("admin"),
    "feedback:round": Spec("admin"),
    "feedback:send": Spec("admin", host="feedback:round"),
    "feedback:close": Spec("editor", silent=True),
    "feedback:shared": Spec("anonymous", silent=True),
    "feedback:page": Spec("anonymous", silent=True),
    "feedback:check": Spec("anonymous", silent=True),
}

# Pages without a form of their own (their forms post elsewhere, or they only show
# things). They still get hostile POSTs: answered without a server error, nothing saved.
READ_ONLY = {
    "workspace:home", "toolkit", "accessibility", "privacy", "security", "healthz",
    "workspace:account", "workspace:personal_data", "workspace:your_work", "mfa_index",
    "mfa_view_recovery_codes", "mfa_download_recovery_codes", "councils:audit",
    "account_inactive", "account_email_verification_sent", "account_confirm_email",
    "account_reset_password_done", "account_reset_password_from_key_done",
    "workspace:council", "workspace:compare", "workspace:trend_chart", "workspace:assessment",
    "assessments:history", "workspace:summary", "workspace:summary_chart",
    "plans:plan", "plans:suggestions", "plans:detail",
    "reports:report", "reports:download", "reports:covering_history",
    "feedback:rounds", "feedback:results", "feedback:done", "feedback:start",
    "session_status", "session_extend", "continue_after_two_factor",
    "benchmarks:index", "benchmarks:snapshot", "benchmarks:download", "host:console",
}  # fmt: skip


def url_patterns() -> dict[str, str]:
    return all_url_patterns(EXCLUDED_PREFIXES)


def route_kwargs(name: str) -> list[str]:
    route = url_patterns()[name]
    return re.findall(r"<(?:\w+:)?(\w+)>", route) + re.findall(r"\(\?P<(\w+)>", route)


# Where each URL keyword's value comes from in the world below.
KWARGS = {
    "slug": lambda w, spec: w["council"].slug,
    "pk": lambda w, spec: w[spec.assessment].pk,
    "number": lambda w, spec: 2,
    "ref": lambda w, spec: w["gap_ref"],
    "suggestion": lambda w, spec: "general",  # the gap's (seed 002's toolkit has no guidance)
    "member_id": lambda w, spec: w["target"].pk,
    "action_id": lambda w, spec: w["action"].pk,
    "round_id": lambda w, spec: w["round"].pk,
    "fmt": lambda w, spec: "csv",
    "public_id": lambda w, spec: w["round"].public_id,
    "token": lambda w, spec: w[spec.token],
    "invitation_id": lambda w, spec: w["invitation"].pk,
    "page": lambda w, spec: 2,
    "snapshot_id": lambda w, spec: w["snapshot"].pk,
    "council_id": lambda w, spec: w["council"].pk,
    "uidb36": lambda w, spec: w["reset"][0],
    "key": lambda w, spec: w["reset"][1],
}


def test_every_route_is_classified():
    names = url_patterns()
    unknown = sorted(set(names) - set(FORMS) - READ_ONLY)
    assert not unknown, (
        f"routes not covered by the hostile-input tests: {unknown}; add each to FORMS "
        "(it takes a POST form) or READ_ONLY in tests/hostile/test_forms.py"
    )
    gone = sorted((set(FORMS) | READ_ONLY) - set(names))
    assert not gone, f"routes that no longer exist: {gone}"
    for name in names:
        missing = [k for k in route_kwargs(name) if k not in KWARGS]
        assert not missing, f"{name} takes {missing}: teach tests/hostile KWARGS about them"


def url_for(name: str, world, spec: Spec) -> str:
    return reverse(name, kwargs={k: KWARGS[k](world, spec) for k in route_kwargs(name)})


def client_for(world, role: str) -> Client:
    c = Client()
    if role != "anonymous":
        c.force_login(world["users"][role])
    return c


# Plausible values for fields a page shows empty, so that some examples get past
# validation and reach the database with one hostile field among sensible ones.
SENSIBLE = {
    "title": "Baseline 2025", "agreed_by": "Standards Committee", "reason": "A typo",
    "email": "new.person@example.org", "full_name": "New Person", "role": "editor",
    "people": "Cllr Zed, zed@example.org", "text": "Met the inspector",
    "introduction": "Please answer by Friday", "login": "editor@example.org",
    "password": "a long test password", "oldpassword": "a long test password",
    "password1": "another long password 42", "password2": "another long password 42",
    "description": "What will be done", "lead": "Chief Executive", "partners": "Police",
    "comment": "A comment", "statements": "1.2",
}  # fmt: skip
SENSIBLE_DATE = {"_day": "1", "_month": "6", "_year": "2025"}


def forms_posting_to(world, name: str, spec: Spec):
    """The forms, on the page that shows them, that post to this route, with sensible
    values in the fields the page leaves empty."""
    client = client_for(world, spec.role)
    target = url_for(name, world, spec)
    host = url_for(spec.host or name, world, spec)
    if spec.upload:
        document = SimpleUploadedFile(spec.upload, (TOOLKITS / spec.upload).read_bytes())
        page = client.post(host, {"file": document, "title": "Baseline"} | {
            f"assessed_on{part}": value for part, value in SENSIBLE_DATE.items()
        })  # fmt: skip
    else:
        page = client.get(host, follow=True)
    assert page.status_code < 500
    if page.status_code != 200:
        return client, target, []
    landed = page.request["PATH_INFO"]
    if not spec.upload and landed != host and resolve(landed).view_name == name:
        host = target = landed  # e.g. allauth moves the reset key into the session
    forms = [f for f in post_forms(page.content.decode(), host) if f.action == target]
    for form in forms:
        if name == "feedback:shared":
            form.choices["code"] = [world["round"].access_code]
        for field, values in form.fields.items():
            if any(values):
                continue
            suffix = next((s for s in SENSIBLE_DATE if field.endswith(s)), None)
            if suffix:
                form.fields[field] = [SENSIBLE_DATE[suffix]]
            elif field in SENSIBLE:
                form.fields[field] = [SENSIBLE[field]]
            elif form.choices.get(field):
                form.fields[field] = [form.choices[field][0]]
            elif field == "code":
                form.fields[field] = [world["round"].access_code]
    return client, target, forms


# A value for one field: what the page offered, or something hostile.
def field_values(baseline: list[str], offered: list[str]):
    keep = st.just(list(baseline))
    hostile = st.lists(hostile_text, min_size=1, max_size=3)
    pool = st.sampled_from(offered) | hostile_text if offered else hostile_text
    mixed = st.lists(pool, min_size=0, max_size=4)
    options = [keep, hostile, st.just([]), mixed]
    if offered:
        options.append(st.lists(st.sampled_from(offered), min_size=0, max_size=3))
    return st.one_of(options)


BAD_DATES = [
    ("31", "2", "2026"), ("29", "2", "2023"), ("0", "1", "2026"), ("1", "13", "2026"),
    ("1", "1", "1899"), ("1", "1", "2201"), ("1", "1", "99999"), ("-1", "1", "2026"),
    ("1", "1", ""), ("", "", "2026"), (" 1 ", " 1 ", " 2026 "), ("1.0", "1", "2026"),
    ("\uff11", "\uff11", "\uff12\uff10\uff12\uff16"),  # fullwidth digits
    ("\u0661", "\u0661", "\u0662\u0660\u0662\u0665"),  # Arabic-Indic digits
    ("1e1", "1", "2026"), ("\x00", "1", "2026"), ("99999999999999999999", "1", "2026"),
]  # fmt: skip


@st.composite
def submissions(draw, forms):
    """A body to post: a mutation of what one of the forms would submit."""
    if not forms:
        data = {}
        form = None
    else:
        form = draw(st.sampled_from(forms))
        data = {}
        for name, values in form.fields.items():
            data[name] = draw(field_values(values, form.choices.get(name, [])), label=name)
        dates = sorted({n[: -len("_day")] for n in form.fields if n.endswith("_day")})
        for date in dates:
            if draw(st.booleans()):
                d, m, y = draw(st.sampled_from(BAD_DATES))
                data |= {f"{date}_day": [d], f"{date}_month": [m], f"{date}_year": [y]}
        if form.buttons:
            button = draw(st.sampled_from(form.buttons) | st.none())
            if button:
                data[button[0]] = [button[1]]
            elif draw(st.booleans()):
                data[form.buttons[0][0]] = draw(st.lists(hostile_text, min_size=1, max_size=2))
    extra = draw(
        st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "pk",
                    "council",
                    "role",
                    "status",
                    "version",
                    "user",
                    "is_superuser",
                    "answered",
                    "csrfmiddlewaretoken",
                    "x" * 300,
                ]
            )
            | st.text(name_chars, min_size=1, max_size=20),
            st.lists(hostile_text, min_size=1, max_size=2),
            max_size=3,
        )  # fmt: skip
    )
    for k, v in extra.items():
        data.setdefault(k, v)
    files = {}
    if form and form.files:
        for name in form.files:
            documents = st.sampled_from(HOSTILE_DOCUMENTS) if name == "file" else st.nothing()
            content = draw(
                documents
                | st.sampled_from([
                    b"", b"\xff\xfe\x00bad", b"\x80\x81\x82", b"Cllr \x00, a@example.org",
                    b"=cmd|' /C calc'!A0, a@example.org", "Cllr É, é@example.org".encode(),
                    b"a" * 1_000_001, b"Cllr Bee, bee@example.org\r\nCllr Cee,cee@example.org",
                ])
                | st.binary(max_size=200)
            )  # fmt: skip
            if draw(st.booleans()):
                files[name] = SimpleUploadedFile(
                    draw(st.sampled_from(["people.csv", "../../x.csv", "x\x00.csv", "a" * 300,
                                          "toolkit.docx", "..\\..\\x.pdf"])),  # fmt: skip
                    content,
                    content_type=draw(st.sampled_from(["text/csv", "application/octet-stream"])),
                )
    raw = draw(st.none() | st.sampled_from([
        b"title=%FF%FE%00&agreed_by=%C0%AF",
        b"\xff\xfe\xfd=\x80",
        b"a=1&a=2&a&&=&%=%&%zz=1",
        b"x=" + b"\xe9" * 50,
    ]))  # fmt: skip
    return data, files, raw


name_chars = st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\0")


def flatten(data: dict, files: dict) -> dict:
    out = {k: (v if len(v) != 1 else v[0]) for k, v in data.items()}
    return out | files


def refused_after_redirect(client: Client, response, spec: Spec) -> tuple[bool, str]:
    """Follow a redirect; say whether it reports the input as refused, and how."""
    location = response["Location"]
    page = client.get(location, follow=True)
    assert page.status_code < 500, f"the page after the redirect, {location}, failed"
    messages = page.context.get("messages", []) if page.context is not None else []
    levels = [m.level_tag for m in messages]
    if "success" in levels:
        return False, f"success message at {location}"
    if {"error", "warning"} & set(levels):
        return True, f"{levels} message at {location}"
    if spec.silent:
        return False, f"redirect to {location} with {levels or 'no'} message"
    return True, f"redirect to {location} with {levels or 'no'} message"


def check_post(client: Client, name: str, spec: Spec, url: str, before: dict, body) -> None:
    data, files, raw = body
    with transaction.atomic():
        if raw is not None:
            response = client.post(url, raw, content_type="application/x-www-form-urlencoded")
        else:
            response = client.post(url, flatten(data, files))
        status = response.status_code
        assert status < 500, f"{name}: POST {url} answered {status}"
        if status in (301, 302, 303):
            refused, how = refused_after_redirect(client, response, spec)
        else:
            refused, how = True, f"answered {status}"
            if spec.summary and status in (200, 400, 409):
                assert "govuk-error-summary" in response.content.decode(), (
                    f"{name}: POST {url} answered {status} without an error summary"
                )
        if refused:
            changed = diff(before, snapshot())
            assert not changed, f"{name}: input refused ({how}) but rows changed: {changed}"
        transaction.set_rollback(True)


def fuzz(client, name: str, spec: Spec, url: str, forms, max_examples: int) -> None:
    """Post hypothesis's mutations of the forms; every example is rolled back, so the
    database is the same before each one."""
    before = snapshot()

    def run(body):
        check_post(client, name, spec, url, before, body)

    settings(HOSTILE_SETTINGS, max_examples=max_examples)(given(body=submissions(forms))(run))()


@pytest.mark.parametrize("name", sorted(FORMS))
def test_hostile_posts_to_every_form(name, world):
    spec = FORMS[name]
    if name not in url_patterns():
        pytest.skip(f"{name} is not a route of this project")
    client, url, forms = forms_posting_to(world, name, spec)
    fuzz(client, name, spec, url, forms, MAX_EXAMPLES)


@pytest.mark.parametrize("name", sorted(READ_ONLY))
def test_hostile_posts_to_pages_without_forms(name, world):
    if name not in url_patterns():
        pytest.skip(f"{name} is not a route of this project")
    spec = Spec("admin", silent=True, summary=False)
    fuzz(client_for(world, "admin"), name, spec, url_for(name, world, spec), [], 4)


def test_too_many_fields_is_refused_and_saves_nothing(world):
    """Django refuses a body with more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS (400)."""
    spec = FORMS["plans:edit"]
    client, url, forms = forms_posting_to(world, "plans:edit", spec)
    before = snapshot()
    response = client.post(url, b"&".join([b"title=x"] * 1100), "application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert diff(before, snapshot()) == {}
