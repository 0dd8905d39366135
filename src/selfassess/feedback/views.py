"""Councillor feedback pages: the admin's rounds and results (signed in, per council) and
the councillor's survey (no account: the link's token is the only key)."""

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from selfassess.assessments.selectors import assessment_view, get_assessment
from selfassess.core.client import client_ip
from selfassess.councils.access import membership_for, page_context
from selfassess.councils.models import Role

from . import selectors, services
from .forms import AccessCodeForm, ExperienceForm, InvitationsForm, PrincipleAnswersForm, RoundForm
from .models import Ballot, Round


def _round(request, slug, pk, round_id, minimum=Role.VIEWER):
    membership = membership_for(request, slug, minimum)
    assessment = get_assessment(membership.council, pk)
    round_ = get_object_or_404(Round, assessment=assessment, pk=round_id)
    return membership, assessment, round_


@login_required
def rounds(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_for(request, slug)
    assessment = get_assessment(membership.council, pk)
    states = [selectors.round_state(r) for r in selectors.rounds_for(assessment)]
    return render(
        request, "feedback/rounds.html", page_context(membership, assessment, states=states)
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    # Editors run rounds as well as admins: democratic services usually do.
    membership = membership_for(request, slug, Role.EDITOR)
    assessment = get_assessment(membership.council, pk)
    form = RoundForm(
        request.POST if request.method == "POST" else None,
        initial={"shared_link": False, "reminder_days": 3},
    )
    if not form.is_bound:
        today = timezone.localdate()
        form.initial_date("opens_on", today)
        form.initial_date("closes_on", today + timezone.timedelta(days=21))
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.open_round(
                assessment=assessment,
                user=request.user,
                opens_on=form.cleaned_data["opens_on"],
                closes_on=form.cleaned_data["closes_on"],
                introduction=form.cleaned_data["introduction"],
                shared_link=form.cleaned_data["shared_link"],
                reminder_days=form.cleaned_data["reminder_days"],
            )
        except services.SurveyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Feedback round created. Now add the councillors to invite.")
            return redirect("feedback:round", slug=slug, pk=pk, round_id=round_.pk)
    return render(
        request,
        "feedback/round_new.html",
        page_context(membership, assessment, form=form, minimum=settings.SURVEY_MIN_RESPONSES),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_detail(request: HttpRequest, slug: str, pk: int, round_id: int) -> HttpResponse:
    membership, assessment, round_ = _round(request, slug, pk, round_id)
    form = InvitationsForm()
    problems: list[str] = []
    if request.method == "POST":
        if not membership.can_edit:
            raise PermissionDenied("Your role on this council is read-only.")
        form = InvitationsForm(request.POST, request.FILES)
        if form.is_valid():
            people, problems = services.parse_invitees(form.cleaned_data["text"])
            if not problems:
                added, already = services.add_invitations(round_=round_, people=people)
                messages.success(
                    request,
                    f"Added {added} councillor{'s' if added != 1 else ''} to invite"
                    + (f"; {already} already invited" if already else "")
                    + ". Send the invitations when you are ready.",
                )
                return redirect("feedback:round", slug=slug, pk=pk, round_id=round_.pk)
    state = selectors.round_state(round_)
    runs_it = membership.can_edit
    shared_url = (
        request.build_absolute_uri(reverse("feedback:shared", args=[round_.public_id]))
        if round_.access_code and runs_it
        else ""
    )
    return render(
        request,
        "feedback/round.html",
        page_context(
            membership,
            assessment,
            state=state,
            round=round_,
            ballots=selectors.invitation_list(round_) if runs_it else [],
            form=form,
            problems=problems,
            shared_url=shared_url,
            minimum=settings.SURVEY_MIN_RESPONSES,
            comments_minimum=settings.SURVEY_MIN_RESPONSES_FOR_COMMENTS,
            # Refresh while its emails are on their way, unless asked not to.
            refresh=state.sending and request.GET.get("refresh") != "off",
        ),
        status=400 if problems or form.errors else 200,
    )


@login_required
@require_POST
def round_send(request: HttpRequest, slug: str, pk: int, round_id: int) -> HttpResponse:
    membership, assessment, round_ = _round(request, slug, pk, round_id, Role.EDITOR)
    what = request.POST.get("what")
    try:
        if what == "reminders":
            sent = services.send_reminders(round_=round_)
            messages.success(
                request,
                f"Queued {sent} reminder{'s' if sent != 1 else ''} to councillors who have not "
                "answered. Each keeps the link they were sent, with any answers they saved.",
            )
        elif what == "invitations":
            sent = services.send_invitations(round_=round_)
            messages.success(
                request,
                f"Queued {sent} invitation{'s' if sent != 1 else ''}. This page shows each one "
                "as it is sent.",
            )
        elif what == "retry" and request.POST.get("ballot", "").isdigit():
            ballot = get_object_or_404(
                Ballot, round=round_, kind=Ballot.Kind.INVITED, pk=int(request.POST["ballot"])
            )
            services.retry_invitation(ballot=ballot)
            messages.success(request, f"Queued the invitation to {ballot.email} again.")
        elif what == "retry-reminders":
            n = services.retry_failed_reminders(round_=round_)
            messages.success(request, f"Queued {n} reminder{'s' if n != 1 else ''} again.")
        else:
            messages.error(request, "Choose what to send.")
    except services.SurveyError as exc:
        messages.error(request, str(exc))
    return redirect("feedback:round", slug=slug, pk=pk, round_id=round_.pk)


@login_required
@require_http_methods(["GET", "POST"])
def round_close(request: HttpRequest, slug: str, pk: int, round_id: int) -> HttpResponse:
    """Closing a round early asks first: it cannot be opened again."""
    membership, assessment, round_ = _round(request, slug, pk, round_id, Role.EDITOR)
    if request.method == "POST":
        services.close_round(round_=round_, user=request.user)
        messages.success(
            request,
            "The round is closed. No more answers can be sent; the results appear once the "
            "answers are counted.",
        )
        return redirect("feedback:round", slug=slug, pk=pk, round_id=round_.pk)
    return render(
        request,
        "feedback/round_close.html",
        page_context(membership, assessment, round=round_, state=selectors.round_state(round_)),
    )


@login_required
def round_results(request: HttpRequest, slug: str, pk: int, round_id: int) -> HttpResponse:
    membership, assessment, round_ = _round(request, slug, pk, round_id)
    view = assessment_view(assessment)
    try:
        result = selectors.results(round_, view)
        withheld = None
    except selectors.ResultsWithheld as exc:
        result, withheld = None, exc.reason
    return render(
        request,
        "feedback/results.html",
        page_context(
            membership,
            assessment,
            round=round_,
            results=result,
            withheld=withheld,
            levels=view.levels,
        ),
    )


# The councillor's side. No account; never cached; the token in the path is the key.


def _refuse(request, exc: services.SurveyError, status: int) -> HttpResponse:
    return render(
        request,
        "feedback/survey_refused.html",
        {"reason": str(exc), "kind": type(exc).__name__},
        status=status,
    )


def _guard(view):
    @functools.wraps(view)
    def wrapped(request, token, *args, **kwargs):
        try:
            return view(request, token, *args, **kwargs)
        except services.LinkNotValid as exc:
            return _refuse(request, exc, 404)
        except services.AlreadyAnswered as exc:
            return _refuse(request, exc, 410)
        except services.RoundNotOpen as exc:
            return _refuse(request, exc, 410)

    return never_cache(wrapped)


@_guard
def survey_start(request: HttpRequest, token: str) -> HttpResponse:
    opened = services.open_ballot(token)
    return render(
        request,
        "feedback/survey_start.html",
        {
            "token": token,
            "round": opened.round,
            "council": opened.council,
            "principles": opened.questions.principles,
            "has_experience": opened.questions.has_experience,
            "started": bool(opened.draft),
            "minimum": _minimum(),
        },
    )


def _minimum() -> int:
    return settings.SURVEY_MIN_RESPONSES


@_guard
@require_http_methods(["GET", "POST"])
def survey_page(request: HttpRequest, token: str, page: int) -> HttpResponse:
    opened = services.open_ballot(token)
    questions, draft = opened.questions, opened.draft
    last = questions.last_page
    if not 1 <= page <= last:
        raise Http404
    survey = questions.survey
    if page <= len(questions.principles):
        principle = questions.principles[page - 1]
        statements = questions.statements[page - 1]
        form = PrincipleAnswersForm(
            request.POST if request.method == "POST" else None,
            initial=PrincipleAnswersForm.initial_from(draft, statements, principle.number),
            statements=statements,
            survey=survey,
            principle_number=principle.number,
        )
        template = "feedback/survey_principle.html"
        extra = {"principle": principle}
    else:
        form = ExperienceForm(
            request.POST if request.method == "POST" else None,
            initial=draft.get("experience", {}),
            questions=survey["experience"]["questions"],
        )
        template, extra = "feedback/survey_experience.html", {"experience": survey["experience"]}
    if request.method == "POST" and form.is_valid():
        services.save_draft(token, form.into(draft), opened=opened)
        if page < last:
            return redirect("feedback:page", token=token, page=page + 1)
        return redirect("feedback:check", token=token)
    if isinstance(form, PrincipleAnswersForm):
        # Each statement's radio buttons come rendered, once per process, rather than
        # the template looking up the field, its value and the answer's hint per button.
        extra["statements"] = form.statement_rows(questions)
    else:
        extra["questions"] = form.question_rows()
    return render(
        request,
        template,
        {
            "token": token,
            "form": form,
            "page": page,
            "last": last,
            "survey": survey,
            "council": opened.council,
        }
        | extra,
        status=400 if form.errors else 200,
    )


@_guard
@require_http_methods(["GET", "POST"])
def survey_check(request: HttpRequest, token: str) -> HttpResponse:
    opened = services.open_ballot(token)
    questions = opened.questions
    answered = opened.draft.get("statements", {})
    missing = [
        (i, p)
        for i, (p, statements) in enumerate(
            zip(questions.principles, questions.statements, strict=True), start=1
        )
        if any(s.ref not in answered for s in statements)
    ]
    if request.method == "POST" and not missing:
        services.submit(token, opened.draft, opened=opened)
        return redirect("feedback:done")
    return render(
        request,
        "feedback/survey_check.html",
        {
            "token": token,
            "missing": missing,
            "principles": questions.principles,
            "council": opened.council,
            "answered": len(answered),
            "total": questions.statement_count,
        },
        status=400 if request.method == "POST" and missing else 200,
    )


@never_cache
def survey_done(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/survey_done.html")


def _ticket_allowed(request: HttpRequest, round_: Round) -> bool:
    """At most SURVEY_TICKETS_PER_HOUR code entries per address per round in the hour
    from the first, so that one person cannot flood a round through the shared link (or
    guess the code). The count is kept with the end of its hour, and the cache entry set
    to expire then: Django's cache.incr() sets a value again with the cache's default
    timeout (5 minutes), which made the hour five minutes after the latest try."""
    key = f"survey-code-tries:{round_.pk}:{client_ip(request) or ''}"
    now = timezone.now().timestamp()
    tries, until = cache.get(key) or (0, now + 3600)
    if until <= now:
        tries, until = 0, now + 3600
    tries += 1
    cache.set(key, (tries, until), timeout=until - now)
    return tries <= settings.SURVEY_TICKETS_PER_HOUR


@never_cache
@require_http_methods(["GET", "POST"])
def survey_shared(request: HttpRequest, public_id) -> HttpResponse:
    try:
        # get(), not first(): public_id is unique, and first() orders by the model's
        # ordering, which costs more to build than the query costs to run.
        round_ = (
            Round.objects.exclude(access_code="")
            .select_related("assessment__council")
            .get(public_id=public_id)
        )
    except Round.DoesNotExist:
        return _refuse(request, services.LinkNotValid("This link is not valid"), 404)
    form = AccessCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not _ticket_allowed(request, round_):
            return _refuse(
                request,
                services.SurveyError("Too many tries from here. Wait an hour and try again"),
                429,
            )
        try:
            token = services.shared_ticket(public_id, form.cleaned_data["code"])
        except services.RoundNotOpen as exc:
            return _refuse(request, exc, 410)
        except services.SharedLinkFull as exc:
            return _refuse(request, exc, 403)
        except services.SurveyError as exc:
            form.add_error("code", str(exc))
        else:
            return redirect("feedback:start", token=token)
    return render(
        request,
        "feedback/survey_shared.html",
        {"form": form, "council": round_.assessment.council},
        status=400 if form.errors else 200,
    )
