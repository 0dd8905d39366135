"""A real SMTP server on loopback (aiosmtpd) that keeps every message it receives."""

import datetime
import email
import json
import socket
from urllib.parse import urlparse

import pytest
from aiosmtpd.controller import Controller

from selfassess.assessments.interchange import import_assessment
from selfassess.feedback import services


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
