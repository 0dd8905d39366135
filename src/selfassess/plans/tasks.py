"""The forward plan's calendar: the weekly digest to each action's owner."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(day_of_week="1", hour="8", minute="0"))
def send_digests() -> int:
    """Monday mornings."""
    return services.send_digests()
