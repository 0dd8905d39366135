from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from selfassess.core.validation import Problems
from selfassess.frameworks.loader import BUNDLED_FRAMEWORK, load_framework


class Command(BaseCommand):
    help = "Validate a toolkit definition (YAML) and load it as a framework version."

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            default=str(BUNDLED_FRAMEWORK),
            help="Definition file; defaults to the bundled LGA toolkit.",
        )

    def handle(self, *args, path: str, **options):
        try:
            result = load_framework(Path(path))
        except Problems as exc:
            raise CommandError(
                f"{path} was not loaded:\n" + "\n".join(f"  - {p}" for p in exc.problems)
            ) from exc
        fw = result.framework
        verb = "Loaded" if result.created else "Already loaded, unchanged:"
        self.stdout.write(f"{verb} {fw.slug} {fw.version} ({fw.statements.count()} statements)")
