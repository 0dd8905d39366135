"""Deleting what is kept only for a limited time (settings.SURVEY_RETENTION_MONTHS and
AUDIT_RETENTION_MONTHS). `manage.py apply_retention` runs this; schedule it daily."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from selfassess.audit.models import ACCOUNT_ACTIONS, AuditEvent
from selfassess.feedback.models import Round, SurveyResponse

PERSONAL_KEYS = ("comments", "experience")


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month, `months` earlier (the last day if that month is
    shorter: 31 March less one month is 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass
class Applied:
    rounds: int
    responses: int
    audit_events: int


def _closed_on(round_: Round) -> datetime.date:
    if round_.closed_at is not None:
        return timezone.localdate(round_.closed_at)
    return round_.closes_on


@transaction.atomic
def apply_retention(today: datetime.date | None = None) -> Applied:
    today = today or timezone.localdate()
    cutoff = months_before(today, settings.SURVEY_RETENTION_MONTHS)
    rounds = responses = 0
    candidates = Round.objects.select_for_update().filter(
        Q(closed_at__date__lt=cutoff) | Q(closed_at__isnull=True, closes_on__lt=cutoff),
        personal_answers_deleted_at__isnull=True,
    )
    for round_ in candidates:
        if _closed_on(round_) >= cutoff:
            continue
        for response in SurveyResponse.objects.filter(round=round_):
            if any(response.answers.get(k) for k in PERSONAL_KEYS):
                response.answers = response.answers | {k: {} for k in PERSONAL_KEYS}
                response.save(update_fields=["answers"])
                responses += 1
        if round_.tally:
            round_.tally = round_.tally | {k: {} for k in PERSONAL_KEYS}
        round_.personal_answers_deleted_at = timezone.now()
        round_.save(update_fields=["tally", "personal_answers_deleted_at"])
        rounds += 1
    audit_cutoff = months_before(today, settings.AUDIT_RETENTION_MONTHS)
    old_sign_ins = AuditEvent.objects.filter(
        action__in=ACCOUNT_ACTIONS, at__date__lt=audit_cutoff
    )
    # The audit log refuses deletion through the product; retention is the one exception.
    audit_events, _ = models.QuerySet.delete(old_sign_ins)
    return Applied(rounds=rounds, responses=responses, audit_events=audit_events)
