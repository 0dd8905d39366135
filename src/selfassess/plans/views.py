"""Forward plan pages: the plan, suggested actions, and each action with its progress."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from selfassess.assessments.selectors import assessment_view, get_assessment
from selfassess.core import kept
from selfassess.core.dates import day_month, short_date
from selfassess.core.numbers import one_place
from selfassess.councils.access import membership_for, page_context
from selfassess.councils.models import Role
from selfassess.feedback.models import Round
from selfassess.feedback.selectors import ResultsWithheld, results
from selfassess.frameworks.models import Statement

from . import selectors, services
from .forms import ActionForm, PlanFilterForm, ProgressForm


def _plan_url(assessment, name: str = "plans:plan", **kwargs) -> str:
    return reverse(name, kwargs={"slug": assessment.council.slug, "pk": assessment.pk, **kwargs})


@login_required
def plan(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_for(request, slug)
    assessment = get_assessment(membership.council, pk)
    view = assessment_view(assessment)
    actions = selectors.plan_actions(assessment)
    filters = PlanFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    # One reverse() for every row's link: the action's id goes where the sentinel is.
    sentinel = 2_147_483_647
    head, _, tail = _plan_url(assessment, "plans:detail", action_id=sentinel).rpartition(
        str(sentinel)
    )
    result = selectors.plan_view(
        view,
        actions,
        today=timezone.localdate(),
        status=chosen.get("status", ""),
        priority=chosen.get("priority", ""),
        lead=chosen.get("lead", ""),
        action_url=lambda action_id: f"{head}{action_id}{tail}",
    )
    pending = selectors.suggestions(view, selectors.covered_refs(actions), result.dismissed_refs)
    return render(
        request,
        "plans/plan.html",
        page_context(
            membership,
            assessment,
            view=view,
            plan=result,
            filters=filters,
            filtered=any(chosen.values()) if chosen else False,
            suggestion_count=len(pending),
        ),
    )


@login_required
def suggestions(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_for(request, slug)
    assessment = get_assessment(membership.council, pk)
    view = assessment_view(assessment)
    actions = selectors.plan_actions(assessment)
    dismissed = selectors.dismissed_refs(assessment)
    return render(
        request,
        "plans/suggestions.html",
        page_context(
            membership,
            assessment,
            suggestions=selectors.suggestions(view, selectors.covered_refs(actions), dismissed),
            dismissed=[
                r for p in view.principles for r in p.responses if r.statement.ref in dismissed
            ],
        ),
    )


def _suggestion(assessment, ref: str):
    view = assessment_view(assessment)
    for p in view.principles:
        for r in p.responses:
            if r.statement.ref == ref and selectors.is_gap(r.score, view.levels):
                return selectors.suggest(r, p.principle, view.levels)
    return None


@login_required
@require_POST
def suggestion_decide(request: HttpRequest, slug: str, pk: int, ref: str) -> HttpResponse:
    membership = membership_for(request, slug, Role.EDITOR)
    assessment = get_assessment(membership.council, pk)
    decision = request.POST.get("decision")
    if decision == "restore":
        services.restore_suggestion(assessment=assessment, user=request.user, ref=ref)
        messages.success(request, f"The suggestion for statement {ref} is back in the list.")
        return redirect(_plan_url(assessment, "plans:suggestions"))
    suggestion = _suggestion(assessment, ref)
    if suggestion is None:
        raise Http404
    if decision == "accept":
        try:
            action = services.accept_suggestion(
                assessment=assessment,
                user=request.user,
                ref=ref,
                data=services.ActionInput(
                    title=suggestion.title,
                    description=suggestion.description,
                    lead="",
                    partners="",
                    target_date=None,
                    priority=suggestion.priority,
                    status="not_started",
                    refs=[ref],
                ),
            )
        except services.PlanError as exc:
            messages.info(request, str(exc))
            return redirect(_plan_url(assessment, "plans:suggestions"))
        messages.success(
            request, f"Added “{action.title}” to the plan. Add a lead and a target date."
        )
        return redirect(_plan_url(assessment, "plans:edit", action_id=action.pk))
    if decision == "dismiss":
        try:
            services.dismiss_suggestion(assessment=assessment, user=request.user, ref=ref)
        except services.PlanError as exc:
            messages.info(request, str(exc))
        else:
            messages.success(request, f"Dismissed the suggestion for statement {ref}.")
        return redirect(_plan_url(assessment, "plans:suggestions"))
    messages.error(request, "Choose to add, edit or dismiss the suggestion.")
    return redirect(_plan_url(assessment, "plans:suggestions"))


def _statements(assessment) -> list[Statement]:
    return list(
        Statement.objects.filter(framework_id=assessment.framework_id)
        .select_related("principle")
        .order_by("principle__number", "position")
    )


@kept.signed_in_keeping_typing
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_for(request, slug, Role.EDITOR)
    assessment = get_assessment(membership.council, pk)
    initial = _from_survey(assessment, request.GET.get("survey", ""), request.GET.get("gap", ""))
    suggestion = _suggestion(assessment, request.GET.get("from", ""))
    if suggestion:
        initial = {
            "title": suggestion.title,
            "description": suggestion.description,
            "statements": [suggestion.statement.ref],
            "priority": suggestion.priority,
        }
    typed = kept.typed(request) if request.method == "GET" else None
    form = ActionForm(
        request.POST if request.method == "POST" else typed,
        initial=initial,
        statements=_statements(assessment),
    )
    if request.method == "POST" and form.is_valid():
        try:
            action = services.create_action(
                assessment=assessment, user=request.user, data=form.action_input()
            )
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Added “{action.title}” to the plan.")
            return redirect(_plan_url(assessment, "plans:detail", action_id=action.pk))
    return render(
        request,
        "plans/action_form.html",
        page_context(
            membership, assessment, form=form, action=None, restored=typed is not None
        ),
        status=400 if form.errors else 200,
    )


def _from_survey(assessment, round_id: str, ref: str) -> dict:
    """A draft action citing a councillors' feedback result, if the round has one."""
    round_ = (
        Round.objects.filter(assessment=assessment, pk=int(round_id)).first()
        if re.fullmatch(r"[0-9]{1,9}", round_id)
        else None
    )
    if round_ is None:
        return {}
    try:
        found = results(round_, assessment_view(assessment)).statement(ref)
    except ResultsWithheld:
        return {}
    if found is None or found.gap is None:
        return {}
    return {
        "title": f"Respond to councillors’ feedback on statement {ref}",
        "description": (
            f"Councillors’ feedback ({day_month(round_.opens_on)} to "
            f"{short_date(round_.closes_on)}): "
            f"on statement {ref} their average was {one_place(found.mean)} against the "
            f"council’s score of {found.officer_score} (gap {one_place(found.gap, sign=True)}), "
            f"from {found.answered} "
            "councillors who gave a view. Find out what lies behind the difference and agree "
            "what the council will do."
        ),
        "statements": [ref],
        "priority": "high" if found.gap <= -1 else "medium",
    }


