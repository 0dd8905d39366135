from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from selfassess.core.validation import Problems
from selfassess.councils.models import Council
from selfassess.interchange.json_format import import_assessment


class Command(BaseCommand):
    help = "Import an assessment from a selfassess/assessment@1 JSON file, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--council",
            help="Slug of the council to import into; without it the council is found by "
            "name or created",
        )

    def handle(self, *args, file: str, council: str | None, **options):
        target = None
        if council:
            target = Council.objects.filter(slug=council).first()
            if target is None:
                raise CommandError(f"There is no council with slug {council!r}")
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            result = import_assessment(text, council=target)
        except Problems as exc:
            raise CommandError(
                f"{file} was not imported; nothing was changed. Problems:\n"
                + "\n".join(f"  - {p}" for p in exc.problems)
            ) from exc
        a = result.assessment
        created = " (new council)" if result.council_created else ""
        self.stdout.write(f"Imported {a.title!r} as assessment {a.pk} for {a.council}{created}")
