from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from selfassess.core import backup


class Command(BaseCommand):
    help = (
        "Replace ALL data in the database with the backup FILE made by `manage.py backup`. "
        "A file that is not a backup of this site is refused and nothing changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="The backup file to restore")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            choices=tuple(connections),
            help='The database to replace; "default" unless told',
        )

    def handle(self, *args, file: str, interactive: bool, database: str, **options):
        connection = connections[database]
        settings_dict = connection.settings_dict
        path = Path(file)
        if connection.in_atomic_block:
            raise CommandError("restore cannot run inside a transaction")
        try:
            # Before asking: a file that is not a backup is refused straight away.
            backup.check(settings_dict, path)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if interactive:
            confirm = input(
                f"You have asked to restore {path}.\n"
                f"This will REPLACE ALL DATA in the database “{settings_dict['NAME']}” with "
                "the backup's;\neverything saved since the backup was taken will be lost.\n"
                "Are you sure you want to do this?\n\n"
                "    Type 'yes' to continue, or 'no' to cancel: "
            )
            if confirm != "yes":
                self.stdout.write("Restore cancelled; nothing was changed.")
                return
        # This process's own connection must not hold the database while it is replaced.
        connection.close()
        try:
            backup.restore(settings_dict, path)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(f"Restored “{settings_dict['NAME']}” from {path}.")
            )
        self._check_migrations(connection)

    def _check_migrations(self, connection) -> None:
        executor = MigrationExecutor(connection)
        loader = executor.loader
        unknown = sorted(set(loader.applied_migrations) - set(loader.disk_migrations))
        if unknown:
            self.stderr.write(
                "The backup comes from a newer version of Self-Assess: it has migrations "
                f"this code does not know ({', '.join('.'.join(m) for m in unknown[:5])}). "
                "Run the matching version of the code."
            )
        elif executor.migration_plan(loader.graph.leaf_nodes()):
            self.stderr.write(
                "The backup comes from an older version: run `manage.py migrate` now."
            )
