"""Nobody sees or changes another council's data, on any URL.

Every URL pattern of the project is listed here: those that take a council are requested
with council B's objects by an anonymous visitor and by each role of council A, with GET
and POST, and must answer 302-to-sign-in, 403, 404 or 405 while nothing in the database
changes. A new URL that this test does not know makes it fail until it is covered.
"""

import datetime
import json
import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from selfassess.councils import services as council_services
from selfassess.councils.models import Membership, Role
from selfassess.feedback import services as feedback
from selfassess.interchange.json_format import import_assessment
from selfassess.plans import services as plans

from .conftest import make_member

# Pages anyone may reach: no council data, or a survey link that is its own key (the
# session's timer answers for the asker's own session only).
PUBLIC = {
    "workspace:home", "toolkit", "accessibility", "privacy", "security", "healthz",
    "feedback:done", "feedback:shared", "feedback:start", "feedback:page", "feedback:check",
    "invitation", "session_status", "session_extend",
    "benchmarks:index", "benchmarks:snapshot", "benchmarks:download",
}  # fmt: skip
# A signed-in person's own account: no council in the address, only their own data
# (tests/accounts/test_account.py checks what they hold).
OWN_ACCOUNT = {
    "workspace:account", "sign_out_everywhere", "workspace:personal_data", "email_settings",
    "workspace:your_work", "continue_after_two_factor",
}  # fmt: skip
# The host's staff (Django's is_staff, with two-factor authentication): everyone else,
# council admins included, is answered 404.
STAFF = {
    "background:queue", "background:retry_task", "background:retry_email",
    "host:console", "host:new_council", "host:edit_council", "host:publish",
}  # fmt: skip
EXCLUDED_PREFIXES = ("admin:", "account_", "socialaccount_", "mfa_")

# Every keyword a council URL can take, and where to find council B's value for it.
KWARGS = {
    "slug": lambda b: b["council"].slug,
    "pk": lambda b: b["assessment"].pk,
    "number": lambda b: 1,
    "ref": lambda b: "2.1",
    "suggestion": lambda b: "general",  # for 2.1 (seed 002's toolkit version has no guidance)
    "member_id": lambda b: b["membership"].pk,
    "action_id": lambda b: b["action"].pk,
    "round_id": lambda b: b["round"].pk,
    "invitation_id": lambda b: b["invitation"].pk,
    "fmt": lambda b: "pdf",
}

HOSTILE_POST = {
    "title": "Taken over", "assessed_on_day": "1", "assessed_on_month": "1",
    "assessed_on_year": "2025", "agreed_by": "x", "agreed_on_day": "1", "agreed_on_month": "1",
    "agreed_on_year": "2025", "reason": "x", "email": "mole@example.org", "role": "admin",
    "decision": "accept", "chosen": ["2.1/general"], "statements": ["2.1"], "priority": "high",
    "status": "complete",
    "version": "0", "on_day": "1", "on_month": "1", "on_year": "2025", "text": "x",
    "what": "close", "people": "Mole, mole@example.org", "next_review_on_day": "1",
    "next_review_on_month": "1", "next_review_on_year": "2030", "r2-1-score": "2",
    "opens_on_day": "1", "opens_on_month": "1", "opens_on_year": "2025", "closes_on_day": "2",
    "closes_on_month": "1", "closes_on_year": "2025", "summary": "Taken over",
    "recommendations": "Taken over", "minute_reference": "x",
}  # fmt: skip


def url_patterns(excluded: tuple[str, ...] = EXCLUDED_PREFIXES) -> dict[str, str]:
    """Every named URL of the project with its full route, e.g. councils/<slug:slug>/,
    leaving out names that start with one of `excluded`."""

    def walk(resolver, namespace=None, prefix=""):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                ns = ":".join(filter(None, [namespace, p.namespace])) or None
                yield from walk(p, ns, prefix + str(p.pattern))
            elif p.name:
                yield (f"{namespace}:{p.name}" if namespace else p.name), prefix + str(p.pattern)

    return {name: route for name, route in walk(get_resolver()) if not name.startswith(excluded)}


def council_url_names() -> list[str]:
    return sorted(n for n in url_patterns() if n not in PUBLIC | OWN_ACCOUNT | STAFF)


def test_own_account_pages_need_a_sign_in(db, client):
    for name in OWN_ACCOUNT:
        for method in ("get", "post"):
            resp = getattr(client, method)(reverse(name))
            assert resp.status_code in (302, 405), f"{name} answered {resp.status_code}"
            if resp.status_code == 302:
                assert resp["Location"].startswith("/accounts/login/")


def test_staff_pages_are_found_by_staff_only(db, client, login, admin, council, settings):
    from selfassess.background.models import Email, TaskRun
    from selfassess.benchmarks.models import Snapshot

    settings.BENCHMARKS = True

    email = Email.objects.create(
        to="a@example.org", subject="s", body="b", purpose="p", status="failed"
    )
    run = TaskRun.objects.create(
        task_id="t1", name="x", state="failed", started_at=datetime.datetime.now(datetime.UTC)
    )
    kwargs = {
        "background:retry_task": {"pk": run.pk},
        "background:retry_email": {"pk": email.pk},
        "host:edit_council": {"council_id": council.pk},
    }
    council_admin = login(admin)
    before = snapshot()
    for name in STAFF:
        url = reverse(name, kwargs=kwargs.get(name, {}))
        for method in ("get", "post"):
            resp = getattr(client, method)(url, HOSTILE_POST if method == "post" else None)
            assert resp.status_code == 302 and resp["Location"].startswith("/accounts/login/")
            resp = getattr(council_admin, method)(url, HOSTILE_POST if method == "post" else None)
            assert resp.status_code in (404, 405), name
    email.refresh_from_db()
    assert email.status == "failed" and TaskRun.objects.filter(pk=run.pk).exists()
    assert not Snapshot.objects.exists()
    assert snapshot() == before


