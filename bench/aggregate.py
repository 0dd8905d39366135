"""A cross-council aggregate: the mean score of every statement by type of council.

This is the kind of question a national body asks of every council's self-assessment
("how do district councils score on statement 3.2, against unitary authorities?"). It is
one GROUP BY over Response joined to Statement, Assessment and Council; the benchmark
runs it over 100, 1,000 and 10,000 councils.
"""

from django.db.models import Avg, Count, F


def aggregate_queryset(framework_id: int | None = None):
    from selfassess.assessments.models import Response

    rows = Response.objects.filter(score__isnull=False)
    if framework_id is not None:
        rows = rows.filter(assessment__framework_id=framework_id)
    return (
        rows.values(ref=F("statement__ref"), council_type=F("assessment__council__type"))
        .annotate(mean=Avg("score"), n=Count("id"))
        .order_by("council_type", "ref")
    )


def mean_score_by_statement_and_council_type(framework_id: int | None = None) -> list[dict]:
    """Rows of {"ref", "council_type", "mean", "n"}: the mean of scored responses (an
    unscored statement is not a 0) per statement ref and council type, ordered by type
    then ref. With `framework_id`, only assessments made against that toolkit version."""
    return list(aggregate_queryset(framework_id))


def query_sql(framework_id: int | None = None) -> str:
    return str(aggregate_queryset(framework_id).query)
