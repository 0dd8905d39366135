"""Write a published benchmark snapshot to a file: the same bytes as its download."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from selfassess.benchmarks import formats, selectors


class Command(BaseCommand):
    help = (
        "Write a benchmark as CSV or JSON (docs/formats.md): "
        "manage.py export_benchmark --format csv|json -o FILE [--snapshot ID]"
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=sorted(formats.DOWNLOADS))
        parser.add_argument("-o", "--output", required=True, help="the file to write")
        parser.add_argument("--snapshot", type=int, help="its id (default: the latest)")

    def handle(self, *args, format, output, snapshot, **options):  # noqa: A002
        if snapshot is None:
            latest = selectors.snapshot_list()
            if not latest:
                raise CommandError("No benchmark has been published yet")
            snapshot = latest[0][0]
        row = selectors.snapshot_row(snapshot)
        if row is None:
            raise CommandError(f"There is no benchmark {snapshot}")
        _, render = formats.DOWNLOADS[format]
        try:
            Path(output).write_bytes(render(row))
        except OSError as exc:
            raise CommandError(f"Could not write {output}: {exc.strerror}") from None
        self.stderr.write(f"Wrote benchmark {row.pk} as {format.upper()} to {output}.")
