from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from selfassess.assessments.interchange import export_json
from selfassess.assessments.models import Assessment


class Command(BaseCommand):
    help = "Export an assessment to a file (docs/formats.md)."

    def add_arguments(self, parser):
        parser.add_argument("id", type=int, help="The assessment's id")
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument("-o", "--output", required=True, help="File to write, or - for stdout")

    def handle(self, *args, id: int, format: str, output: str, **options):
        assessment = Assessment.objects.select_related("council", "framework").filter(pk=id).first()
        if assessment is None:
            raise CommandError(f"There is no assessment with id {id}")
        text = export_json(assessment)
        if output == "-":
            self.stdout.write(text, ending="")
        else:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {assessment.title} ({assessment.council}) to {output}")
