"""The survey's calendar: rounds sealed when they close, reminders before they close."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services
from .models import Round


@db_task()
def seal(round_id: int) -> None:
    """A round closed early is sealed at once (services.close_round queues this)."""
    services.seal_round(round_=Round(pk=round_id))


@db_periodic_task(crontab(minute="*/10"))
def seal_closed_rounds() -> int:
    """Rounds that closed by date: sealed within ten minutes of midnight."""
    return services.seal_closed_rounds()


@db_periodic_task(crontab(hour="9", minute="0"))
def send_automatic_reminders() -> int:
    """Each morning: the reminders that fall due today."""
    return services.send_automatic_reminders()
