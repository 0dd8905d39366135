"""The email backend of a production server with no EMAIL_HOST: it refuses, so the
person sending is told and nothing is saved, instead of links going to a log."""

from django.core.mail.backends.base import BaseEmailBackend


class NoMailServerBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        if not email_messages:
            return 0
        raise ConnectionRefusedError("No email server is configured: set EMAIL_HOST")
