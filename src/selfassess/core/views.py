"""Pages that belong to no council and read no app's data: the accessibility statement,
privacy notice, security page and the health check; and the signed-in session's timer,
which the timeout warning reads and extends."""

import datetime
import math
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from .dates import time_of_day
from .middleware import leaves_idle_timer, refresh, session_ends_at


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def _protection_facts() -> dict:
    return {
        "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
        "retention_months": settings.SURVEY_RETENTION_MONTHS,
        "min_responses": settings.SURVEY_MIN_RESPONSES,
        "invitation_days": settings.INVITATION_DAYS,
        "audit_months": settings.AUDIT_RETENTION_MONTHS,
    }


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html", _protection_facts())


def security(request: HttpRequest) -> HttpResponse:
    return render(request, "core/security.html", _protection_facts())


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring: answers without touching the database, so it
    is also the benchmark suite's baseline for the server's own cost per request."""
    return HttpResponse("ok\n", content_type="text/plain")


def _session_state(request: HttpRequest) -> JsonResponse:
    ends_at = session_ends_at(request)
    if ends_at is None:
        return JsonResponse({"signed_in": False, "remaining": 0, "ends_at": ""})
    return JsonResponse(
        {
            "signed_in": True,
            "remaining": max(0, math.ceil(ends_at - time.time())),
            "ends_at": time_of_day(datetime.datetime.fromtimestamp(ends_at, tz=datetime.UTC)),
        },
        headers={"Cache-Control": "no-store"},
    )


@leaves_idle_timer
@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """How long the signed-in session has left (for the timeout warning); asking is not
    activity, so it does not keep the session alive."""
    return _session_state(request)


@require_POST
def session_extend(request: HttpRequest) -> JsonResponse:
    """ "Stay signed in": the session starts its idle time again."""
    if request.user.is_authenticated:
        refresh(request)
    return _session_state(request)
