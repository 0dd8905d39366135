from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from selfassess.core import backup


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database to FILE while the site keeps running: "
        "SQLite's online backup API, or pg_dump --format=custom for PostgreSQL. "
        "`manage.py restore FILE` brings it back."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="The backup file to write")
        parser.add_argument(
            "--force", action="store_true", help="Replace FILE if it exists already"
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            choices=tuple(connections),
            help='The database to back up; "default" unless told',
        )

    def handle(self, *args, file: str, force: bool, database: str, **options):
        settings_dict = connections[database].settings_dict
        try:
            outcome = backup.backup(settings_dict, Path(file), force=force)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Backed up the {backup.engine_of(settings_dict)} database "
                    f"“{settings_dict['NAME']}” to {outcome.path} ({outcome.size:,} bytes)."
                )
            )
