"""The report on screen and its downloads."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from selfassess.assessments.selectors import get_assessment
from selfassess.audit import services as audit
from selfassess.audit.models import Action as AuditAction
from selfassess.councils.access import membership_for

from . import pdf
from .context import report_data
from .formats import FORMATS


def _since(request: HttpRequest, assessment):
    """The earlier assessment named by ?since=, if it is one of the same council."""
    value = request.GET.get("since", "")
    if not value.isdigit():
        return None
    return assessment.council.assessments.exclude(pk=assessment.pk).filter(pk=int(value)).first()


@login_required
def report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_for(request, slug)
    assessment = get_assessment(membership.council, pk, related=("signed_off_by",))
    since = _since(request, assessment)
    return render(
        request,
        "reports/report.html",
        {
            "council": membership.council,
            "membership": membership,
            "report": report_data(assessment, since=since),
            "chart_src": reverse("workspace:summary_chart", args=[slug, pk]),
            "downloads": FORMATS.values(),
            "since": since,
            "earlier": assessment.council.assessments.exclude(pk=assessment.pk).order_by(
                "-assessed_on", "-pk"
            ),
        },
    )


@login_required
def download(request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    membership = membership_for(request, slug)
    assessment = get_assessment(membership.council, pk, related=("signed_off_by",))
    chosen = FORMATS.get(fmt)
    if chosen is None:
        raise Http404
    since = _since(request, assessment)
    data = report_data(assessment, since=since)
    if chosen.key == "pdf":
        body = pdf.stored_or_queued(data, since_id=since.pk if since else None)
        if body is None:
            return render(
                request,
                "reports/preparing.html",
                {"council": membership.council, "membership": membership, "assessment": assessment},
            )
    else:
        body = chosen.render(data)
    audit.record(
        AuditAction.DOWNLOADED,
        f"Downloaded “{assessment.title}”: {chosen.label}",
        actor=request.user,
        council=membership.council,
        request=request,
    )
    response = HttpResponse(body, content_type=chosen.content_type)
    response["Content-Disposition"] = f'attachment; filename="{chosen.file_name(data)}"'
    response["Cache-Control"] = "private, no-store"
    return response
