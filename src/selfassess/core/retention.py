"""Deleting what is kept only for a limited time (settings.SURVEY_RETENTION_MONTHS and
AUDIT_RETENTION_MONTHS). `manage.py apply_retention` runs this; schedule it daily."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from selfassess.audit.models import Action, AuditEvent
from selfassess.feedback.models import Round, SurveyResponse
from selfassess.feedback.services import seal_round
from selfassess.reports.pdf import store as pdf_store

SIGN_IN_ACTIONS = (Action.SIGNED_IN, Action.SIGN_IN_FAILED)

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
    """The day answering stopped: the closing date, or earlier if an admin closed it
    early (pressing "close" after the closing date does not put it later)."""
    if round_.closed_at is not None:
        return min(timezone.localdate(round_.closed_at), round_.closes_on)
    return round_.closes_on


@transaction.atomic
def apply_retention(today: datetime.date | None = None) -> Applied:
    today = today or timezone.localdate()
    cutoff = months_before(today, settings.SURVEY_RETENTION_MONTHS)
    rounds = responses = 0
    candidates = Round.objects.select_for_update().filter(
        Q(closes_on__lt=cutoff) | Q(closed_at__date__lt=cutoff),
        personal_answers_deleted_at__isnull=True,
    )
    for round_ in candidates:
        if _closed_on(round_) >= cutoff:
            continue
        # A round nobody read results from may not be sealed yet: seal it first, so the
        # answers' order and the ballots' drafts go too.
        sealed = seal_round(round_=round_)
        round_.tally, round_.sealed_at = sealed.tally, sealed.sealed_at
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
    old = AuditEvent.objects.filter(at__date__lt=audit_cutoff)
    # The audit log refuses changes through the product; retention is the one exception:
    # sign-in entries go, and other entries keep what happened but lose the address.
    audit_events, _ = models.QuerySet.delete(old.filter(action__in=SIGN_IN_ACTIONS))
    models.QuerySet.update(old.filter(ip_address__isnull=False), ip_address=None)
    # Stored PDF downloads (reports/store.py) may print comments just deleted: when any
    # were, forget every stored PDF; otherwise only those past their day.
    if rounds:
        pdf_store().clear()
    else:
        pdf_store().prune()
    return Applied(rounds=rounds, responses=responses, audit_events=audit_events)
