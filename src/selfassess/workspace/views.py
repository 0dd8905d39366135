"""Pages that show several domains at once: a person's councils, a council's assessments
and their trend, an assessment's task list, summary and comparisons, starting a new
assessment (from an earlier one), and the person's own account and data. Thin: each
reads through the apps' selectors and writes through their services."""

import json

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from selfassess.assessments import selectors as assessment_selectors
from selfassess.assessments.compare import compare, principle_scale, statement_changes
from selfassess.assessments.forms import StartAssessmentForm
from selfassess.assessments.models import Assessment
from selfassess.audit.models import Action as AuditAction
from selfassess.audit.services import record
from selfassess.benchmarks import selectors as benchmark_selectors
from selfassess.councils import services as council_services
from selfassess.councils.access import membership_for
from selfassess.councils.forms import ReviewDateForm
from selfassess.councils.models import Membership, Role
from selfassess.feedback.selectors import latest_closed_results
from selfassess.reports.charts import TREND_SIZE_PX, chart_size_px, principle_chart, trend_svg
from selfassess.reports.formats import FORMATS

from . import personal_data as personal
from . import selectors, services


def assessment_url(assessment, name: str = "workspace:assessment", **kwargs) -> str:
    return reverse(name, kwargs={"slug": assessment.council.slug, "pk": assessment.pk, **kwargs})


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "workspace/start.html")
    memberships = list(Membership.objects.filter(user=request.user).select_related("council"))
    if len(memberships) == 1:
        return redirect("workspace:council", slug=memberships[0].council.slug)
    return render(request, "workspace/home.html", {"memberships": memberships})


def _council_page(request, membership, review_form=None, status=200) -> HttpResponse:
    council = membership.council
    today = timezone.localdate()
    rows = selectors.trend(council, today)
    principles, maximum = principle_scale(rows[-1].assessment.framework) if rows else ([], 0)
    if review_form is None:
        review_form = ReviewDateForm()
        review_form.initial_date("next_review_on", council.next_review_on)
    return render(
        request,
        "workspace/council.html",
        {
            "council": council,
            "membership": membership,
            "assessments": assessment_selectors.assessment_list(council),
            "trend": rows,
            "trend_principles": principles,
            "trend_maximum": maximum,
            "trend_size": TREND_SIZE_PX,
            "review_overdue": bool(council.next_review_on and council.next_review_on < today),
            "review_form": review_form,
        },
        status=status,
    )


@login_required
def council(request: HttpRequest, slug: str) -> HttpResponse:
    return _council_page(request, membership_for(request, slug))


@login_required
@require_POST
def review_date(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_for(request, slug, Role.ADMIN)
    form = ReviewDateForm(request.POST)
    if not form.is_valid():
        return _council_page(request, membership, review_form=form, status=400)
    council_services.set_review_date(
        council=membership.council, on=form.cleaned_data["next_review_on"]
    )
    messages.success(request, "Review date saved.")
    return redirect("workspace:council", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_for(request, slug, Role.EDITOR)
    earlier = list(assessment_selectors.assessments_for_council(membership.council))
    form = StartAssessmentForm(request.POST if request.method == "POST" else None, earlier=earlier)
    if request.method == "POST" and form.is_valid():
        previous = form.previous_assessment()
        started = services.start_assessment(
            council=membership.council,
            user=request.user,
            title=form.cleaned_data["title"],
            assessed_on=form.cleaned_data["assessed_on"],
            previous=previous,
        )
        assessment = started.assessment
        if previous is None:
            messages.success(request, f"You started “{assessment.title}”.")
        else:
            n = started.actions_carried
            messages.success(
                request,
                f"You started “{assessment.title}” from “{previous.title}”: "
                f"{len(started.carried)} statements carried forward for review and "
                f"{n} open action{'s' if n != 1 else ''} carried into the forward plan.",
            )
        return redirect(assessment_url(assessment))
    return render(
        request,
        "workspace/start_assessment.html",
        {"council": membership.council, "membership": membership, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def assessment(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The assessment's task list: its principles, plan, feedback, sign-off and reports."""
    membership = membership_for(request, slug)
    found = assessment_selectors.get_assessment(
        membership.council, pk, related=("previous__framework",)
    )
    view = assessment_selectors.assessment_view(found)
    return render(
        request,
        "workspace/assessment.html",
        {
            "council": membership.council,
            "membership": membership,
            "assessment": found,
            "view": view,
            "events": assessment_selectors.assessment_history(found),
            "statement_changes": (
                statement_changes(found.previous.framework, found.framework)
                if found.previous
                else ([], [])
            ),
            "downloads": FORMATS.values(),
        },
    )


@login_required
def summary(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_for(request, slug)
    found = assessment_selectors.get_assessment(membership.council, pk)
    view = assessment_selectors.assessment_view(found)
    feedback = latest_closed_results(found, view)
    return render(
        request,
        "workspace/summary.html",
        {
            "council": membership.council,
            "membership": membership,
            "assessment": found,
            "view": view,
            "by_level": assessment_selectors.statements_by_level(view),
            "chart_size": chart_size_px(len(view.principles)),
            "feedback": feedback,
            # Beside the council's own scores: councils like it, from the latest published
            # benchmark (read once per process; never computed here).
            "comparison": benchmark_selectors.comparison(
                membership.council, view, feedback, request.GET.get("compare", "")
            ),
        },
    )


def _svg(body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
def summary_chart(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_for(request, slug)
    found = assessment_selectors.get_assessment(membership.council, pk)
    return _svg(principle_chart(assessment_selectors.assessment_view(found)))


def _pick(options: dict[str, Assessment], value: str | None) -> Assessment | None:
    return options.get(value or "")


@login_required
def compare_view(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_for(request, slug)
    assessments = list(assessment_selectors.assessments_for_council(membership.council))
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
            result = compare(
                assessment_selectors.assessment_view(earlier),
                assessment_selectors.assessment_view(later),
            )
    chosen = result.statement(request.GET.get("ref", "")) if result else None
    return render(
        request,
        "workspace/compare.html",
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
    rows = selectors.trend(membership.council, timezone.localdate())
    if not rows:
        raise Http404
    principles, maximum = principle_scale(rows[-1].assessment.framework)
    return _svg(
        trend_svg(
            dates=[row.assessment.assessed_on for row in rows],
            series={
                f"{p.number}. {p.title}": [row.principle_totals.get(p.number, 0) for row in rows]
                for p in principles
            },
            maximum=maximum,
            title=f"Score for each principle over time, out of {maximum}",
            drafts=[not row.assessment.is_complete for row in rows],
            short=[f"P{p.number}" for p in principles],
        )
    )


@login_required
def your_work(request: HttpRequest) -> HttpResponse:
    """What waits for this person across every council they belong to."""
    today = timezone.localdate()
    return render(
        request,
        "workspace/your_work.html",
        {"work": selectors.your_work(request.user, today), "today": today},
    )


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "workspace/account.html",
        {
            "memberships": Membership.objects.filter(user=user).select_related("council"),
            "two_factor": Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).exists(),
        },
    )


@login_required
def personal_data(request: HttpRequest) -> HttpResponse:
    user = request.user
    record(
        AuditAction.PERSONAL_DATA_DOWNLOADED,
        "Downloaded their personal data",
        actor=user,
        request=request,
    )
    body = json.dumps(personal.document(user), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="self-assess-your-data.json"'
    response["Cache-Control"] = "private, no-store"
    return response
