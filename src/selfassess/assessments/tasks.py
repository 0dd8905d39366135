"""The assessment's calendar: reminding admins of an assessment long in progress."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(hour="8", minute="30"))
def send_draft_reminders() -> int:
    return services.send_draft_reminders()
