"""Writes for background work: queueing and delivering email, running a task again.

Apps queue email with `queue_email` (or `queue_emails` for many at once) inside the
transaction of what the email is about; the message is handed to the queue once that
transaction commits.
"""

import datetime
import logging
import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Email, TaskRun

logger = logging.getLogger(__name__)


def after_commit(fn: Callable[[], object]) -> None:
    """Run `fn` (which enqueues a task) once the caller's transaction commits, so the
    consumer never looks for rows that are not there yet. In immediate mode (tests
    about something else, which never commit) the task runs at once, in the caller."""
    from huey.contrib.djhuey import HUEY

    if HUEY.immediate:
        fn()
    else:
        transaction.on_commit(fn, robust=True)


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str
    purpose: str
    topic: str = ""
    dedupe_key: str | None = None


def queue_emails(messages: Iterable[Message]) -> list[Email]:
    """Put messages in the outbox and deliver each after the caller's transaction
    commits. A message with a `dedupe_key` already used is not queued again (reminders
    and digests go once)."""
    messages = list(messages)
    keys = [m.dedupe_key for m in messages if m.dedupe_key]
    used = set(Email.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
    now = timezone.now()
    emails = Email.objects.bulk_create(
        Email(
            to=m.to,
            subject=m.subject[:300],
            body=m.body,
            purpose=m.purpose[:80],
            topic=m.topic[:100],
            dedupe_key=m.dedupe_key,
            enqueued_at=now,
        )
        for m in messages
        if not (m.dedupe_key and m.dedupe_key in used)
    )
    ids = [e.pk for e in emails]
    if ids:
        after_commit(lambda: _enqueue(ids))
    return emails


def queue_email(**fields) -> Email | None:
    """One message (see Message for the fields); None if its dedupe_key was used."""
    emails = queue_emails([Message(**fields)])
    return emails[0] if emails else None


# Messages handed to one task together: a batch of a thousand invitations is forty
# entries in the queue, not a thousand, and still spreads over every consumer.
BATCH = 25


def _enqueue(ids: list[int], delay: float | None = None) -> None:
    from .tasks import deliver, deliver_each

    if delay:
        for pk in ids:
            deliver.schedule(args=(pk,), delay=delay)
        return
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        if len(chunk) == 1:
            deliver(chunk[0])
        else:
            deliver_each(chunk)


def _final(exc: Exception) -> bool:
    """Does the mail server refuse this message for good (a 5xx reply, or every
    recipient refused), rather than being unreachable or busy for now?"""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return True
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def _reason(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = "; ".join(
            f"{code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
            for code, msg in exc.recipients.values()
        )
        return f"The mail server refused the address: {codes}"
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error
        text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        return f"The mail server answered {exc.smtp_code}: {text}"
    return f"The mail server could not be reached: {exc.__class__.__name__}: {exc}"


def deliver(email_id: int) -> str:
    """Send one message from the outbox, if it is due and nobody else is sending it;
    what happened: "sent", "retry", "failed", "later" (another delivery holds it) or
    "nothing" (already sent or failed, or gone)."""
    now = timezone.now()
    lease = datetime.timedelta(seconds=settings.MAIL_LEASE_SECONDS)
    claimed = (
        Email.objects.filter(pk=email_id, status__in=[Email.Status.QUEUED, Email.Status.SENDING])
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=Email.Status.SENDING, lease_until=now + lease, attempts=F("attempts") + 1)
    )
    if not claimed:
        held = (
            Email.objects.filter(pk=email_id, status=Email.Status.SENDING, lease_until__gte=now)
            .values_list("lease_until", flat=True)
            .first()
        )
        if held is None:
            return "nothing"
        # Another delivery holds it: look again once its lease has run out, in case the
        # consumer holding it died with the message on the wire.
        _enqueue([email_id], delay=(held - now).total_seconds() + 1)
        return "later"
    email = Email.objects.get(pk=email_id)
    try:
        with get_connection() as connection:
            EmailMessage(
                subject=email.subject, body=email.body, to=[email.to], connection=connection
            ).send()
    except (OSError, smtplib.SMTPException) as exc:
        reason = _reason(exc)[:500]
        if _final(exc) or email.attempts >= settings.MAIL_ATTEMPTS:
            Email.objects.filter(pk=email_id).update(
                status=Email.Status.FAILED, last_error=reason, lease_until=None
            )
            logger.warning("Email %s failed: %s", email_id, reason)
            return "failed"
        wait = settings.MAIL_RETRY_SECONDS * 2 ** (email.attempts - 1)
        Email.objects.filter(pk=email_id).update(
            status=Email.Status.QUEUED,
            last_error=reason,
            lease_until=None,
            next_attempt_at=now + datetime.timedelta(seconds=wait),
            enqueued_at=now,
        )
        _enqueue([email_id], delay=wait)
        return "retry"
    Email.objects.filter(pk=email_id).update(
        status=Email.Status.SENT, sent_at=timezone.now(), body="", lease_until=None
    )
    return "sent"


def unsent_ids(*, stale_only: bool) -> list[int]:
    """Messages that may have lost their place in the queue: with `stale_only`, those
    queued longer than a lease ago and those whose delivery's lease ran out (the periodic
    sweep); otherwise every message not yet sent (a consumer starting up)."""
    now = timezone.now()
    pending = Email.objects.filter(status__in=[Email.Status.QUEUED, Email.Status.SENDING])
    if stale_only:
        old = now - datetime.timedelta(seconds=settings.MAIL_LEASE_SECONDS)
        pending = pending.filter(
            Q(status=Email.Status.QUEUED, enqueued_at__lt=old)
            | Q(status=Email.Status.SENDING, lease_until__lt=now)
        )
    return list(pending.order_by("pk").values_list("pk", flat=True)[:5000])


def requeue(ids: list[int]) -> int:
    """Hand these messages to the queue again (a duplicate finds its message claimed or
    sent and does nothing)."""
    Email.objects.filter(pk__in=ids).update(enqueued_at=timezone.now())
    _enqueue(ids)
    return len(ids)


class NotRetryable(Exception):
    pass


@transaction.atomic
def retry_email(*, email: Email) -> None:
    """Staff or a round's organiser: try a failed message again, from the start."""
    if email.status != Email.Status.FAILED:
        raise NotRetryable("Only a failed message can be sent again")
    Email.objects.filter(pk=email.pk).update(
        status=Email.Status.QUEUED, attempts=0, next_attempt_at=None, enqueued_at=timezone.now()
    )
    after_commit(lambda: _enqueue([email.pk]))


def retry_task(*, run: TaskRun) -> None:
    """Staff: run a failed (or apparently stuck) task again with the same arguments."""
    from huey.contrib.djhuey import HUEY

    try:
        task_class = HUEY._registry.string_to_task(run.name)
    except Exception as exc:
        raise NotRetryable(f"There is no task called {run.name} any more") from exc
    HUEY.enqueue(task_class(args=tuple(run.args)))
    run.delete()


def forget_sent(*, cutoff: datetime.date) -> int:
    """Retention: the envelopes of messages sent or failed before `cutoff`."""
    deleted, _ = Email.objects.filter(
        status__in=[Email.Status.SENT, Email.Status.FAILED], created_at__date__lt=cutoff
    ).delete()
    return deleted
