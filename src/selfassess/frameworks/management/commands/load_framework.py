from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from selfassess.core.validation import Problems
from selfassess.frameworks.loader import BUNDLED_FRAMEWORKS, load_framework


class Command(BaseCommand):
    help = (
        "Validate a toolkit definition (YAML) and load it as a framework version; with no "
        "file, load every bundled version, oldest first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", help="Definition file; without one, every bundled toolkit."
        )

    def handle(self, *args, path: str | None, **options):
        for each in [Path(path)] if path else BUNDLED_FRAMEWORKS:
            try:
                result = load_framework(each)
            except Problems as exc:
                raise CommandError(
                    f"{each} was not loaded:\n" + "\n".join(f"  - {p}" for p in exc.problems)
                ) from exc
            fw = result.framework
            verb = "Loaded" if result.created else "Already loaded, unchanged:"
            self.stdout.write(
                f"{verb} {fw.slug} {fw.version} ({fw.statements.count()} statements)"
            )
