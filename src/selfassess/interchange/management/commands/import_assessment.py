import argparse
import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from selfassess.assessments.forms import parse_links
from selfassess.core.validation import Problems
from selfassess.councils.models import Council
from selfassess.frameworks.selectors import current_framework
from selfassess.interchange import services
from selfassess.interchange.documents import Source, read_file, values_of
from selfassess.interchange.readers import Reading

HOW = "with manage.py import_assessment"


class Command(BaseCommand):
    help = (
        "Import an assessment, all or nothing, from a selfassess/assessment@1 JSON file or "
        "from a council's completed toolkit (Word .docx, PDF, Excel .xlsx, or extracted "
        "text), told apart by content. A toolkit with anything that needs checking "
        "imports nothing unless --accept-warnings is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--council",
            help="Slug of the council to import into; needed for a toolkit. For a JSON "
            "file without it, the council is found by name or created",
        )
        parser.add_argument(
            "--title",
            help="The assessment's title (default: the JSON file's own, or “Imported from FILE”)",
        )
        parser.add_argument(
            "--assessed-on",
            type=_day,
            help="The date of the assessment, YYYY-MM-DD (default: the JSON file's own, or today)",
        )
        parser.add_argument(
            "--accept-warnings",
            action="store_true",
            help="Import a toolkit even when rows need checking (they are still listed)",
        )

    def handle(
        self,
        *args,
        file: str,
        council: str | None,
        title: str | None,
        assessed_on: datetime.date | None,
        accept_warnings: bool,
        **options,
    ):
        target = None
        if council:
            target = Council.objects.filter(slug=council).first()
            if target is None:
                raise CommandError(f"There is no council with slug {council!r}")
        if title is not None and not 0 < len(title.strip()) <= 200:
            raise CommandError("--title must be 1 to 200 characters")
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        source = Source.of(data, Path(file).name)
        framework = current_framework()
        if framework is None:
            raise CommandError("No toolkit is loaded: run manage.py load_framework first")
        try:
            reading = read_file(data, source.name, framework)
            if reading.format == "json":
                return self._json(file, data, source, target, title, assessed_on)
            if target is None:
                raise Problems(["--council SLUG is needed to import a toolkit document"])
            self._report(reading)
            problems = _blocking(reading)
            if problems:
                raise Problems(problems)
            if not reading.clear and not accept_warnings:
                raise Problems(
                    ["the rows above need checking; import anyway with --accept-warnings"]
                )
        except Problems as exc:
            raise _refused(file, exc) from exc
        assessment = services.import_toolkit(
            council=target,
            user=None,
            framework=framework,
            title=title or f"Imported from {source.name}"[:200],
            assessed_on=assessed_on or datetime.date.today(),
            values=values_of(reading),
            source=source,
            how=HOW,
        )
        self.stdout.write(
            f"Imported {assessment.title!r} as assessment {assessment.pk} for "
            f"{assessment.council} ({reading.total} / {reading.maximum}, draft)"
        )

    def _json(self, file, data, source, target, title, assessed_on) -> None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            with transaction.atomic():
                result = services.import_json(
                    text=text,
                    source=source,
                    council=target,
                    user=None,
                    title=title,
                    assessed_on=assessed_on,
                    how=HOW,
                )
        except Problems as exc:
            raise _refused(file, exc) from exc
        a = result.assessment
        created = " (new council)" if result.council_created else ""
        self.stdout.write(f"Imported {a.title!r} as assessment {a.pk} for {a.council}{created}")

    def _report(self, reading: Reading) -> None:
        """Every row that needs checking, every total that disagrees, every warning."""
        for problem in reading.problems:
            self.stdout.write(f"Warning: {problem}")
        for row in reading.needs_checking:
            score = "no score" if row.score is None else f"score {row.score}"
            self.stdout.write(f"Needs checking: {row.ref} ({score}): {'; '.join(row.reasons)}")
        for principle in reading.principles:
            if principle.note:
                self.stdout.write(f"Total: principle {principle.number}: {principle.note}")


def _blocking(reading: Reading) -> list[str]:
    """What no --accept-warnings can import: evidence or links the product cannot hold."""
    problems = []
    most = settings.EVIDENCE_MAX_LENGTH
    for row in reading.rows:
        if len(row.evidence) > most:
            problems.append(
                f"{row.ref}: the evidence is {len(row.evidence):,} characters long; the most "
                f"is {most:,}"
            )
        try:
            parse_links("\n".join(row.links), row.ref)
        except ValidationError as exc:
            problems.extend(exc.messages)
    return problems


def _refused(file: str, exc: Problems) -> CommandError:
    return CommandError(
        f"{file} was not imported; nothing was changed. Problems:\n"
        + "\n".join(f"  - {p}" for p in exc.problems)
    )


def _day(value: str) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a real date (YYYY-MM-DD)") from None
    if not 1900 <= day.year <= 2200:
        raise argparse.ArgumentTypeError(f"{value!r} is outside the years 1900 to 2200")
    return day
