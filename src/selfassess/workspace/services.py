"""Writes that span several apps, each in one transaction."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from selfassess.accounts.models import User
from selfassess.assessments import services as assessment_services
from selfassess.assessments.compare import statement_changes
from selfassess.assessments.models import Assessment, Response
from selfassess.councils.models import Council
from selfassess.plans import services as plan_services


@dataclass
class Started:
    assessment: Assessment
    carried: list[str] = field(default_factory=list)  # refs flagged for review
    removed_refs: list[str] = field(default_factory=list)  # not in the newer toolkit
    new_refs: list[str] = field(default_factory=list)  # new in it, scored from scratch
    actions_carried: int = 0
    actions_left: list[str] = field(default_factory=list)  # titles of actions not carried


@transaction.atomic
def start_assessment(
    *,
    council: Council,
    user: User | None,
    title: str,
    assessed_on: datetime.date,
    previous: Assessment | None = None,
) -> Started:
    """A new assessment: blank, or the next in the annual cycle, started from an earlier
    one of the council: its scores and evidence come across for review (assessments)
    and its open actions continue in the new plan (plans)."""
    assessment = assessment_services.create_assessment(
        council=council, user=user, title=title, assessed_on=assessed_on, previous=previous
    )
    started = Started(assessment)
    if previous is None:
        return started
    started.carried = list(
        Response.objects.filter(assessment=assessment, needs_review=True)
        .order_by("statement__principle__number", "statement__position")
        .values_list("statement__ref", flat=True)
    )
    started.removed_refs, started.new_refs = statement_changes(
        previous.framework, assessment.framework
    )
    carried = plan_services.carry_open_actions(previous=previous, new=assessment, user=user)
    started.actions_carried, started.actions_left = carried.actions, carried.left
    return started
