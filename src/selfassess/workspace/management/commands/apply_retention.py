from django.conf import settings
from django.core.management.base import BaseCommand

from selfassess.workspace.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Delete councillors' comments and experience answers SURVEY_RETENTION_MONTHS after "
        "their round closed, and sign-in audit entries older than AUDIT_RETENTION_MONTHS. "
        "Safe to run at any time; schedule it daily."
    )

    def handle(self, *args, **options):
        applied = apply_retention()
        self.stdout.write(
            f"Survey rounds past {settings.SURVEY_RETENTION_MONTHS} months: {applied.rounds} "
            f"({applied.responses} responses had comments or experience answers deleted). "
            f"Sign-in audit entries deleted: {applied.audit_events}."
        )
