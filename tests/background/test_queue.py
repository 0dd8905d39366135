"""The queue with its real consumer, on SQLite storage and on Redis: email reaches
everyone (through a mail server that is down at first, and through a consumer killed
mid-batch), PDF downloads are rendered off the request, rounds are sealed, retention
runs and reminders go, all with no cron and no command but the consumer."""

import asyncio
import datetime
import email as email_lib
import json
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from selfassess.background.models import Email, TaskRun
from selfassess.feedback import services as feedback
from selfassess.feedback.models import Ballot, Round, SurveyResponse
from selfassess.interchange.json_format import import_assessment

from ..conftest import Inbox, free_port
from ..feedback.test_results import invited_token
from .conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


class SlowInbox(Inbox):
    """A mail server that takes its time over each message, so that a consumer can be
    killed in the middle of a batch."""

    def __init__(self, seconds: float):
        super().__init__()
        self.seconds = seconds

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.seconds)
        self.messages.append(email_lib.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


def mail_server(inbox: Inbox, port: int) -> Controller:
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


def mail_env(port: int, **extra) -> dict:
    return {
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "SITE_URL": "http://testserver",
        "MAIL_RETRY_SECONDS": "1",
        "MAIL_LEASE_SECONDS": "3",
    } | extra


@pytest.fixture
def round_with_people(framework, council, admin, seed002):
    assessment = import_assessment(json.dumps(seed002), council=council).assessment
    today = datetime.date.today()
    round_ = feedback.open_round(
        assessment=assessment,
        user=admin,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=20),
        introduction="",
        shared_link=False,
    )
    return round_


def invite(round_, n: int) -> list[str]:
    people = [feedback.Invitee(f"Cllr {i}", f"cllr{i}@example.org") for i in range(n)]
    feedback.add_invitations(round_=round_, people=people)
    return [p.email for p in people]


def round_url(r, tail=""):
    return f"/councils/example/assessments/{r.assessment_id}/feedback/{r.pk}/{tail}"


def test_invitations_wait_for_a_mail_server_and_then_reach_everyone(
    queue, round_with_people, login, admin
):
    """The officer's request only queues the emails; with the mail server down they are
    tried again with back-off, and reach everyone once it is back. The round's page
    shows each one queued, then sent, and refreshes itself meanwhile."""
    addresses = invite(round_with_people, 3)
    port = free_port()
    queue(**mail_env(port))
    client = login(admin)
    resp = client.post(round_url(round_with_people, "send/"), {"what": "invitations"})
    assert resp.status_code == 302
    wait_for(
        lambda: Email.objects.filter(attempts__gte=1, status="queued").count() == 3,
        what="three failed first attempts",
    )
    page = client.get(round_url(round_with_people)).content.decode()
    assert page.count("Trying again: The mail server could not be reached") == 3
    assert '<meta http-equiv="refresh" content="10">' in page
    inbox = Inbox()
    server = mail_server(inbox, port)
    try:
        wait_for(lambda: len(inbox.messages) >= 3, what="three emails delivered")
        assert sorted(m["To"] for m in inbox.messages) == addresses
        wait_for(lambda: Email.objects.filter(status="sent").count() == 3)
        page = client.get(round_url(round_with_people)).content.decode()
        assert page.count(">Sent</strong>") == 3
        assert '<meta http-equiv="refresh"' not in page
        assert set(Email.objects.values_list("body", flat=True)) == {""}  # links not kept
    finally:
        server.stop()


