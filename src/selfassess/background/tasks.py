"""Tasks of the outbox, and what the consumer reports about every task it runs."""

import json

from django.core.cache import cache
from django.db import close_old_connections
from django.utils import timezone
from huey import crontab
from huey import signals as huey_signals
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from . import services
from .models import TaskRun

HEARTBEAT = "queue-heartbeat"


def task_key(task) -> str:
    """The name a task is registered under (how a failed one is found to run again)."""
    return HUEY._registry.task_to_string(type(task))


@db_task()
def deliver(email_id: int) -> str:
    return services.deliver(email_id)


@db_task()
def deliver_each(email_ids: list[int]) -> list[str]:
    """Several messages, one after another (services.BATCH); each is claimed on its own,
    so a consumer that dies mid-batch loses none of them (resume_outbox)."""
    return [services.deliver(pk) for pk in email_ids]


@db_periodic_task(crontab(minute="*"))
def sweep_outbox() -> int:
    """Every minute: messages whose place in the queue may have been lost; and a sign of
    life, which the staff page shows (a queue whose consumer is not running is the
    commonest fault)."""
    cache.set(HEARTBEAT, timezone.now().isoformat(), timeout=None)
    return services.requeue(services.unsent_ids(stale_only=True))


@HUEY.on_startup(name="background.resume_outbox")
def resume_outbox() -> None:
    """A consumer starting (perhaps after one died mid-batch) hands every message not yet
    sent to the queue again; a message that is still queued or held by a live delivery
    comes to no harm (its claim fails)."""
    close_old_connections()
    try:
        services.requeue(services.unsent_ids(stale_only=False))
    finally:
        close_old_connections()


def _args(task) -> list:
    try:
        return json.loads(json.dumps(list(task.args)))
    except (TypeError, ValueError):
        return [repr(a) for a in task.args]


def _record(signal: str, task, exc: Exception | None = None) -> None:
    close_old_connections()
    try:
        if signal == huey_signals.SIGNAL_EXECUTING:
            TaskRun.objects.update_or_create(
                task_id=str(task.id),
                defaults={
                    "name": task_key(task),
                    "args": _args(task),
                    "state": TaskRun.State.RUNNING,
                    "error": "",
                    "started_at": timezone.now(),
                    "finished_at": None,
                },
            )
        elif signal == huey_signals.SIGNAL_ERROR and not task.retries:
            TaskRun.objects.filter(task_id=str(task.id)).update(
                state=TaskRun.State.FAILED,
                error=f"{exc.__class__.__name__}: {exc}"[:2000] if exc else "",
                finished_at=timezone.now(),
            )
        elif signal == huey_signals.SIGNAL_INTERRUPTED:
            TaskRun.objects.filter(task_id=str(task.id)).update(
                state=TaskRun.State.FAILED,
                error="The consumer stopped before the task finished",
                finished_at=timezone.now(),
            )
        elif signal in (huey_signals.SIGNAL_COMPLETE, huey_signals.SIGNAL_RETRYING):
            TaskRun.objects.filter(task_id=str(task.id)).delete()
    finally:
        close_old_connections()


@HUEY.signal(
    huey_signals.SIGNAL_EXECUTING,
    huey_signals.SIGNAL_ERROR,
    huey_signals.SIGNAL_INTERRUPTED,
    huey_signals.SIGNAL_COMPLETE,
    huey_signals.SIGNAL_RETRYING,
)
def record_task(signal: str, task, *args) -> None:
    """Keep TaskRun up to date from the consumer (periodic tasks are left out: they run
    every minute and are not run again by hand)."""
    if HUEY.immediate or type(task) is sweep_outbox.task_class:
        return
    _record(signal, task, args[0] if args and isinstance(args[0], Exception) else None)
