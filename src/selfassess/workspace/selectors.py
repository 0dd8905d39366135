"""Reads that combine several apps' data for one page."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from selfassess.assessments.models import Assessment, Status
from selfassess.assessments.selectors import principle_totals_by_assessment
from selfassess.councils.models import Council, Role
from selfassess.feedback.models import Ballot, Round
from selfassess.plans.models import Action
from selfassess.plans.selectors import delivery_by_assessment, owned_actions


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


@dataclass
class YourWork:
    overdue: list[Action]
    due_soon: list[Action]
    later: list[Action]
    assessments: list[Assessment]  # in progress, where the person can score
    rounds: list[Round]  # open, in councils where the person can run them

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.due_soon or self.later or self.assessments or self.rounds)


SOON_DAYS = 14


def your_work(user, today: datetime.date) -> YourWork:
    """Across every council a person belongs to: the actions they own (overdue, due in
    the next two weeks, later), the assessments in progress they can score, and the open
    feedback rounds they can run. Four queries."""
    actions = owned_actions(user, today)
    soon = today + datetime.timedelta(days=SOON_DAYS)
    can_edit = Q(council__memberships__user=user) & Q(
        council__memberships__role__in=[Role.EDITOR, Role.ADMIN]
    )
    assessments = list(
        Assessment.objects.filter(can_edit, status=Status.DRAFT)
        .select_related("council")
        .annotate(
            unscored=Count("responses", filter=Q(responses__score__isnull=True)),
            to_review=Count("responses", filter=Q(responses__needs_review=True)),
        )
        .order_by("council__name", "-assessed_on", "pk")
    )
    rounds = list(
        Round.objects.filter(
            Q(assessment__council__memberships__user=user)
            & Q(assessment__council__memberships__role__in=[Role.EDITOR, Role.ADMIN]),
            closed_at__isnull=True,
            opens_on__lte=today,
            closes_on__gte=today,
        )
        .select_related("assessment__council")
        .annotate(
            not_sent=Count(
                "ballots",
                filter=Q(ballots__kind=Ballot.Kind.INVITED, ballots__sent_at__isnull=True),
            )
        )
        .order_by("closes_on", "pk")
    )
    return YourWork(
        overdue=[a for a in actions if a.is_overdue(today)],
        due_soon=[
            a
            for a in actions
            if not a.is_overdue(today) and a.target_date is not None and a.target_date <= soon
        ],
        later=[
            a
            for a in actions
            if not a.is_overdue(today) and (not a.target_date or a.target_date > soon)
        ],
        assessments=assessments,
        rounds=rounds,
    )
