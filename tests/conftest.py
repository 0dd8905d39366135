"""Shared fixtures: the bundled toolkit, two councils, one user per role, seed 002."""

import json
from pathlib import Path

import pytest
from django.test import Client

from selfassess.accounts.models import User
from selfassess.assessments import services
from selfassess.councils.models import Council, CouncilType, Membership, Role
from selfassess.frameworks.loader import BUNDLED_FRAMEWORK, load_framework

FIXTURES = Path(__file__).parent / "fixtures"
SEED_002 = FIXTURES / "seed-002-assessment.json"


@pytest.fixture
def framework(db):
    return load_framework(BUNDLED_FRAMEWORK).framework


@pytest.fixture
def council(db):
    return Council.objects.create(
        name="Example District Council", slug="example", type=CouncilType.DISTRICT
    )


@pytest.fixture
def other_council(db):
    return Council.objects.create(
        name="Other County Council", slug="other", type=CouncilType.COUNTY
    )


def make_member(council: Council, role: str, email: str, full_name: str = "") -> User:
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email=email, password="a long test password", full_name=full_name
    )
    Membership.objects.create(user=user, council=council, role=role)
    return user


@pytest.fixture
def admin(council):
    return make_member(council, Role.ADMIN, "admin@example.org", "Ada Admin")


@pytest.fixture
def editor(council):
    return make_member(council, Role.EDITOR, "editor@example.org", "Eddie Editor")


@pytest.fixture
def second_editor(council):
    return make_member(council, Role.EDITOR, "editor2@example.org", "Erin Editor")


@pytest.fixture
def viewer(council):
    return make_member(council, Role.VIEWER, "viewer@example.org", "Vic Viewer")


@pytest.fixture
def outsider(other_council):
    """An admin of another council: no role at all on `council`."""
    return make_member(other_council, Role.ADMIN, "outsider@example.org", "Olly Outsider")


@pytest.fixture
def login():
    def _login(user: User) -> Client:
        c = Client()
        c.force_login(user)
        return c

    return _login


@pytest.fixture
def assessment(framework, council, editor):
    import datetime

    return services.start_assessment(
        council=council, user=editor, title="Baseline 2024", assessed_on=datetime.date(2024, 6, 12)
    )


@pytest.fixture
def seed002() -> dict:
    return json.loads(SEED_002.read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing strength is not what these tests are about; keep the suite quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_report_header(config):
    from django.conf import settings

    db = settings.DATABASES["default"]
    return f"database: {db['ENGINE'].rsplit('.', 1)[-1]} {db.get('HOST') or ''}".rstrip()
