"""Scoring and sign-off pages of an assessment. Thin: find the council through
councils.access, parse with a form, write through services, read through selectors,
render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from selfassess.core import kept
from selfassess.councils.access import membership_for
from selfassess.councils.models import Role

from . import selectors, services
from .forms import PrincipleForm, ReopenForm, SignOffForm, field_prefix


def assessment_url(assessment, name: str = "workspace:assessment", **kwargs) -> str:
    return reverse(name, kwargs={"slug": assessment.council.slug, "pk": assessment.pk, **kwargs})


@kept.signed_in_keeping_typing
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
    typed = kept.typed(request) if request.method == "GET" else None
    form = PrincipleForm(
        request.POST if request.method == "POST" else typed,
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
        "restored": typed is not None,
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


@kept.signed_in_keeping_typing
@require_http_methods(["GET", "POST"])
def sign_off(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_for(request, slug, Role.ADMIN)
    assessment = selectors.get_assessment(membership.council, pk)
    if assessment.is_complete:
        messages.info(request, "This assessment is already complete.")
        return redirect(assessment_url(assessment))
    view = selectors.assessment_view(assessment)
    typed = kept.typed(request) if request.method == "GET" else None
    form = SignOffForm(
        request.POST if request.method == "POST" else typed,
        assessed_on=assessment.assessed_on,
        today=timezone.localdate(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_off(
                assessment=assessment,
                user=request.user,
                agreed_by=form.cleaned_data["agreed_by"],
                agreed_on=form.cleaned_data["agreed_on"],
                minute_reference=form.cleaned_data["minute_reference"],
            )
        except services.NotReadyToSignOff as exc:
            if exc.unscored:
                form.add_error(
                    None,
                    f"Score every statement before signing off: {exc.unscored} still unscored",
                )
            if exc.to_review:
                refs = ", ".join(r.statement.ref for r in view.needing_review)
                form.add_error(
                    None,
                    "Review every carried-forward statement before signing off: "
                    f"{exc.to_review} still to review ({refs})",
                )
        except services.SignOffDateWrong as exc:
            form.add_error("agreed_on_day", str(exc))
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
            "restored": typed is not None,
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
