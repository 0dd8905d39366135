"""Rendering PDF downloads on the queue, so a long report never holds a web worker."""

from huey.contrib.djhuey import db_task

from selfassess.assessments.models import Assessment

from . import pdf
from .context import report_data


@db_task(timeout=600)
def render_pdf(
    assessment_id: int, since_id: int | None, include_comments: bool, key: str
) -> None:
    assessment = Assessment.objects.select_related(
        "council", "framework", "signed_off_by", "covering_report"
    ).get(pk=assessment_id)
    since = (
        Assessment.objects.filter(council=assessment.council, pk=since_id).first()
        if since_id
        else None
    )
    pdf.render_and_store(
        report_data(assessment, since=since, include_comments=include_comments), key
    )
