"""The outbox's rules, run at once (Huey's immediate mode): a mail server refusing an
address fails the message for good, with its reason, and 'send again' queues it again;
a message with a dedupe key goes once; a sent message keeps no body."""

import datetime

import pytest
from aiosmtpd.controller import Controller

from selfassess.background import services
from selfassess.background.models import Email
from selfassess.feedback import services as feedback
from selfassess.feedback.models import Ballot

from ..conftest import Inbox, free_port
from ..feedback.conftest import open_round, scored  # noqa: F401


class Refusing(Inbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("gone@"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def refusing_smtp(settings):
    inbox = Refusing()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.SITE_URL = "http://testserver"
    yield inbox
    controller.stop()


def test_a_refused_address_fails_at_once_with_its_reason_and_can_be_sent_again(
    open_round, login, editor, refusing_smtp  # noqa: F811
):
    feedback.add_invitations(
        round_=open_round,
        people=[
            feedback.Invitee("Gone", "gone@example.org"),
            feedback.Invitee("Jo", "jo@example.org"),
        ],
    )
    client = login(editor)
    url = f"/councils/example/assessments/{open_round.assessment_id}/feedback/{open_round.pk}/"
    client.post(url + "send/", {"what": "invitations"})
    assert [m["To"] for m in refusing_smtp.messages] == ["jo@example.org"]
    gone = Ballot.objects.select_related("invitation").get(email="gone@example.org")
    assert gone.invitation.status == "failed" and gone.invitation.attempts == 1
    assert "550" in gone.invitation.last_error and "No such mailbox" in gone.invitation.last_error
    page = client.get(url).content.decode()
    assert ">Failed</strong>" in page and "No such mailbox" in page and "Send again" in page
    client.post(url + "send/", {"what": "retry", "ballot": gone.pk})
    gone.invitation.refresh_from_db()
    assert gone.invitation.status == "failed" and gone.invitation.attempts == 1  # tried afresh


def test_a_message_with_a_dedupe_key_goes_once_and_keeps_no_body(db, smtp):
    message = dict(to="a@example.org", subject="Hello", body="A link: http://x/t", purpose="Test")
    first = services.queue_email(dedupe_key="once", **message)
    assert services.queue_email(dedupe_key="once", **message) is None
    first.refresh_from_db()
    assert first.status == "sent" and first.body == "" and first.sent_at is not None
    assert len(smtp.messages) == 1 and Email.objects.count() == 1


def test_retention_forgets_old_envelopes(db, smtp):
    services.queue_email(to="a@example.org", subject="Old", body="b", purpose="Test")
    Email.objects.update(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    services.queue_email(to="a@example.org", subject="New", body="b", purpose="Test")
    assert services.forget_sent(cutoff=datetime.date(2024, 1, 1)) == 1
    assert list(Email.objects.values_list("subject", flat=True)) == ["New"]
