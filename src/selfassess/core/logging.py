"""Logging filters."""

import logging
import re

SURVEY_LINK = re.compile(r"/survey/(?!shared/|done/)[^/\s\"?]+")


class RedactSurveyLinks(logging.Filter):
    """Replace the token in a survey link (/survey/<token>/...) before a record is
    written, so that logs cannot be used to tell which link made which request."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/survey/" in message:
            record.msg = SURVEY_LINK.sub("/survey/[link]", message)
            record.args = ()
        return True
