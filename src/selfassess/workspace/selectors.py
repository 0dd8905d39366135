"""Reads that combine several apps' data for one page."""

import datetime
from dataclasses import dataclass

from selfassess.assessments.models import Assessment
from selfassess.assessments.selectors import principle_totals_by_assessment
from selfassess.councils.models import Council
from selfassess.plans.selectors import delivery_by_assessment


@dataclass
class TrendRow:
    assessment: Assessment
    principle_totals: dict[int, int]
    overall: int
    unscored: int
    actions: int
    complete: int
    open_overdue: int


def trend(council: Council, today: datetime.date) -> list[TrendRow]:
    """Every assessment of the council, oldest first, with its principle totals and how
    its forward plan is being delivered, in three queries whatever the number."""
    scores = principle_totals_by_assessment(council)
    delivery = delivery_by_assessment(council, today)
    rows = []
    for a, (totals, unscored) in scores.items():
        plan = delivery.get(a.pk)
        rows.append(
            TrendRow(
                assessment=a,
                principle_totals=totals,
                overall=sum(totals.values()),
                unscored=unscored,
                actions=plan.actions if plan else 0,
                complete=plan.complete if plan else 0,
                open_overdue=plan.overdue if plan else 0,
            )
        )
    return rows
