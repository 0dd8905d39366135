"""A benchmark snapshot each month, and when the host asks for one now."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from selfassess.accounts.models import User

from . import services


@db_task()
def publish(requested_by: int | None = None) -> int:
    """The host's "publish a new snapshot now" (host.views.publish queues this)."""
    by = User.objects.filter(pk=requested_by).first() if requested_by else None
    return services.publish_snapshot(by=by).pk


@db_periodic_task(crontab(day="1", hour="3", minute="30"))
def publish_monthly() -> int | None:
    """On the first of each month, at night: a new snapshot, if benchmarks are on."""
    if not settings.BENCHMARKS:
        return None
    return services.publish_snapshot().pk
