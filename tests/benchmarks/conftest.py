"""Councils that share, with agreed assessments and councillor survey rounds, made through
the product's own services."""

import datetime
import json
import random

import pytest
from django.utils import timezone

from selfassess.assessments import services as assessments
from selfassess.councils.models import Council
from selfassess.feedback import services as feedback
from selfassess.interchange.json_format import import_assessment

from ..feedback.test_results import invited_token

REFS = [f"{p}.{s}" for p in range(1, 6) for s in range(1, 6)]


@pytest.fixture(autouse=True)
def benchmarks_on(settings):
    settings.BENCHMARKS = True
    settings.BENCHMARK_K = 3
    settings.SURVEY_MIN_RESPONSES = 2
    return settings


def random_scores(seed) -> dict[str, int]:
    rng = random.Random(seed)  # noqa: S311 - test data
    return {ref: rng.choice((0, 1, 2)) for ref in REFS}


def make_council(slug: str, council_type: str, region: str, shares: bool = True) -> Council:
    return Council.objects.create(
        name=f"{slug.title()} Council",
        slug=slug,
        type=council_type,
        region=region,
        shares_benchmarks=shares,
    )


def agree(council: Council, scores: dict, *, days_ago: int = 30, version: str = "2024-06.1"):
    """An assessment with these scores, agreed `days_ago` days ago."""
    today = timezone.localdate()
    on = today - datetime.timedelta(days=days_ago)
    data = {
        "format": "selfassess/assessment@1",
        "framework": {"id": "lga-ending-abuse", "version": version},
        "council": {"name": council.name, "type": council.type},
        "title": f"Assessment agreed {on}",
        "assessed_on": (on - datetime.timedelta(days=10)).isoformat(),
        "responses": [
            {"ref": ref, "score": score, "evidence": "", "links": []}
            for ref, score in scores.items()
        ],
    }
    assessment = import_assessment(json.dumps(data), council=council).assessment
    return assessments.sign_off(
        assessment=assessment, user=None, agreed_by="Standards Committee", agreed_on=on
    )


def surveyed(assessment, value: int, answers: int = 2):
    """A closed, sealed councillor survey round in which `answers` councillors invited
    personally gave every statement `value`."""
    today = timezone.localdate()
    round_ = feedback.open_round(
        assessment=assessment,
        user=None,
        opens_on=today - datetime.timedelta(days=5),
        closes_on=today + datetime.timedelta(days=5),
        introduction="",
        shared_link=False,
    )
    for _ in range(answers):
        feedback.submit(invited_token(round_), {"statements": dict.fromkeys(REFS, value)})
    feedback.close_round(round_=round_, user=None)
    round_.refresh_from_db()
    assert round_.sealed_at is not None
    return round_
