"""Reads for the host console, each in a fixed number of queries however many councils."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from selfassess.assessments.models import Assessment, Status
from selfassess.councils.models import Council
from selfassess.feedback.models import Ballot, Round


def council_rows(filters: dict) -> QuerySet[Council]:
    """Every council, by name, with its newest assessment's title, status and dates (to be
    paged: the subqueries run for the rows of one page only)."""
    newest = Assessment.objects.filter(council=OuterRef("pk")).order_by("-assessed_on", "-pk")
    rows = Council.objects.annotate(
        last_title=Subquery(newest.values("title")[:1]),
        last_status=Subquery(newest.values("status")[:1]),
        last_assessed_on=Subquery(newest.values("assessed_on")[:1]),
        last_agreed_on=Subquery(newest.values("agreed_on")[:1]),
    ).order_by("name", "pk")
    if q := filters.get("q"):
        rows = rows.filter(Q(name__icontains=q) | Q(slug__icontains=q))
    if council_type := filters.get("type"):
        rows = rows.filter(type=council_type)
    if region := filters.get("region"):
        rows = rows.filter(region="" if region == "none" else region)
    if shares := filters.get("shares"):
        rows = rows.filter(shares_benchmarks=shares == "yes")
    return rows


@dataclass(frozen=True)
class Adoption:
    year: int
    councils: int
    with_region: int
    sharing: int
    agreed_this_year: int  # councils with an assessment agreed this calendar year
    rounds_this_year: int  # councillor feedback rounds opened this year
    answering_this_year: int  # councillors who answered those rounds

    @property
    def agreed_share(self) -> int:
        return round(100 * self.agreed_this_year / self.councils) if self.councils else 0


COMPLETE = Status.COMPLETE


def adoption(today: datetime.date) -> Adoption:
    """How far councils have taken the product up this calendar year: four queries."""
    year = today.year
    councils = Council.objects.aggregate(
        n=Count("pk"),
        with_region=Count("pk", filter=~Q(region="")),
        sharing=Count("pk", filter=Q(shares_benchmarks=True)),
    )
    agreed = (
        Assessment.objects.filter(status=COMPLETE, agreed_on__year=year)
        .values("council_id")
        .distinct()
        .count()
    )
    rounds = Round.objects.filter(opens_on__year=year).count()
    answering = Ballot.objects.filter(round__opens_on__year=year, answered=True).count()
    return Adoption(
        year=year,
        councils=councils["n"],
        with_region=councils["with_region"],
        sharing=councils["sharing"],
        agreed_this_year=agreed,
        rounds_this_year=rounds,
        answering_this_year=answering,
    )
