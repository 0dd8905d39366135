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
from .forms import ActionForm, AddSuggestionsForm, DismissForm, PlanFilterForm, ProgressForm


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
    pending = selectors.suggestions(
        view, selectors.covered_refs(actions), selectors.dismissed_keys(result.dismissed)
    )
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


def _suggestions_page(request, membership, assessment, form=None, status=200) -> HttpResponse:
    view = assessment_view(assessment)
    actions = selectors.plan_actions(assessment)
    dismissed = selectors.dismissed_suggestions(assessment)
    pending = selectors.suggestions(
        view, selectors.covered_refs(actions), selectors.dismissed_keys(dismissed)
    )
    if form is None:
        form = AddSuggestionsForm(choices=[(s.choice, s.title) for s in pending])
    return render(
        request,
        "plans/suggestions.html",
        page_context(
            membership,
            assessment,
            groups=selectors.by_statement(pending),
            view_levels=view.levels,
            dismissed=dismissed,
            form=form,
            chosen=set(form["chosen"].value() or []),
        ),
        status=status,
    )


@login_required
def suggestions(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_for(request, slug)
    assessment = get_assessment(membership.council, pk)
    return _suggestions_page(request, membership, assessment)


@login_required
@require_POST
def suggestions_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Add every suggestion the editor ticked, as actions, in one go."""
    membership = membership_for(request, slug, Role.EDITOR)
    assessment = get_assessment(membership.council, pk)
    view = assessment_view(assessment)
    dismissed = selectors.dismissed_keys(selectors.dismissed_suggestions(assessment))
    pending = {
        s.choice: s
        for s in selectors.suggestions(
            view, selectors.covered_refs(selectors.plan_actions(assessment)), dismissed
        )
    }
    form = AddSuggestionsForm(
        request.POST, choices=[(choice, s.title) for choice, s in pending.items()]
    )
    if form.is_valid():
        chosen = [pending[c] for c in form.cleaned_data["chosen"]]
        try:
            added = services.accept_suggestions(
                assessment=assessment,
                user=request.user,
                chosen=[
                    services.SuggestedAction(s.statement.ref, s.key, _action_input(s))
                    for s in chosen
                ],
            )
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            titles = "; ".join(f"“{a.title}”" for a in added)
            messages.success(
                request,
                f"Added {len(added)} action{'s' if len(added) != 1 else ''} to the plan: "
                f"{titles}. Give each a target date.",
            )
            return redirect(_plan_url(assessment))
    return _suggestions_page(request, membership, assessment, form=form, status=400)


def _action_input(suggestion: selectors.Suggestion) -> services.ActionInput:
    return services.ActionInput(
        title=suggestion.title,
        description=suggestion.description,
        lead=suggestion.lead,
        partners=suggestion.partners,
        target_date=None,
        priority=suggestion.priority,
        status="not_started",
        refs=[suggestion.statement.ref],
    )


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_dismiss(
    request: HttpRequest, slug: str, pk: int, ref: str, suggestion: str
) -> HttpResponse:
    """Are you sure? The page asks for an optional reason, and dismisses on a POST.
    `suggestion` is its key (frameworks.guidance)."""
    membership = membership_for(request, slug, Role.EDITOR)
    assessment = get_assessment(membership.council, pk)
    found = selectors.find_suggestion(assessment_view(assessment), ref, suggestion)
    if found is None:
        raise Http404
    form = DismissForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dismiss_suggestion(
                assessment=assessment,
                user=request.user,
                ref=ref,
                key=found.key,
                title=found.title,
                reason=form.cleaned_data["reason"],
            )
        except services.PlanError as exc:
            messages.info(request, str(exc))
        else:
            listed = "with your reason" if form.cleaned_data["reason"] else "as dismissed"
            messages.success(
                request,
                f"Dismissed “{found.title}”. The forward plan and the committee report "
                f"list it {listed}.",
            )
        return redirect(_plan_url(assessment, "plans:suggestions"))
    return render(
        request,
        "plans/suggestion_dismiss.html",
        page_context(membership, assessment, suggestion=found, form=form),
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def suggestion_restore(
    request: HttpRequest, slug: str, pk: int, ref: str, suggestion: str
) -> HttpResponse:
    membership = membership_for(request, slug, Role.EDITOR)
    assessment = get_assessment(membership.council, pk)
    if services.restore_suggestion(
        assessment=assessment, user=request.user, ref=ref, key=suggestion
    ):
        messages.success(request, f"The suggestion for statement {ref} is back in the list.")
    else:
        messages.info(request, "That suggestion was not dismissed: nothing changed.")
    return redirect(_plan_url(assessment, "plans:suggestions"))


def _people(council) -> list:
    """Who may own an action: the council's members, by name."""
    return sorted(
        (m.user for m in council.memberships.select_related("user")),
        key=lambda u: u.display_name.lower(),
    )


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
    suggestion = selectors.find_suggestion(
        assessment_view(assessment), request.GET.get("from", ""), request.GET.get("key", "")
    )
    if suggestion:
        initial = {
            "title": suggestion.title,
            "description": suggestion.description,
            "statements": [suggestion.statement.ref],
            "lead": suggestion.lead,
            "partners": suggestion.partners,
            "priority": suggestion.priority,
        }
    typed = kept.typed(request) if request.method == "GET" else None
    form = ActionForm(
        request.POST if request.method == "POST" else typed,
        initial=initial,
        statements=_statements(assessment),
        people=_people(membership.council),
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
            membership,
            assessment,
            form=form,
            action=None,
            suggestion=suggestion,
            restored=typed is not None,
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
        "owner": str(action.owner_id or ""),
    }
    typed = kept.typed(request) if request.method == "GET" else None
    form = ActionForm(
        request.POST if request.method == "POST" else typed,
        initial=initial,
        statements=_statements(assessment),
        people=_people(membership.council),
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