def test_a_consumer_killed_mid_batch_loses_no_message(queue, round_with_people, login, admin):
    """SIGKILL in the middle of 40 invitations: after a restart every councillor gets
    theirs, and only a message being handed to the mail server at the kill may come
    twice."""
    addresses = invite(round_with_people, 40)
    port = free_port()
    inbox = SlowInbox(0.15)
    server = mail_server(inbox, port)
    try:
        first = queue(**mail_env(port))
        login(admin).post(round_url(round_with_people, "send/"), {"what": "invitations"})
        wait_for(lambda: len(inbox.messages) >= 8, what="a few deliveries")
        first.kill()
        on_the_wire = set(
            Email.objects.filter(status="sending").values_list("to", flat=True)
        )
        delivered_before = len(inbox.messages)
        assert delivered_before < 40  # killed mid-batch
        queue(**mail_env(port))
        wait_for(
            lambda: {m["To"] for m in inbox.messages} == set(addresses),
            timeout=120,
            what="every councillor's invitation",
        )
        wait_for(lambda: Email.objects.filter(status="sent").count() == 40, timeout=30)
        counts = {a: sum(m["To"] == a for m in inbox.messages) for a in addresses}
        twice = {a for a, n in counts.items() if n > 1}
        assert twice <= on_the_wire, (twice, on_the_wire)
        assert max(counts.values()) <= 2
    finally:
        server.stop()


def test_a_pdf_is_rendered_by_the_consumer_while_the_page_waits(
    queue, framework, council, viewer, login, seed002
):
    assessment = import_assessment(json.dumps(seed002), council=council).assessment
    queue()
    client = login(viewer)
    url = f"/councils/example/assessments/{assessment.pk}/report/download/pdf/"
    first = client.get(url)
    assert first.status_code == 200 and first["Content-Type"].startswith("text/html")
    page = first.content.decode()
    assert "Preparing your report" in page and '<meta http-equiv="refresh" content="3">' in page
    ready = wait_for(
        lambda: (r := client.get(url))["Content-Type"] == "application/pdf" and r,
        timeout=120,
        every=0.5,
        what="the rendered PDF",
    )
    assert ready.content.startswith(b"%PDF")
    assert 'filename="example-district-council' in ready["Content-Disposition"]


def test_rounds_are_sealed_retention_runs_and_reminders_go(
    queue, round_with_people, login, admin, settings
):
    """The calendar's tasks, enqueued as the scheduler enqueues them, run on the
    consumer: a round that closed by date is sealed; a round long closed loses its
    comments; a round due its automatic reminder reminds those who have not answered,
    with the link they had."""
    from selfassess.feedback import tasks as feedback_tasks
    from selfassess.workspace import tasks as workspace_tasks

    port = free_port()
    inbox = Inbox()
    server = mail_server(inbox, port)
    try:
        queue(**mail_env(port))
        today = datetime.date.today()
        # Due its reminder today; one councillor answered, one has not.
        addresses = invite(round_with_people, 2)
        feedback.send_invitations(round_=round_with_people)
        wait_for(lambda: len(inbox.messages) == 2, what="the invitations")
        Ballot.objects.update(sent_at=timezone.now() - datetime.timedelta(days=5))
        first_link = {m["To"]: inbox.link(m) for m in inbox.messages}
        answered = Ballot.objects.get(email=addresses[0])
        token = first_link[addresses[0]].split("/")[2]
        feedback.submit(token, {"statements": {"1.1": 1}})
        Round.objects.filter(pk=round_with_people.pk).update(
            closes_on=today + datetime.timedelta(days=2), reminder_days=3
        )
        feedback_tasks.send_automatic_reminders()
        wait_for(lambda: len(inbox.messages) == 3, what="the automatic reminder")
        reminder = inbox.messages[-1]
        assert reminder["To"] == addresses[1] and reminder["Subject"].startswith("Reminder:")
        assert inbox.link(reminder) == first_link[addresses[1]]  # the same link
        assert answered.pk  # the one who answered got nothing more

        # A round that closed by date yesterday, with five answers: sealed by the task.
        for _ in range(4):
            feedback.submit(invited_token(round_with_people), {"statements": {"1.1": 2}})
        Round.objects.filter(pk=round_with_people.pk).update(
            closes_on=today - datetime.timedelta(days=1)
        )
        before = set(SurveyResponse.objects.values_list("pk", flat=True))
        feedback_tasks.seal_closed_rounds()
        wait_for(
            lambda: Round.objects.get(pk=round_with_people.pk).sealed_at is not None,
            what="the seal",
        )
        assert not before & set(SurveyResponse.objects.values_list("pk", flat=True))

        # Retention: the round closed long ago; its comments go, its scores stay.
        SurveyResponse.objects.update(answers={"statements": {"1.1": 2}, "comments": {"1": "x"}})
        Round.objects.filter(pk=round_with_people.pk).update(
            opens_on=today - datetime.timedelta(days=900),
            closes_on=today - datetime.timedelta(days=800),
        )
        workspace_tasks.apply_retention()
        wait_for(
            lambda: Round.objects.get(pk=round_with_people.pk).personal_answers_deleted_at,
            what="retention",
        )
        assert all(
            a["comments"] == {} and a["statements"] == {"1.1": 2}
            for a in SurveyResponse.objects.values_list("answers", flat=True)
        )
    finally:
        server.stop()


