from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from selfassess.assessments.models import Assessment
from selfassess.audit import services as audit
from selfassess.audit.models import Action as AuditAction
from selfassess.reports.context import report_data
from selfassess.reports.formats import FORMATS

CHOICES = ["docx", "pdf", "xlsx", "csv", "json"]


class Command(BaseCommand):
    help = (
        "Export an assessment as a committee report (docx, pdf), a workbook (xlsx), CSV or "
        "the JSON interchange format (docs/formats.md). With csv, the forward plan is written "
        "beside FILE as <name>-plan.csv."
    )

    def add_arguments(self, parser):
        parser.add_argument("id", type=int, help="The assessment's id")
        parser.add_argument("--format", choices=CHOICES, default="json")
        parser.add_argument("-o", "--output", required=True, help="File to write, or - for stdout")
        parser.add_argument(
            "--leave-out-comments",
            action="store_true",
            help="Leave the councillors' comments, word for word, out of the report",
        )

    def handle(self, *args, id: int, format: str, output: str, leave_out_comments: bool, **options):
        assessment = Assessment.objects.select_related("council", "framework").filter(pk=id).first()
        if assessment is None:
            raise CommandError(f"There is no assessment with id {id}")
        data = report_data(assessment, include_comments=not leave_out_comments)
        outputs = [(FORMATS[format], output)]
        if format == "csv":
            if output == "-":
                raise CommandError("CSV writes two files (scores and plan): give -o FILE")
            path = Path(output)
            outputs.append((FORMATS["plan-csv"], str(path.with_name(f"{path.stem}-plan.csv"))))
        for fmt, target in outputs:
            content = fmt.render(data)
            if target == "-":
                self.stdout.buffer.write(content) if hasattr(self.stdout, "buffer") else (
                    self.stdout.write(content.decode("utf-8"), ending="")
                )
            else:
                Path(target).write_bytes(content)
                self.stderr.write(f"Wrote {assessment.title} ({assessment.council}) to {target}")
            what = f"{fmt.label}"
            if fmt.feedback and data.has_comments:
                what += (
                    ", with the councillors’ comments"
                    if data.include_comments
                    else ", councillors’ comments left out"
                )
            audit.record(
                AuditAction.DOWNLOADED,
                f"Exported “{assessment.title}” on the server (manage.py export_assessment): "
                f"{what}",
                council=assessment.council,
            )
