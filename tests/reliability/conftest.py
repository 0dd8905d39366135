"""Helpers for the backup and crash tests: every row of every table, and realistic data."""

import datetime
import json

import pytest
from django.db import connection

from selfassess.interchange.json_format import import_assessment
from selfassess.plans import services as plans


def every_row() -> dict[str, list[tuple]]:
    """Every row of every table of the database, sorted, as plain Python values."""
    snapshot = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = [
                tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                for row in cursor.fetchall()
            ]
            snapshot[table] = sorted(rows, key=repr)
    return snapshot


def action(assessment, user, title: str, refs=("1.1",), **kw):
    data = {
        "title": title,
        "description": "",
        "lead": "",
        "partners": "",
        "target_date": None,
        "priority": "medium",
        "status": "not_started",
        "refs": list(refs),
    } | kw
    return plans.create_action(assessment=assessment, user=user, data=plans.ActionInput(**data))


@pytest.fixture
def populated(framework, council, other_council, admin, editor, viewer, outsider, seed002):
    """Seed 002 imported for two councils, with a forward plan, progress and history."""
    assessment = import_assessment(json.dumps(seed002), council=council).assessment
    import_assessment(json.dumps(seed002), council=other_council)
    first = action(
        assessment,
        editor,
        "Publish a councillor safety page",
        refs=("3.3", "3.4"),
        description="Contacts and how reports are handled, on the members' intranet.",
        lead="Monitoring Officer",
        partners="Kent Police",
        target_date=datetime.date(2025, 3, 31),
        priority="high",
    )
    action(assessment, admin, "Train group leaders", refs=("2.1",), lead="Head of HR")
    plans.add_progress(
        action=first,
        user=editor,
        on=datetime.date(2024, 9, 2),
        text="Draft agreed with the police liaison officer.",
    )
    return assessment
