"""Writes of the interchange app: an assessment imported from a council's completed
toolkit, or from the product's own JSON file. Each is one transaction, through
assessments.services.create_assessment (the one way an assessment comes into being),
with a history entry naming the file by its name and SHA-256; the user on that entry is
who imported it."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction

from selfassess.accounts.models import User
from selfassess.assessments.models import Assessment
from selfassess.assessments.services import Values, create_assessment
from selfassess.councils.models import Council
from selfassess.frameworks.models import Framework

from .documents import Source
from .json_format import ImportResult, import_assessment
from .models import Import


class AlreadyImported(Exception):
    """This check page was confirmed before: `assessment` is what it made."""

    def __init__(self, assessment: Assessment):
        super().__init__(f"already imported as assessment {assessment.pk}")
        self.assessment = assessment


def import_toolkit(
    *,
    council: Council,
    user: User | None,
    framework: Framework,
    title: str,
    assessed_on: datetime.date,
    values: dict[str, Values],
    source: Source,
    changed: int = 0,
    how: str = "",
    preview_id: str = "",
) -> Assessment:
    """A completed toolkit, as read and then checked, becomes a draft assessment.
    changed: how many statements the officer changed from what was read; how: a word on
    the way in for the history (e.g. the command's name). preview_id: the reading the
    check page carried; a second confirm of it (Back and confirm again, two clicks)
    raises AlreadyImported with the first one's assessment, by a unique constraint, so
    two at once cannot both import."""
    if preview_id and (done := _imported(preview_id)):
        raise AlreadyImported(done)
    try:
        with transaction.atomic():
            assessment = create_assessment(
                council=council,
                user=user,
                title=title,
                assessed_on=assessed_on,
                framework=framework,
                values=values,
                note=source.note(changed, how),
            )
            if preview_id:
                Import.objects.create(preview_id=preview_id, assessment=assessment)
    except IntegrityError:
        if preview_id and (done := _imported(preview_id)):
            raise AlreadyImported(done) from None
        raise
    return assessment


def _imported(preview_id: str) -> Assessment | None:
    done = Import.objects.filter(preview_id=preview_id).select_related("assessment").first()
    return done.assessment if done else None


@transaction.atomic
def import_json(
    *,
    text: str,
    source: Source,
    council: Council | None,
    user: User | None,
    title: str | None = None,
    assessed_on: datetime.date | None = None,
    how: str = "",
) -> ImportResult:
    """The product's own JSON file, all or nothing, with its forward plan (Problems
    names every problem); title and assessed_on, when given, stand in for the file's."""
    return import_assessment(
        text,
        council=council,
        user=user,
        title=title,
        assessed_on=assessed_on,
        note=source.note(how=how),
    )
