import json

import pytest

from selfassess.interchange.json_format import import_assessment


@pytest.fixture
def scored(framework, council, seed002, admin, editor, viewer):
    """Seed 002's scores and evidence on the newest toolkit version, the one with guidance
    that a council starting today gets: 6 statements at 0, 10 at 1, 9 at 2."""
    assert framework.version == "2024-06.1"
    data = seed002 | {"framework": {"id": framework.slug, "version": framework.version}}
    return import_assessment(json.dumps(data), council=council).assessment


@pytest.fixture
def unguided(framework, council, seed002, admin, editor, viewer):
    """Seed 002 as its file says, on toolkit version 2024-06, which has no guidance."""
    assert seed002["framework"]["version"] == "2024-06"
    return import_assessment(json.dumps(seed002), council=council).assessment


def plan_url(assessment, tail: str = "") -> str:
    return f"/councils/{assessment.council.slug}/assessments/{assessment.pk}/plan/{tail}"


ACTION = {
    "title": "Publish a councillor safety page",
    "description": "A page on the members' intranet with contacts and how reports are handled.",
    "statements": ["3.3"],
    "lead": "Monitoring Officer",
    "partners": "Kent Police",
    "target_date_day": "31",
    "target_date_month": "3",
    "target_date_year": "2025",
    "priority": "high",
    "status": "not_started",
}
