"""Assessment pages. Thin: find the council through councils.access, parse with a form,
write through services, read through selectors, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from selfassess.councils.access import membership_for
from selfassess.councils.models import Role
from selfassess.feedback.selectors import latest_closed_results
from selfassess.reports.charts import chart_size_px, principle_chart, trend_svg
from selfassess.reports.formats import FORMATS

from . import compare, reassess, selectors, services
from .forms import PrincipleForm, ReopenForm, SignOffForm, StartAssessmentForm, field_prefix
from .models import Assessment


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_for(request, slug, Role.EDITOR)
    earlier = list(selectors.assessments_for_council(membership.council))
    form = StartAssessmentForm(request.POST if request.method == "POST" else None, earlier=earlier)
    if request.method == "POST" and form.is_valid():
        previous = form.previous_assessment()
        if previous is None:
            assessment = services.start_assessment(
                council=membership.council,
                user=request.user,
                title=form.cleaned_data["title"],
                assessed_on=form.cleaned_data["assessed_on"],
            )
            messages.success(request, f"You started “{assessment.title}”.")
        else:
            result = reassess.start_from(
                previous=previous,
                user=request.user,
                title=form.cleaned_data["title"],
                assessed_on=form.cleaned_data["assessed_on"],
            )
            assessment = result.assessment
            messages.success(
                request,
                f"You started “{assessment.title}” from “{previous.title}”: "
                f"{len(result.carried)} statements carried forward for review and "
                f"{result.actions_carried} open action{'s' if result.actions_carried != 1 else ''}"
                " carried into the forward plan.",
            )
        return redirect(assessment_url(assessment))
    return render(
        request,
        "assessments/start.html",
        {"council": membership.council, "membership": membership, "form": form},
        status=400 if form.errors else 200,
    )


def assessment_url(assessment, name: str = "assessments:detail", **kwargs) -> str:
    return reverse(name, kwargs={"slug": assessment.council.slug, "pk": assessment.pk, **kwargs})


@login_required
def detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_for(request, slug)
    assessment = selectors.get_assessment(membership.council, pk, related=("previous__framework",))
    view = selectors.assessment_view(assessment)
    return render(
        request,
        "assessments/detail.html",
        {
            "council": membership.council,
            "membership": membership,
            "assessment": assessment,
            "view": view,
            "events": selectors.assessment_history(assessment),
            "statement_changes": (
                reassess.statement_changes(assessment.previous.framework, assessment.framework)
                if assessment.previous
                else ([], [])
            ),
            "downloads": FORMATS.values(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def principle(request: HttpRequest, slug: str, pk: int, number: int) -> HttpResponse:
    membership = membership_for(request, slug)
    assessment = selectors.get_assessment(membership.council, pk)
    view = selectors.assessment_view(assessment)
    current = view.principle(number)
    if current is None:
        raise Http404
    editable = membership.can_edit and not assessment.is_complete
    context = {
        "council": membership.council,
        "membership": membership,
        "assessment": assessment,
        "view": view,
        "current": current,
        "editable": editable,
        "next_number": number + 1 if view.principle(number + 1) else None,
    }
    if not editable:
        if request.method == "POST":
            if not membership.can_edit:
                raise PermissionDenied("Your role on this council is read-only.")
            messages.error(request, "This assessment is complete: reopen it to make changes.")
            return redirect(assessment_url(assessment))
        return render(request, "assessments/principle_read.html", context)

    responses = {r.statement.ref: r for r in current.responses}
    statements = [r.statement for r in current.responses]
    form = PrincipleForm(
        request.POST if request.method == "POST" else None,
        statements=statements,
        levels=view.levels,
        responses=responses,
    )
    conflicts = {}
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.save_responses(
                assessment=assessment, user=request.user, entries=form.entries()
            )
        except services.AssessmentLocked:
            messages.error(request, "This assessment was completed meanwhile: nothing was saved.")
            return redirect(assessment_url(assessment))
        except services.EditConflict as exc:
            conflicts = {c.ref: c.current for c in exc.conflicts}
            form.data = _refreshed_after_conflict(form, assessment, number, conflicts)
        else:
            if changed:
                messages.success(
                    request,
                    f"Saved {changed} statement{'s' if changed != 1 else ''} "
                    f"of principle {number}.",
                )
            else:
                messages.info(request, "No changes to save.")
            if "continue" in request.POST and context["next_number"]:
                return redirect(
                    assessment_url(
                        assessment, "assessments:principle", number=context["next_number"]
                    )
                )
            return redirect(assessment_url(assessment))
    context |= {
        "form": form,
        "items": [
            {
                "statement": r.statement,
                "response": r,
                "prefix": field_prefix(r.statement.ref),
                "score": form[f"{field_prefix(r.statement.ref)}-score"],
                "evidence": form[f"{field_prefix(r.statement.ref)}-evidence"],
                "links": form[f"{field_prefix(r.statement.ref)}-links"],
                "version": form[f"{field_prefix(r.statement.ref)}-version"],
                "digest": form[f"{field_prefix(r.statement.ref)}-digest"],
                "confirm": form[f"{field_prefix(r.statement.ref)}-confirm"],
                "conflict": conflicts.get(r.statement.ref),
            }
            for r in current.responses
        ],
        "conflicts": conflicts,
    }
    status = 409 if conflicts else (400 if form.is_bound and form.errors else 200)
    return render(request, "assessments/principle_edit.html", context, status=status)


def _refreshed_after_conflict(form, assessment, number: int, conflicts: dict) -> dict:
    """The form data to show after a conflict. Statements in conflict keep what the user
    typed, now marked as seen at the newer version, so saving again replaces the other
    person's values on purpose. Statements someone else changed that the user did not
    touch show the newer saved values, so saving again cannot undo them."""
    data = form.data.copy()
    sent = {e.ref: e for e in form.entries()}
    current = selectors.assessment_view(assessment).principle(number).responses
    for response in current:
        ref = response.statement.ref
        p = field_prefix(ref)
        digest = services.values_digest(response.score, response.evidence, response.links)
        if ref in conflicts:
            data[f"{p}-version"] = response.version
            data[f"{p}-digest"] = digest
        elif sent[ref].is_stale(response) and not sent[ref].touched:
            data[f"{p}-score"] = "" if response.score is None else str(response.score)
            data[f"{p}-evidence"] = response.evidence
            data[f"{p}-links"] = "\n".join(response.links)
            data[f"{p}-version"] = response.version
            data[f"{p}-digest"] = digest
    return data


@login_required
def history(request: HttpRequest, slug: str, pk: int, ref: str) -> HttpResponse:
    membership = membership_for(request, slug)
    assessment = selectors.get_assessment(membership.council, pk)
    statement, changes = selectors.statement_history(assessment, ref)
    membership.council.current_member_ids  # noqa: B018  (read once: names or "Former user")
    return render(
        request,
        "assessments/history.html",
        {
            "council": membership.council,
            "membership": membership,
            "assessment": assessment,
            "statement": statement,
            "changes": changes,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sign_off(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_for(request, slug, Role.ADMIN)
    assessment = selectors.get_assessment(membership.council, pk)
    if assessment.is_complete:
        messages.info(request, "This assessment is already complete.")
        return redirect(assessment_url(assessment))
    view = selectors.assessment_view(assessment)
    form = SignOffForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_off(
                assessment=assessment,
                user=request.user,
                agreed_by=form.cleaned_data["agreed_by"],
                agreed_on=form.cleaned_data["agreed_on"],
            )
        except services.NotReadyToSignOff as exc:
            if exc.unscored:
                form.add_error(
                    None,
                    f"Score every statement before signing off: {exc.unscored} still unscored",
                )
            if exc.to_review:
                form.add_error(
                    None,
                    "Review every carried-forward statement before signing off: "
                    f"{exc.to_review} still to review",
                )
        except services.AssessmentLocked:
            messages.info(request, "This assessment is already complete.")
            return redirect(assessment_url(assessment))
        else:
            messages.success(request, "The assessment is complete and now read-only.")
            return redirect(assessment_url(assessment))
    return render(
        request,
        "assessments/sign_off.html",
        {
            "council": membership.council,
            "membership": membership,
            "assessment": assessment,
            "view": view,
            "form": form,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def reopen(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_for(request, slug, Role.ADMIN)
    assessment = selectors.get_assessment(membership.council, pk)
    if not assessment.is_complete:
        messages.info(request, "This assessment is already open for changes.")
        return redirect(assessment_url(assessment))
    form = ReopenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen(
                assessment=assessment, user=request.user, reason=form.cleaned_data["reason"]
            )
        except services.AssessmentLocked:
            messages.info(request, "This assessment is already open for changes.")
        else:
            messages.success(request, "The assessment is reopened for changes.")
        return redirect(assessment_url(assessment))
    return render(
        request,
        "assessments/reopen.html",
        {
            "council": membership.council,
            "membership": membership,
            "assessment": assessment,
            "form": form,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def summary(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_for(request, slug)
    assessment = selectors.get_assessment(membership.council, pk)
    view = selectors.assessment_view(assessment)
    return render(
        request,
        "assessments/summary.html",
        {
            "council": membership.council,
            "membership": membership,
            "assessment": assessment,
            "view": view,
            "by_level": selectors.statements_by_level(view),
            "chart_size": chart_size_px(len(view.principles)),
            "feedback": latest_closed_results(assessment, view),
        },
    )


@login_required
def summary_chart(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_for(request, slug)
    assessment = selectors.get_assessment(membership.council, pk)
    view = selectors.assessment_view(assessment)
    response = HttpResponse(principle_chart(view), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-cache"
    return response


def _pick(options: dict[str, Assessment], value: str | None) -> Assessment | None:
    return options.get(value or "")


@login_required
def compare_view(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_for(request, slug)
    assessments = list(selectors.assessments_for_council(membership.council))
    options = {str(a.pk): a for a in assessments}
    earlier = _pick(options, request.GET.get("from"))
    later = _pick(options, request.GET.get("to"))
    if "from" not in request.GET and len(assessments) >= 2:
        later, earlier = assessments[0], assessments[1]
    error = None
    result = None
    if request.GET and (earlier is None or later is None):
        error = "Choose two assessments of this council to compare"
    elif earlier and later:
        if earlier.pk == later.pk:
            error = "Choose two different assessments"
        else:
            result = compare.compare(
                selectors.assessment_view(earlier), selectors.assessment_view(later)
            )
    chosen = result.statement(request.GET.get("ref", "")) if result else None
    return render(
        request,
        "assessments/compare.html",
        {
            "council": membership.council,
            "membership": membership,
            "assessments": assessments,
            "earlier": earlier,
            "later": later,
            "result": result,
            "chosen": chosen,
            "error": error,
        },
        status=400 if error and request.GET else 200,
    )


@login_required
def trend_chart(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_for(request, slug)
    rows = compare.trend(membership.council, timezone.localdate())
    if not rows:
        raise Http404
    principles, maximum = compare.principle_scale(rows[-1].assessment.framework_id)
    svg = trend_svg(
        dates=[row.assessment.assessed_on for row in rows],
        series={
            f"{p.number}. {p.title}": [row.principle_totals.get(p.number, 0) for row in rows]
            for p in principles
        },
        maximum=maximum,
        title=f"Score for each principle over time, out of {maximum}",
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-cache"
    return response
