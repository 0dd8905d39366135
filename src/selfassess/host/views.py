"""The host console: staff only (Django's is_staff; councils.middleware makes them use
two-factor authentication). Everyone else gets 404: the console's existence is nobody
else's business."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from selfassess.benchmarks import selectors as benchmark_selectors
from selfassess.benchmarks import tasks as benchmark_tasks
from selfassess.councils import services as council_services
from selfassess.councils.models import Council

from . import selectors, services
from .forms import CouncilFilterForm, CouncilProfileForm, NewCouncilForm

PAGE_SIZE = 50


def _staff_only(request: HttpRequest) -> None:
    if not request.user.is_staff:
        raise Http404


@login_required
def console(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    filters = CouncilFilterForm(request.GET or None)
    page = Paginator(selectors.council_rows(filters.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "host/console.html",
        {
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "adoption": selectors.adoption(timezone.localdate()),
            "benchmarks_on": settings.BENCHMARKS,
            "snapshots": benchmark_selectors.snapshot_list()[:3],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_council(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    form = NewCouncilForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            council, invitation = services.create_council(
                name=data["name"],
                slug=data["slug"],
                type=data["type"],
                region=data["region"],
                councillors=data["councillors"],
                admin_email=data["email"],
                admin_name=data["full_name"],
                by=request.user,
                request=request,
            )
        except council_services.CouncilError as exc:
            form.add_error("slug", str(exc))
        else:
            messages.success(
                request,
                f"Created {council.name}. We are emailing an invitation to "
                f"{invitation.email} to join as its admin; the link works for "
                f"{settings.INVITATION_DAYS} days.",
            )
            return redirect("host:console")
    return render(
        request, "host/new_council.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_council(request: HttpRequest, council_id: int) -> HttpResponse:
    _staff_only(request)
    council = get_object_or_404(Council, pk=council_id)
    form = CouncilProfileForm(
        request.POST if request.method == "POST" else None,
        initial={
            "type": council.type,
            "region": council.region,
            "councillors": council.councillors,
        },
    )
    if request.method == "POST" and form.is_valid():
        council_services.update_council(
            council=council,
            type=form.cleaned_data["type"],
            region=form.cleaned_data["region"],
            councillors=form.cleaned_data["councillors"],
            by=request.user,
            request=request,
        )
        messages.success(request, f"Saved {council.name}’s details.")
        return redirect("host:console")
    return render(
        request,
        "host/edit_council.html",
        {"form": form, "subject": council},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    """Publish a benchmark snapshot now: queued, never computed in the request."""
    _staff_only(request)
    if not settings.BENCHMARKS:
        messages.error(request, "Benchmarks are off on this server (the BENCHMARKS setting).")
        return redirect("host:console")
    benchmark_tasks.publish(request.user.pk)
    messages.success(
        request,
        "A new benchmark is queued. It appears on the benchmarks page once the queue has "
        "computed it, usually within a minute.",
    )
    return redirect("host:console")
