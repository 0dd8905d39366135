"""Deleting what is kept only for a limited time. Each app owns the purge of its own
data; this calls them in turn (as Django's clearsessions calls the session store's)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from selfassess.audit import services as audit
from selfassess.background import services as background
from selfassess.core.dates import months_before
from selfassess.feedback import services as feedback
from selfassess.reports import pdf


@dataclass
class Applied:
    rounds: int
    responses: int
    audit_events: int


def apply_retention(today: datetime.date | None = None) -> Applied:
    """Councillors' comments and experience answers SURVEY_RETENTION_MONTHS after their
    round closed; sign-in audit entries (and other entries' addresses) and sent emails'
    envelopes after AUDIT_RETENTION_MONTHS; stored PDFs that may print deleted
    comments. Run daily by the queue (tasks.py), and by `manage.py apply_retention`."""
    today = today or timezone.localdate()
    rounds, responses = feedback.forget_personal_answers(
        cutoff=months_before(today, settings.SURVEY_RETENTION_MONTHS)
    )
    audit_events = audit.apply_retention(
        cutoff=months_before(today, settings.AUDIT_RETENTION_MONTHS)
    )
    # Sent emails keep only their envelope (to whom, about what, when): kept as long as
    # the audit log's sign-in entries.
    background.forget_sent(cutoff=months_before(today, settings.AUDIT_RETENTION_MONTHS))
    if rounds:
        pdf.forget_stored()
    return Applied(rounds=rounds, responses=responses, audit_events=audit_events)