def _action(request, slug, pk, action_id, minimum=Role.VIEWER):
    membership = membership_for(request, slug, minimum)
    assessment = get_assessment(membership.council, pk)
    return membership, assessment, selectors.action_detail(assessment, action_id)


def _detail_page(
    request, membership, assessment, action, form, status=200, restored=False
) -> HttpResponse:
    return render(
        request,
        "plans/action_detail.html",
        page_context(
            membership,
            assessment,
            action=action,
            overdue=action.is_overdue(timezone.localdate()),
            progress_form=form,
            history=selectors.action_history(action),
            restored=restored,
        ),
        status=status,
    )


@login_required
def action_detail(request: HttpRequest, slug: str, pk: int, action_id: int) -> HttpResponse:
    membership, assessment, action = _action(request, slug, pk, action_id)
    typed = kept.typed(request) if membership.can_edit else None
    form = ProgressForm(typed)
    if typed is None:
        form.initial_date("on", timezone.localdate())
    status = 400 if typed is not None and form.errors else 200
    return _detail_page(
        request, membership, assessment, action, form, status, restored=typed is not None
    )


@kept.signed_in_keeping_typing
@require_POST
def action_progress(request: HttpRequest, slug: str, pk: int, action_id: int) -> HttpResponse:
    membership, assessment, action = _action(request, slug, pk, action_id, Role.EDITOR)
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            services.add_progress(
                action=action,
                user=request.user,
                on=form.cleaned_data["on"],
                text=form.cleaned_data["text"],
            )
        except services.PlanError as exc:
            messages.error(request, str(exc))
            return redirect(_plan_url(assessment))
        messages.success(request, "Progress update added.")
        return redirect(_plan_url(assessment, "plans:detail", action_id=action.pk))
    return _detail_page(request, membership, assessment, action, form, status=400)


@kept.signed_in_keeping_typing
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, slug: str, pk: int, action_id: int) -> HttpResponse:
    membership, assessment, action = _action(request, slug, pk, action_id, Role.EDITOR)
    initial = {
        "title": action.title,
        "description": action.description,
        "statements": [s.ref for s in action.statements.all()],
        "lead": action.lead,
        "partners": action.partners,
        "priority": action.priority,
        "status": action.status,
        "version": action.version,
    }
    typed = kept.typed(request) if request.method == "GET" else None
    form = ActionForm(
        request.POST if request.method == "POST" else typed,
        initial=initial,
        statements=_statements(assessment),
        require_version=True,
    )
    form.initial_date("target_date", action.target_date)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_action(
                action=action,
                user=request.user,
                data=form.action_input(),
                seen_version=form.cleaned_data["version"],
            )
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        except services.ActionConflict as exc:
            conflict = selectors.action_detail(assessment, exc.current.pk)
            form.data = form.data.copy()
            form.data["version"] = conflict.version
        else:
            messages.success(request, "Action saved.")
            return redirect(_plan_url(assessment, "plans:detail", action_id=action.pk))
    return render(
        request,
        "plans/action_form.html",
        page_context(
            membership,
            assessment,
            form=form,
            action=action,
            conflict=conflict,
            restored=typed is not None,
        ),
        status=409 if conflict else (400 if form.errors else 200),
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_delete(request: HttpRequest, slug: str, pk: int, action_id: int) -> HttpResponse:
    membership, assessment, action = _action(request, slug, pk, action_id, Role.EDITOR)
    if request.method == "POST":
        try:
            services.delete_action(action=action, user=request.user)
        except services.PlanError as exc:
            messages.info(request, str(exc))
        else:
            messages.success(request, f"Deleted “{action.title}”. The deletion is recorded.")
        return redirect(_plan_url(assessment))
    return render(
        request, "plans/action_delete.html", page_context(membership, assessment, action=action)
    )
