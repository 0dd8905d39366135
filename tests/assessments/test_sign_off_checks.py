"""Sign-off tells the truth: the agreed date is possible, carried-forward statements
still to review are named with a link to each, and statements scored with no evidence
are shown as such and warned about (not forbidden)."""

import datetime
import json

import pytest
from django.utils import timezone

from selfassess.assessments import services
from selfassess.assessments.models import Status
from selfassess.interchange.json_format import import_assessment
from selfassess.workspace.services import start_assessment

from .helpers import principle_post, url

# Seed 002 scores these with no evidence written and no link.
NO_EVIDENCE = ["1.2", "1.3", "1.4", "1.5", "2.3", "3.5", "5.3", "5.4"]


@pytest.fixture
def scored(framework, council, seed002, admin):
    return import_assessment(json.dumps(seed002), council=council).assessment


def sign_off_post(day: datetime.date) -> dict:
    return {
        "agreed_by": "Standards Committee",
        "agreed_on_day": str(day.day),
        "agreed_on_month": str(day.month),
        "agreed_on_year": str(day.year),
    }


@pytest.mark.parametrize(
    ("agreed_on", "message"),
    [
        (
            datetime.date(2024, 6, 11),
            "The date it was agreed must be the same as or after the date of the "
            "assessment, 12 June 2024",
        ),
        (
            timezone.localdate() + datetime.timedelta(days=1),
            "The date it was agreed must be today or in the past",
        ),
    ],
)
def test_an_impossible_agreed_date_is_refused(scored, login, admin, agreed_on, message):
    resp = login(admin).post(url(scored, "sign-off/"), sign_off_post(agreed_on))
    assert resp.status_code == 400
    page = resp.content.decode()
    assert f'<a href="#id_agreed_on_day">{message}</a>' in page  # the error summary
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}' in page
    scored.refresh_from_db()
    assert scored.status == Status.DRAFT and scored.agreed_on is None


@pytest.mark.parametrize("agreed_on", [datetime.date(2024, 6, 12), timezone.localdate()])
def test_the_assessment_day_and_today_are_possible(scored, login, admin, agreed_on):
    assert login(admin).post(url(scored, "sign-off/"), sign_off_post(agreed_on)).status_code == 302
    scored.refresh_from_db()
    assert scored.status == Status.COMPLETE and scored.agreed_on == agreed_on


def test_the_service_refuses_it_too(scored, admin):
    with pytest.raises(services.SignOffDateWrong):
        services.sign_off(
            assessment=scored,
            user=admin,
            agreed_by="Standards Committee",
            agreed_on=datetime.date(2023, 1, 1),
        )
    scored.refresh_from_db()
    assert scored.status == Status.DRAFT


def test_statements_still_to_review_are_named_with_a_link_to_each(scored, login, admin, editor):
    later = start_assessment(
        council=scored.council,
        user=editor,
        title="Review 2025",
        assessed_on=datetime.date(2025, 6, 1),
        previous=scored,
    ).assessment
    client = login(admin)
    # Confirm every carried-forward statement but 2.1 and 4.3.
    for number in range(1, 6):
        data = principle_post(later, number)
        for position in range(1, 6):
            if f"{number}.{position}" not in ("2.1", "4.3"):
                data[f"r{number}-{position}-confirm"] = "on"
        client.post(url(later, f"principles/{number}/"), data)
    task_list = client.get(url(later)).content.decode()
    sign_off = client.get(url(later, "sign-off/")).content.decode()
    for page in (task_list, sign_off):
        assert "Still marked “carried forward – review” (2)" in page
        for ref, number in (("2.1", 2), ("4.3", 4)):
            link = url(later, f"principles/{number}/") + f"#statement-r{ref.replace('.', '-')}"
            assert f'<a class="govuk-link" href="{link}">Statement {ref}</a>' in page
    principle = client.get(url(later, "principles/2/")).content.decode()
    assert 'id="statement-r2-1"' in principle  # where the link lands
    resp = client.post(url(later, "sign-off/"), sign_off_post(datetime.date(2025, 6, 2)))
    assert resp.status_code == 400
    assert "2 still to review (2.1, 4.3)" in resp.content.decode()


def test_scored_with_no_evidence_is_shown_and_warned_about_but_not_forbidden(scored, login, admin):
    client = login(admin)
    task_list = client.get(url(scored)).content.decode()
    assert "Scored, no evidence: 1.2, 1.3, 1.4, 1.5" in task_list
    assert "Scored, no evidence: 3.5" in task_list
    assert "8 statements scored, no evidence" in task_list
    summary = client.get(url(scored, "summary/")).content.decode()
    assert f"8 statements: {', '.join(NO_EVIDENCE)}" in summary
    assert summary.count('<span class="app-grid__note">Scored, no evidence</span>') == 8
    assert summary.count('govuk-tag--grey">Scored, no evidence</strong>') == 8
    sign_off = client.get(url(scored, "sign-off/")).content.decode()
    assert "8 statements scored, no evidence" in sign_off
    assert "You can still mark the assessment as complete" in sign_off
    for ref in NO_EVIDENCE:
        assert f">Statement {ref}</a>" in sign_off
    resp = client.post(url(scored, "sign-off/"), sign_off_post(datetime.date(2024, 6, 20)))
    assert resp.status_code == 302
    scored.refresh_from_db()
    assert scored.status == Status.COMPLETE


def test_a_link_or_evidence_counts_as_evidence(scored, editor, login):
    services.save_responses(
        assessment=scored,
        user=editor,
        entries=[
            services.ResponseInput(
                ref="1.2", score=1, evidence="", links=["https://example.org/p"]
            ),
            services.ResponseInput(ref="1.3", score=0, evidence="No policy yet.", links=[]),
        ],
    )
    task_list = login(editor).get(url(scored)).content.decode()
    assert "Scored, no evidence: 1.4, 1.5" in task_list