def test_the_review_reminder_the_draft_reminder_and_the_digest_go(
    queue, assessment, council, admin, editor, viewer
):
    """The council's, the assessment's and the plan's calendars on the consumer: the
    annual review is coming (to admins), an assessment has been in progress a long time
    (to admins), and an owner's weekly digest of actions overdue."""
    from selfassess.assessments import tasks as assessment_tasks
    from selfassess.assessments.models import Assessment
    from selfassess.core.dates import long_date
    from selfassess.councils import tasks as council_tasks
    from selfassess.plans import services as plans
    from selfassess.plans import tasks as plan_tasks

    port = free_port()
    inbox = Inbox()
    server = mail_server(inbox, port)
    try:
        queue(**mail_env(port))
        today = timezone.localdate()
        council.next_review_on = today + datetime.timedelta(days=10)
        council.review_reminder_days, council.draft_reminder_days = 30, 90
        council.save()
        # Noon, 100 days ago: 100 days whatever the clocks did in between.
        noon = datetime.datetime.combine(today - datetime.timedelta(days=100), datetime.time(12))
        Assessment.objects.filter(pk=assessment.pk).update(created_at=timezone.make_aware(noon))
        plans.create_action(
            assessment=assessment,
            user=editor,
            data=plans.ActionInput(
                title="Name a police contact",
                description="",
                lead="",
                partners="",
                target_date=today - datetime.timedelta(days=3),
                priority="high",
                status="not_started",
                refs=["1.1"],
                owner_id=viewer.pk,
            ),
        )
        council_tasks.send_review_reminders()
        assessment_tasks.send_draft_reminders()
        plan_tasks.send_digests()
        wait_for(lambda: len(inbox.messages) == 3, what="the reminders and the digest")
        subjects = {
            str(make_header(decode_header(m["Subject"]))).replace("\r\n", ""): m["To"]
            for m in inbox.messages
        }
        assert subjects == {
            "Example District Council: the annual review is due on "
            + long_date(council.next_review_on): admin.email,
            "Example District Council: “Baseline 2024” has been in progress for 100 days": (
                admin.email
            ),
            "Self-Assess: your actions due and overdue": viewer.email,
        }
        digest = next(m for m in inbox.messages if m["To"] == viewer.email)
        assert "Name a police contact" in Inbox.body(digest)
    finally:
        server.stop()


def test_staff_see_a_failed_task_and_run_it_again(queue, login, admin):
    from selfassess.reports.tasks import render_pdf

    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    queue()
    render_pdf(987654, None, True, "0" * 64)  # no such assessment: the task fails
    run = wait_for(
        lambda: TaskRun.objects.filter(state="failed").first(), what="the failed task"
    )
    assert "render_pdf" in run.name and run.args == [987654, None, True, "0" * 64]
    client = login(admin)
    page = client.get("/queue/").content.decode()
    assert "DoesNotExist" in page and "Run again" in page
    assert "No queue consumer has checked in" in page or "A consumer last checked in" in page
    assert client.post(f"/queue/tasks/{run.pk}/retry/").status_code == 302
    assert not TaskRun.objects.filter(pk=run.pk).exists()
    wait_for(
        lambda: TaskRun.objects.filter(state="failed", name=run.name).exists(),
        what="the task run again (and failing again)",
    )
