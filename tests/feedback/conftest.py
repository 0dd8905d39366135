"""Feedback fixtures: a scored assessment and an open round (the SMTP server is in
tests/conftest.py)."""

import datetime
import json

import pytest

from selfassess.feedback import services
from selfassess.interchange.json_format import import_assessment


@pytest.fixture
def scored(framework, council, seed002, admin, editor, viewer):
    return import_assessment(json.dumps(seed002), council=council).assessment


@pytest.fixture
def open_round(scored, admin):
    today = datetime.date.today()
    return services.open_round(
        assessment=scored,
        user=admin,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=20),
        introduction="From the Monitoring Officer.",
        shared_link=True,
    )
