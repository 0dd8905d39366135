"""Retention, daily, with no cron: each app's purge in turn (retention.py)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import retention


@db_periodic_task(crontab(hour="3", minute="15"))
def apply_retention() -> None:
    retention.apply_retention()
