"""The report on screen, its covering report, and its downloads."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from selfassess.assessments.selectors import get_assessment
from selfassess.assessments.services import AssessmentLocked
from selfassess.audit import services as audit
from selfassess.audit.models import Action as AuditAction
from selfassess.councils.access import membership_for, page_context
from selfassess.councils.models import Role

from . import pdf, selectors, services
from .context import report_data
from .formats import FORMATS
from .forms import CoveringForm

# ?comments=leave-out: the report and its downloads without the councillors' comments.
LEAVE_OUT_COMMENTS = "leave-out"


def _since(request: HttpRequest, assessment):
    """The earlier assessment named by ?since=, if it is one of the same council."""
    value = request.GET.get("since", "")
    if not value.isdigit():
        return None
    return assessment.council.assessments.exclude(pk=assessment.pk).filter(pk=int(value)).first()


def _include_comments(request: HttpRequest) -> bool:
    return request.GET.get("comments") != LEAVE_OUT_COMMENTS


def _report_url(assessment, fragment: str = "") -> str:
    url = reverse("reports:report", args=[assessment.council.slug, assessment.pk])
    return f"{url}#{fragment}" if fragment else url


@login_required
def report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_for(request, slug)
    assessment = get_assessment(
        membership.council, pk, related=("signed_off_by", "covering_report")
    )
    since = _since(request, assessment)
    include_comments = _include_comments(request)
    data = report_data(assessment, since=since, include_comments=include_comments)
    choices = {"since": since.pk} if since else {}
    if not include_comments:
        choices["comments"] = LEAVE_OUT_COMMENTS
    covering_form = None
    if membership.can_edit and not assessment.is_complete:
        covering = data.covering
        covering_form = CoveringForm(
            initial={
                "summary": covering.summary if covering else "",
                "recommendations": covering.recommendations if covering else "",
                "version": covering.version if covering else 0,
            }
        )
    return render(
        request,
        "reports/report.html",
        page_context(
            membership,
            assessment,
            report=data,
            chart_src=reverse("workspace:summary_chart", args=[slug, pk]),
            downloads=FORMATS.values(),
            since=since,
            query=f"?{urlencode(choices)}" if choices else "",
            earlier=assessment.council.assessments.exclude(pk=assessment.pk).order_by(
                "-assessed_on", "-pk"
            ),
            covering_form=covering_form,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def covering(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The covering summary and recommendations: the report page carries this form;
    this page is where it is saved, and where a refused save shows both versions."""
    membership = membership_for(request, slug, Role.EDITOR)
    assessment = get_assessment(membership.council, pk, related=("covering_report",))
    if assessment.is_complete:
        messages.info(
            request,
            "This assessment is complete, so its covering report is what the committee "
            "agreed and cannot be changed. An admin can reopen the assessment.",
        )
        return redirect(_report_url(assessment))
    current = selectors.covering_of(assessment)
    form = CoveringForm(
        request.POST if request.method == "POST" else None,
        initial={
            "summary": current.summary if current else "",
            "recommendations": current.recommendations if current else "",
            "version": current.version if current else 0,
        },
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.save_covering_report(
                assessment=assessment,
                user=request.user,
                summary=form.cleaned_data["summary"],
                recommendations=form.cleaned_data["recommendations"],
                seen_version=form.cleaned_data["version"],
            )
        except services.CoveringError as exc:
            form.add_error(None, str(exc))
        except services.CoveringConflict as exc:
            conflict = exc.current
            form.data = form.data.copy()
            form.data["version"] = conflict.version
        except AssessmentLocked:
            messages.info(request, "This assessment is now complete; nothing was saved.")
            return redirect(_report_url(assessment))
        else:
            messages.success(request, "Covering report saved.")
            return redirect(_report_url(assessment, "covering"))
    return render(
        request,
        "reports/covering_form.html",
        page_context(membership, assessment, form=form, conflict=conflict),
        status=409 if conflict else (400 if form.errors else 200),
    )


@login_required
def covering_history(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_for(request, slug)
    assessment = get_assessment(membership.council, pk)
    membership.council.current_member_ids  # noqa: B018  (read once: names or "Former user")
    return render(
        request,
        "reports/covering_history.html",
        page_context(membership, assessment, changes=selectors.covering_history(assessment)),
    )


@login_required
def download(request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    membership = membership_for(request, slug)
    assessment = get_assessment(
        membership.council, pk, related=("signed_off_by", "covering_report")
    )
    chosen = FORMATS.get(fmt)
    if chosen is None:
        raise Http404
    since = _since(request, assessment)
    data = report_data(assessment, since=since, include_comments=_include_comments(request))
    if chosen.key == "pdf":
        body = pdf.stored_or_queued(data, since_id=since.pk if since else None)
        if request.GET.get("check") == "ready":
            # The "preparing" page's script asking whether the download can be had yet.
            return JsonResponse({"ready": body is not None})
        if body is None:
            query = request.GET.copy()
            query["check"] = "ready"
            return render(
                request,
                "reports/preparing.html",
                {
                    "council": membership.council,
                    "membership": membership,
                    "assessment": assessment,
                    "check_url": f"{request.path}?{query.urlencode()}",
                },
            )
    else:
        body = chosen.render(data)
    what = f"Downloaded “{assessment.title}”: {chosen.label}"
    if chosen.feedback and data.has_comments:
        what += (
            ", with the councillors’ comments"
            if data.include_comments
            else ", councillors’ comments left out"
        )
    audit.record(
        AuditAction.DOWNLOADED,
        what,
        actor=request.user,
        council=membership.council,
        request=request,
    )
    response = HttpResponse(body, content_type=chosen.content_type)
    response["Content-Disposition"] = f'attachment; filename="{chosen.file_name(data)}"'
    response["Cache-Control"] = "private, no-store"
    return response