def test_every_url_is_either_public_or_covered():
    for name, route in url_patterns().items():
        if name in PUBLIC | OWN_ACCOUNT | STAFF:
            continue
        assert "<slug:slug>" in route, f"{name} is neither public nor scoped to a council"
        unknown = [k for k in re.findall(r"<(?:\w+:)?(\w+)>", route) if k not in KWARGS]
        assert not unknown, f"{name} takes {unknown}: teach test_isolation.KWARGS about them"


@pytest.fixture
def council_b(framework, other_council, seed002, settings):
    settings.BENCHMARKS = True  # so that the sharing page is there to be refused
    owner = make_member(other_council, Role.ADMIN, "b-admin@example.org")
    assessment = import_assessment(json.dumps(seed002), council=other_council).assessment
    action = plans.create_action(
        assessment=assessment,
        user=owner,
        data=plans.ActionInput(
            title="B's action",
            description="",
            lead="",
            partners="",
            target_date=None,
            priority="high",
            status="not_started",
            refs=["2.2"],
        ),
    )
    today = datetime.date.today()
    round_ = feedback.open_round(
        assessment=assessment,
        user=owner,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=9),
        introduction="",
        shared_link=True,
    )
    feedback.add_invitations(round_=round_, people=[feedback.Invitee("B", "b@example.org")])
    invitation = council_services.invite(
        council=other_council, email="b-new@example.org", role=Role.EDITOR, by=owner
    )
    return {
        "invitation": invitation,
        "council": other_council,
        "assessment": assessment,
        "action": action,
        "round": round_,
        "membership": Membership.objects.get(user=owner),
    }


def snapshot():
    names = [
        "councils.Council",
        "councils.Membership",
        "councils.Invitation",
        "audit.AuditEvent",
        "accounts.User",
        "assessments.Assessment",
        "assessments.Response",
        "assessments.Change",
        "plans.Action",
        "plans.ProgressUpdate",
        "plans.DismissedSuggestion",
        "plans.PlanChange",
        "feedback.Round",
        "feedback.Ballot",
        "feedback.SurveyResponse",
        "reports.CoveringReport",
        "reports.CoveringChange",
        "benchmarks.Snapshot",
    ]
    rows = {n: list(apps.get_model(n).objects.order_by("pk").values()) for n in names}
    for user in rows["accounts.User"]:
        user.pop("last_login")  # force_login sets it; nothing else may change
    return rows


@pytest.mark.parametrize("who", ["anonymous", "admin", "editor", "viewer"])
def test_nobody_from_council_a_reaches_council_b(who, council, council_b, admin, editor, viewer):
    users = {"admin": admin, "editor": editor, "viewer": viewer}
    client = Client()
    if who != "anonymous":
        client.force_login(users[who])
    before = snapshot()
    for name in council_url_names():
        route_kwargs = re.findall(r"<(?:\w+:)?(\w+)>", url_patterns()[name])
        theirs = {k: KWARGS[k](council_b) for k in route_kwargs}
        urls = [reverse(name, kwargs=theirs)]
        if who != "anonymous" and "slug" in theirs and len(theirs) > 1:
            # their object ids through our own council's address
            urls.append(reverse(name, kwargs=theirs | {"slug": council.slug}))
        for url in urls:
            for method in ("get", "post"):
                resp = getattr(client, method)(url, HOSTILE_POST if method == "post" else None)
                if who == "anonymous":
                    ok = resp.status_code in (404, 405) or (
                        resp.status_code == 302 and resp["Location"].startswith("/accounts/login/")
                    )
                else:
                    ok = resp.status_code in (403, 404, 405)
                assert ok, f"{who} {method.upper()} {url} ({name}) answered {resp.status_code}"
    assert snapshot() == before


def test_nobody_imports_into_another_council(framework, council, other_council, editor, outsider):
    """A real toolkit posted to council B's import by council A's editor, and a preview
    read for A posted at B, by A's editor and by B's own editor: all refused, nothing
    saved. (The generic test above posts no file and no preview.)"""
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    from .hostile.common import post_forms

    document = (Path(__file__).parent / "fixtures" / "toolkit" / "seed-002.docx").read_bytes()
    ours, theirs = Client(), Client()
    ours.force_login(editor)
    theirs.force_login(outsider)

    def body() -> dict:
        return {
            "file": SimpleUploadedFile("seed-002.docx", document),
            "title": "Taken over",
            "assessed_on_day": "1",
            "assessed_on_month": "1",
            "assessed_on_year": "2025",
        }

    b_upload = reverse("interchange:upload", kwargs={"slug": other_council.slug})
    b_confirm = reverse("interchange:confirm", kwargs={"slug": other_council.slug})
    before = snapshot()
    assert ours.post(b_upload, body()).status_code == 404
    preview = ours.post(reverse("interchange:upload", kwargs={"slug": council.slug}), body())
    [form] = [f for f in post_forms(preview.content.decode(), "") if f.action.endswith("check/")]
    fields = {name: values[0] for name, values in form.fields.items() if values}
    assert ours.post(b_confirm, fields).status_code == 404
    refused = theirs.post(b_confirm, fields)
    assert refused.status_code == 400
    assert "expired or cannot be used. Nothing was imported." in refused.content.decode()
    assert snapshot() == before
