"""Writes that span several apps, each in one transaction."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from selfassess.accounts.models import User
from selfassess.assessments import reassess
from selfassess.assessments import services as assessment_services
from selfassess.assessments.models import Assessment
from selfassess.councils.models import Council


@dataclass
class Started:
    assessment: Assessment
    carried: list[str] = field(default_factory=list)
    actions_carried: int = 0


@transaction.atomic
def start_assessment(
    *,
    council: Council,
    user: User | None,
    title: str,
    assessed_on: datetime.date,
    previous: Assessment | None = None,
) -> Started:
    """A new assessment: blank, or started from an earlier one of the council, whose
    scores and evidence come across for review and whose open actions continue."""
    if previous is None:
        return Started(
            assessment_services.start_assessment(
                council=council, user=user, title=title, assessed_on=assessed_on
            )
        )
    result = reassess.start_from(
        previous=previous, user=user, title=title, assessed_on=assessed_on
    )
    return Started(result.assessment, result.carried, result.actions_carried)
