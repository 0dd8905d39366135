"""Shared fixtures: the bundled toolkits, two councils, one user per role, seed 002."""

import email
import json
import socket
from pathlib import Path
from urllib.parse import urlparse

import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from selfassess.accounts.models import User
from selfassess.assessments import services
from selfassess.councils.models import Council, CouncilType, Membership, Role
from selfassess.frameworks.loader import load_bundled

FIXTURES = Path(__file__).parent / "fixtures"
SEED_002 = FIXTURES / "seed-002-assessment.json"


@pytest.fixture
def framework(db):
    """Every bundled toolkit version loaded, as `manage.py load_framework` does: the newest
    (with the statements' guidance), which new assessments use. Seed 002's file names the
    first, 2024-06, which is loaded too."""
    return load_bundled()[-1].framework


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


TOTP_SECRETS: dict[str, str] = {}


def give_totp(user: User) -> str:
    """Turn on two-factor authentication for the user, as the set-up page does; returns
    the secret, from which `totp_code` computes the app's current code."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    TOTP_SECRETS[user.email] = secret
    return secret


def totp_code(secret: str, offset: int = 0) -> str:
    """What an authenticator app shows now (offset in 30-second steps)."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def totp_code_to_type(secret: str) -> str:
    """The code a person types into a browser: one with at least 3 seconds left, since a
    code can otherwise reach the server in the next 30 seconds (allauth allows no drift),
    and a person would wait for the next one too."""
    import time

    if time.time() % 30 > 27:
        time.sleep(30 - time.time() % 30 + 0.2)
    return totp_code(secret)


def make_member(council: Council, role: str, email: str, full_name: str = "") -> User:
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email=email, password="a long test password", full_name=full_name
    )
    Membership.objects.create(user=user, council=council, role=role)
    if role == Role.ADMIN and not user.authenticator_set.filter(type="totp").exists():
        # Council admins must have two-factor authentication before they can go on.
        give_totp(user)
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

    return services.create_assessment(
        council=council, user=editor, title="Baseline 2024", assessed_on=datetime.date(2024, 6, 12)
    )


@pytest.fixture
def seed002() -> dict:
    return json.loads(SEED_002.read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def queue_immediate():
    """Tests about something else run each background task at once, in the test (Huey's
    immediate mode); the queue's own tests (tests/background/) run the real consumer."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield HUEY


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing strength is not what these tests are about; keep the suite quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache(request):
    """The default cache is a database table (sign-in limits, the queue's sign of life)
    that the flush after a transactional test leaves alone: such tests start with it
    empty, as other tests do once their transaction is rolled back."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    )
    if transactional or {"live_server", "transactional_db"} & set(request.fixturenames):
        from django.core.cache import cache

        request.getfixturevalue("transactional_db")
        cache.clear()


def use_report_cache_dir(settings, directory: Path) -> None:
    """Keep rendered PDFs (the "reports" cache, reports/pdf.py) in `directory`."""
    settings.CACHES = settings.CACHES | {
        "reports": settings.CACHES["reports"] | {"LOCATION": str(directory)}
    }


@pytest.fixture(autouse=True)
def report_cache_dir(settings, tmp_path):
    """Each test has its own, empty store of rendered PDFs, never the repository's var/."""
    directory = tmp_path / "report-cache"
    use_report_cache_dir(settings, directory)
    return directory


def pytest_report_header(config):
    from django.conf import settings

    db = settings.DATABASES["default"]
    return f"database: {db['ENGINE'].rsplit('.', 1)[-1]} {db.get('HOST') or ''}".rstrip()


# A real SMTP server on loopback (aiosmtpd) that keeps every message it receives.


class Inbox:
    def __init__(self):
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.Message]:
        return [m for m in self.messages if m["To"] == address]

    @staticmethod
    def body(message) -> str:
        return message.get_payload(decode=True).decode("utf-8")

    def link(self, message) -> str:
        """The path of the personal survey link in an invitation."""
        line = next(line for line in self.body(message).splitlines() if "/survey/" in line)
        return urlparse(line.strip()).path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.SITE_URL = "http://testserver"
    yield inbox
    controller.stop()
