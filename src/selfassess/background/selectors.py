"""Reads for the staff's view of the queue. They never write."""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .models import Email, TaskRun

LIMIT = 100


@dataclass(frozen=True)
class Waiting:
    name: str
    args: tuple
    id: str
    eta: datetime.datetime | None


@dataclass
class QueueView:
    consumer_seen: datetime.datetime | None
    waiting: list[Waiting]
    waiting_count: int
    scheduled: list[Waiting]
    scheduled_count: int
    running: list[TaskRun]
    failed: list[TaskRun]
    emails: dict[str, int]
    failed_emails: list[Email]
    oldest_unsent: Email | None

    @property
    def consumer_silent(self) -> bool:
        """No sign of a consumer for three minutes (it checks in every minute)."""
        return self.consumer_seen is None or timezone.now() - self.consumer_seen > (
            datetime.timedelta(minutes=3)
        )


def _waiting(tasks) -> list[Waiting]:
    return [
        Waiting(name=t.name, args=tuple(t.args), id=str(t.id), eta=getattr(t, "eta", None))
        for t in tasks
    ]


def queue_view() -> QueueView:
    from huey.contrib.djhuey import HUEY

    from .tasks import HEARTBEAT

    seen = cache.get(HEARTBEAT)
    counts = dict(Email.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return QueueView(
        consumer_seen=parse_datetime(seen) if seen else None,
        waiting=_waiting(HUEY.pending(limit=LIMIT)),
        waiting_count=HUEY.pending_count(),
        scheduled=sorted(_waiting(HUEY.scheduled(limit=LIMIT)), key=lambda w: w.eta or 0),
        scheduled_count=HUEY.scheduled_count(),
        running=list(TaskRun.objects.filter(state=TaskRun.State.RUNNING)[:LIMIT]),
        failed=list(TaskRun.objects.filter(state=TaskRun.State.FAILED)[:LIMIT]),
        emails={s.value: counts.get(s.value, 0) for s in Email.Status},
        failed_emails=list(Email.objects.filter(status=Email.Status.FAILED)[:LIMIT]),
        oldest_unsent=Email.objects.filter(status__in=[Email.Status.QUEUED, Email.Status.SENDING])
        .order_by("created_at")
        .first(),
    )
