"""Logging filters."""

import logging
import re

SURVEY_LINK = re.compile(r"/survey/(?!shared/|done/)[^/\s\"?]+")
INVITATION_LINK = re.compile(r"/invitations/[^/\s\"?]+")


def redact_links(text: str) -> str:
    """`text` with the token of every survey and invitation link replaced by [link]."""
    if "/survey/" in text or "/invitations/" in text:
        text = SURVEY_LINK.sub("/survey/[link]", text)
        text = INVITATION_LINK.sub("/invitations/[link]", text)
    return text


class RedactSurveyLinks(logging.Filter):
    """Replace the token in a survey link (/survey/<token>/...) before a record is
    written, so that logs cannot be used to tell which link made which request; and the
    token of an invitation link (/invitations/<token>/), so a log reader cannot use it.
    (scripts/serve passes nginx's and gunicorn's own messages through `redact_links`.)"""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_links(message)
        if redacted != message:
            record.msg = redacted
            record.args = ()
        return True
