import json

import pytest

from selfassess.interchange.json_format import import_assessment


@pytest.fixture
def scored(framework, council, seed002, admin, editor, viewer):
    """Seed 002 imported: 6 statements at 0, 10 at 1, 9 at 2."""
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
