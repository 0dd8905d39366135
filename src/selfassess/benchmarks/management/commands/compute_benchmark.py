"""For whoever runs the server: publish a benchmark snapshot now, as the monthly task and
the host console's button do (the console queues it; this runs it here and waits)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from selfassess.benchmarks import services


class Command(BaseCommand):
    help = "Publish a new benchmark snapshot now: manage.py compute_benchmark"

    def handle(self, *args, **options):
        if not settings.BENCHMARKS:
            raise CommandError("Benchmarks are off on this server: set BENCHMARKS=1 first")
        try:
            snapshot = services.publish_snapshot()
        except services.NothingToCompare as exc:
            raise CommandError(f"{exc}: run manage.py load_framework first") from None
        shown = sum(g["shown"] for g in snapshot.content["groups"])
        self.stdout.write(
            f"Published benchmark {snapshot.pk}: {shown} of "
            f"{len(snapshot.content['groups'])} groups shown."
        )
