"""Logging filters."""

import logging
import re

SURVEY_LINK = re.compile(r"/survey/(?!shared/|done/)[^/\s\"?]+")
INVITATION_LINK = re.compile(r"/invitations/[^/\s\"?]+")


class RedactSurveyLinks(logging.Filter):
    """Replace the token in a survey link (/survey/<token>/...) before a record is
    written, so that logs cannot be used to tell which link made which request; and the
    token of an invitation link (/invitations/<token>/), so a log reader cannot use it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/survey/" in message or "/invitations/" in message:
            message = SURVEY_LINK.sub("/survey/[link]", message)
            record.msg = INVITATION_LINK.sub("/invitations/[link]", message)
            record.args = ()
        return True
