"""The council's calendar: reminding its admins that the annual review is coming."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(hour="8", minute="30"))
def send_review_reminders() -> int:
    return services.send_review_reminders()
