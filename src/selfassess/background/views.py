"""The queue, as the host's staff see it: whether a consumer is running, what waits,
runs and failed, and running a failed task or message again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import selectors, services
from .models import Email, TaskRun


def _staff_only(request: HttpRequest) -> None:
    # Not found, rather than forbidden: the page's existence is nobody else's business.
    if not request.user.is_staff:
        raise Http404


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    return render(request, "background/queue.html", {"queue": selectors.queue_view()})


@login_required
@require_POST
def retry_task(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    run = get_object_or_404(TaskRun, pk=pk)
    try:
        services.retry_task(run=run)
    except services.NotRetryable as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{run.name} is queued to run again.")
    return redirect("background:queue")


@login_required
@require_POST
def retry_email(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    email = get_object_or_404(Email, pk=pk)
    try:
        services.retry_email(email=email)
    except services.NotRetryable as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"The message to {email.to} is queued to be sent again.")
    return redirect("background:queue")
